//! `Jwt`: a compact JWS decoded into JSON maps, re-encoded or re-signed as edited.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// A decoded compact JWS: header and claims as JSON objects, the signature as bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Jwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub signature: Vec<u8>,
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

impl Jwt {
    /// `None` for anything that is not three Base64url parts with JSON object header and
    /// claims (an opaque token).
    pub fn parse(token: &str) -> Option<Self> {
        let mut parts = token.split('.');
        let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let object = |part: &str| match serde_json::from_slice::<Value>(&unb64(part)?) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        };
        Some(Self {
            header: object(h)?,
            claims: object(c)?,
            signature: unb64(s)?,
        })
    }

    pub fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
    }

    /// `base64url(header).base64url(claims)`, what a signature covers.
    pub fn signing_input(&self) -> String {
        let json = |m: &Map<String, Value>| serde_json::to_vec(m).unwrap_or_default();
        format!("{}.{}", b64(&json(&self.header)), b64(&json(&self.claims)))
    }

    pub fn encode(&self) -> String {
        format!("{}.{}", self.signing_input(), b64(&self.signature))
    }

    /// Sets `alg` and re-signs with jsonwebtoken.
    pub fn signed(
        mut self,
        key: &jsonwebtoken::EncodingKey,
        alg: jsonwebtoken::Algorithm,
    ) -> Result<String, String> {
        self.header
            .insert("alg".into(), Value::String(format!("{alg:?}")));
        let input = self.signing_input();
        let sig =
            jsonwebtoken::crypto::sign(input.as_bytes(), key, alg).map_err(|e| e.to_string())?;
        Ok(format!("{input}.{sig}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_resigns_so_jsonwebtoken_accepts_it() {
        let key = b"fake-test-key-0123456789abcdef";
        let claims = serde_json::json!({"sub": "alice", "exp": 4_000_000_000u64});
        let token = jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(key),
        )
        .unwrap();
        let jwt = Jwt::parse(&token).unwrap();
        assert_eq!(jwt.alg(), "HS256");
        assert_eq!(jwt.claims["sub"], "alice");
        let mut edited = jwt.clone();
        edited.claims.insert("sub".into(), "mallory".into());
        let resigned = edited
            .signed(
                &jsonwebtoken::EncodingKey::from_secret(key),
                jsonwebtoken::Algorithm::HS256,
            )
            .unwrap();
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.required_spec_claims.clear();
        let back = jsonwebtoken::decode::<serde_json::Value>(
            &resigned,
            &jsonwebtoken::DecodingKey::from_secret(key),
            &v,
        )
        .unwrap();
        assert_eq!(back.claims["sub"], "mallory");
        assert!(Jwt::parse("opaque-token").is_none());
        assert!(Jwt::parse("a.b.c").is_none());
    }
}
