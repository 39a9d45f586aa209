//! `expired`: an expired token must be refused. With the issuer's signing key, a copy
//! whose `exp` is an hour ago is minted; otherwise the probe waits for a fresh genuine
//! token to expire (bounded by `max_wait`) and replays it. CWE-613 (insufficient session
//! expiration); OWASP API2:2023.

use super::{Input, Mutation, Plan, mint};

pub struct Expired;

impl Mutation for Expired {
    fn name(&self) -> &'static str {
        "expired"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        if input.jwt.is_some() && input.signing_key.is_some() {
            return mint(input, "`exp` an hour ago, validly signed", |claims| {
                claims.insert("exp".into(), (input.now - 3600).into());
            });
        }
        Plan::WaitForExpiry
    }
}
