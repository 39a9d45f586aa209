//! `truncated`: an opaque token with its last characters cut. An API that accepts it
//! compares tokens by prefix. CWE-287 (improper authentication); OWASP API2:2023.

use super::{Input, Mutation, Plan, one};

pub struct Truncated;

impl Mutation for Truncated {
    fn name(&self) -> &'static str {
        "truncated"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        if input.jwt.is_some() {
            return Plan::Skip("applies to opaque tokens; this one is a JWT".into());
        }
        let chars: Vec<char> = input.token.chars().collect();
        if chars.len() < 8 {
            return Plan::Skip("the token is too short to truncate".into());
        }
        one(
            "the last 4 characters cut",
            chars[..chars.len() - 4].iter().collect(),
        )
    }
}
