//! `signature_corrupted`: the genuine token with one byte of its signature changed. An
//! API that accepts it checks that a signature is present, not that it is valid.
//! CWE-347; OWASP API2:2023.

use super::{Input, Mutation, Plan, jwt, one};

pub struct SignatureCorrupted;

impl Mutation for SignatureCorrupted {
    fn name(&self) -> &'static str {
        "signature_corrupted"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        match jwt(input) {
            Ok(j) if !j.signature.is_empty() => {
                let mut t = j.clone();
                let mid = t.signature.len() / 2;
                t.signature[mid] ^= 0x5a;
                one("one byte of the signature changed", t.encode())
            }
            Ok(_) => Plan::Skip("the token has no signature to corrupt".into()),
            Err(skip) => skip,
        }
    }
}
