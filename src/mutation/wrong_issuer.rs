//! `wrong_issuer`: `iss` of another issuer, validly signed. Only claim validation can refuse it, and it must: the token
//! was issued for someone else or is not valid now. CWE-346; OWASP API2:2023. Needs the
//! issuer's signing key (`signing_key:`), as test environments have.

use super::{Input, Mutation, Plan, mint};

pub struct WrongIssuer;

impl Mutation for WrongIssuer {
    fn name(&self) -> &'static str {
        "wrong_issuer"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        mint(input, "`iss` of another issuer, validly signed", |claims| {
            claims.insert(
                "iss".into(),
                "https://authspec-other-issuer.invalid/".into(),
            );
        })
    }
}
