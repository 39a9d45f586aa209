//! `wrong_key`: the genuine claims re-signed with a key authspec generates (RS256 for an
//! asymmetric token, HS256 with a random secret for a symmetric one). An API that accepts
//! it verifies the format of a signature but not whose key made it. CWE-347;
//! OWASP API2:2023.

use super::{Input, Mutation, Plan, jwt, one};

pub struct WrongKey;

impl Mutation for WrongKey {
    fn name(&self) -> &'static str {
        "wrong_key"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        let mut t = jwt.clone();
        t.header.remove("kid");
        let signed = if jwt.alg().starts_with("HS") {
            let secret = format!("authspec-wrong-secret-{}", input.now);
            t.signed(
                &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
                jsonwebtoken::Algorithm::HS256,
            )
        } else {
            t.signed(&input.attacker.key, jsonwebtoken::Algorithm::RS256)
        };
        match signed {
            Ok(token) => one("re-signed with a key authspec generated", token),
            Err(e) => Plan::Skip(format!("cannot sign: {e}")),
        }
    }
}
