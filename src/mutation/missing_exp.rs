//! `missing_exp`: no `exp`: a token that never expires, validly signed. Only claim validation can refuse it, and it must: the token
//! was issued for someone else or is not valid now. CWE-613; OWASP API2:2023. Needs the
//! issuer's signing key (`signing_key:`), as test environments have.

use super::{Input, Mutation, Plan, mint};

pub struct MissingExp;

impl Mutation for MissingExp {
    fn name(&self) -> &'static str {
        "missing_exp"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        mint(
            input,
            "no `exp`: a token that never expires, validly signed",
            |claims| {
                claims.remove("exp");
            },
        )
    }
}
