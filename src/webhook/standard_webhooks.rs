//! Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
//! `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<ts>.<body>")>`, where the key is
//! the Base64 part of a `whsec_…` secret. The specification has receivers reject stale
//! timestamps and use `webhook-id` to refuse a message they have already processed, so an
//! identical replay must be refused.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::{Delivery, Scheme, hmac_sha256};

pub struct StandardWebhooks;

impl Scheme for StandardWebhooks {
    fn sign(&self, secret: &str, d: &Delivery<'_>) -> Result<Vec<(String, String)>, String> {
        let key = STANDARD
            .decode(secret.trim_start_matches("whsec_"))
            .map_err(|_| "a Standard Webhooks secret is `whsec_` followed by Base64".to_string())?;
        let signed = format!("{}.{}.{}", d.id, d.timestamp, d.body);
        let mac = STANDARD.encode(hmac_sha256(&key, signed.as_bytes()));
        Ok(vec![
            ("webhook-id".into(), d.id.to_string()),
            ("webhook-timestamp".into(), d.timestamp.to_string()),
            ("webhook-signature".into(), format!("v1,{mac}")),
        ])
    }

    fn signature_headers(&self) -> Vec<&str> {
        vec!["webhook-signature"]
    }

    fn has_timestamp(&self) -> bool {
        true
    }

    fn requires_replay_protection(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_specifications_test_vector() {
        let d = Delivery {
            body: r#"{"test": 2432232314}"#,
            timestamp: 1_614_265_330,
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        };
        let headers = StandardWebhooks
            .sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &d)
            .unwrap();
        assert_eq!(
            headers[2].1,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_secret_that_is_not_base64_is_an_error() {
        let d = Delivery {
            body: "{}",
            timestamp: 1,
            id: "m",
        };
        assert!(StandardWebhooks.sign("whsec_not base64!", &d).is_err());
    }
}
