//! `signature_stripped`: the genuine header and claims with an empty signature. An API
//! that accepts it does not verify signatures at all. CWE-347; OWASP API2:2023.

use super::{Input, Mutation, Plan, jwt, one};

pub struct SignatureStripped;

impl Mutation for SignatureStripped {
    fn name(&self) -> &'static str {
        "signature_stripped"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        match jwt(input) {
            Ok(j) => {
                let mut t = j.clone();
                t.signature.clear();
                one("empty signature", t.encode())
            }
            Err(skip) => skip,
        }
    }
}
