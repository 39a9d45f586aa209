//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, the
//! secret used as given (`whsec_…`). Receivers must reject timestamps outside their
//! tolerance (Stripe's libraries default to 300 s). Stripe documents that events may be
//! delivered more than once and asks receivers to deduplicate by event id, but a replay
//! inside the tolerance is not something the signature scheme itself forbids.
//! Reference: docs.stripe.com/webhooks#verify-manually.

use super::{Delivery, Scheme, hex, hmac_sha256};

pub struct Stripe;

impl Scheme for Stripe {
    fn sign(&self, secret: &str, d: &Delivery<'_>) -> Result<Vec<(String, String)>, String> {
        let signed = format!("{}.{}", d.timestamp, d.body);
        let mac = hex(&hmac_sha256(secret.as_bytes(), signed.as_bytes()));
        Ok(vec![(
            "Stripe-Signature".into(),
            format!("t={},v1={mac}", d.timestamp),
        )])
    }

    fn signature_headers(&self) -> Vec<&str> {
        vec!["Stripe-Signature"]
    }

    fn has_timestamp(&self) -> bool {
        true
    }

    fn requires_replay_protection(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_timestamp_dot_body() {
        // Cross-checked with Python: hmac.new(b"whsec_test", b"1700000000.{}", sha256).
        let d = Delivery {
            body: "{}",
            timestamp: 1_700_000_000,
            id: "evt",
        };
        let headers = Stripe.sign("whsec_test", &d).unwrap();
        assert_eq!(
            headers,
            vec![(
                "Stripe-Signature".to_string(),
                "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
                    .to_string()
            )]
        );
    }
}
