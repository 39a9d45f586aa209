//! GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`, plus
//! `X-GitHub-Event` and `X-GitHub-Delivery`. No timestamp is signed, so neither staleness
//! nor replay can be refused by the signature alone; GitHub suggests deduplicating by
//! `X-GitHub-Delivery`. Reference: docs.github.com, "Validating webhook deliveries".

use super::{Delivery, Scheme, hex, hmac_sha256};

pub struct Github;

impl Scheme for Github {
    fn sign(&self, secret: &str, d: &Delivery<'_>) -> Result<Vec<(String, String)>, String> {
        let mac = hex(&hmac_sha256(secret.as_bytes(), d.body.as_bytes()));
        Ok(vec![
            ("X-Hub-Signature-256".into(), format!("sha256={mac}")),
            ("X-GitHub-Event".into(), "ping".into()),
            ("X-GitHub-Delivery".into(), d.id.to_string()),
        ])
    }

    fn signature_headers(&self) -> Vec<&str> {
        vec!["X-Hub-Signature-256"]
    }

    fn has_timestamp(&self) -> bool {
        false
    }

    fn requires_replay_protection(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_githubs_documented_test_values() {
        // docs.github.com: secret "It's a Secret to Everybody", payload "Hello, World!".
        let d = Delivery {
            body: "Hello, World!",
            timestamp: 0,
            id: "1",
        };
        let headers = Github.sign("It's a Secret to Everybody", &d).unwrap();
        assert_eq!(
            headers[0].1,
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
    }
}
