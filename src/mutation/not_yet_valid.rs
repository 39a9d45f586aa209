//! `not_yet_valid`: not yet valid: `nbf` an hour from now, validly signed. Only claim validation can refuse it, and it must: the token
//! was issued for someone else or is not valid now. CWE-613; OWASP API2:2023. Needs the
//! issuer's signing key (`signing_key:`), as test environments have.

use super::{Input, Mutation, Plan, mint};

pub struct NotYetValid;

impl Mutation for NotYetValid {
    fn name(&self) -> &'static str {
        "not_yet_valid"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        mint(
            input,
            "not yet valid: `nbf` an hour from now, validly signed",
            |claims| {
                claims.insert("nbf".into(), (input.now + 3600).into());
                claims.insert("iat".into(), (input.now + 3600).into());
            },
        )
    }
}
