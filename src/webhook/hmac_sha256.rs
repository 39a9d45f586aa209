//! Generic HMAC: `<header>: <hex HMAC-SHA256(secret, body)>` (default `X-Signature`), as
//! many in-house and smaller providers sign. No timestamp, so only forgery and tampering
//! can be refused by the signature.

use super::{Delivery, Scheme, hex, hmac_sha256};

pub struct HmacSha256 {
    header: String,
}

impl HmacSha256 {
    pub fn new(header: &str) -> Self {
        Self {
            header: header.to_string(),
        }
    }
}

impl Scheme for HmacSha256 {
    fn sign(&self, secret: &str, d: &Delivery<'_>) -> Result<Vec<(String, String)>, String> {
        let mac = hex(&hmac_sha256(secret.as_bytes(), d.body.as_bytes()));
        Ok(vec![(self.header.clone(), mac)])
    }

    fn signature_headers(&self) -> Vec<&str> {
        vec![self.header.as_str()]
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
    fn signs_the_body_in_the_configured_header() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let d = Delivery {
            body: "what do ya want for nothing?",
            timestamp: 0,
            id: "",
        };
        let headers = HmacSha256::new("X-Hook-Sig").sign("Jefe", &d).unwrap();
        assert_eq!(
            headers,
            vec![(
                "X-Hook-Sig".to_string(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843".to_string()
            )]
        );
    }
}
