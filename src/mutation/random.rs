//! `random`: a random token of the same length and alphabet as the genuine opaque one.
//! An API that accepts it checks the shape of a token, not that it was issued.
//! CWE-287; OWASP API2:2023.

use super::{Input, Mutation, Plan, one};

pub struct Random;

impl Mutation for Random {
    fn name(&self) -> &'static str {
        "random"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        if input.jwt.is_some() {
            return Plan::Skip("applies to opaque tokens; this one is a JWT".into());
        }
        let mut alphabet: Vec<char> = input.token.chars().collect();
        alphabet.sort_unstable();
        alphabet.dedup();
        let mut bytes = vec![0u8; input.token.chars().count()];
        if aws_lc_rs::rand::fill(&mut bytes).is_err() || alphabet.is_empty() {
            return Plan::Skip("no randomness available".into());
        }
        let token: String = bytes
            .iter()
            .map(|b| alphabet[*b as usize % alphabet.len()])
            .collect();
        one("random token, same length and alphabet", token)
    }
}
