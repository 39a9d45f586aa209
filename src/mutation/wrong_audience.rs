//! `wrong_audience`: `aud` of another API, validly signed. Only claim validation can refuse it, and it must: the token
//! was issued for someone else or is not valid now. CWE-287; OWASP API2:2023. Needs the
//! issuer's signing key (`signing_key:`), as test environments have.

use super::{Input, Mutation, Plan, mint};

pub struct WrongAudience;

impl Mutation for WrongAudience {
    fn name(&self) -> &'static str {
        "wrong_audience"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        mint(input, "`aud` of another API, validly signed", |claims| {
            claims.insert("aud".into(), "authspec-other-audience".into());
        })
    }
}
