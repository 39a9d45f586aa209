//! Keys authspec generates for a run, the attacker's side of the key mutations: an
//! RSA-2048 key pair, its JWK, a self-signed certificate for it, and the URLs on
//! 127.0.0.1 where authspec serves the JWKS (`jku`) and the certificate (`x5u`).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use serde_json::json;

use crate::jose::b64;

pub struct Attacker {
    pub key: jsonwebtoken::EncodingKey,
    /// The public key as a JWK (`kid: authspec`).
    pub jwk: serde_json::Value,
    /// A self-signed certificate for the key, PEM.
    pub cert_pem: String,
    pub jwks_url: String,
    pub cert_url: String,
}

pub const KID: &str = "authspec-attacker";

impl Attacker {
    /// `base_url` is where the JWKS and certificate will be served.
    pub fn generate(base_url: &str) -> Result<Self, String> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| "cannot generate an RSA key".to_string())?;
        let pkcs8 = pair
            .as_der()
            .map_err(|_| "cannot encode the RSA key".to_string())?;
        let pem = pem_wrap("PRIVATE KEY", pkcs8.as_ref());
        let key =
            jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
        let public = pair.public_key();
        let jwk = json!({
            "kty": "RSA",
            "kid": KID,
            "use": "sig",
            "alg": "RS256",
            "n": b64(public.modulus().big_endian_without_leading_zero()),
            "e": b64(public.exponent().big_endian_without_leading_zero()),
        });
        let rc_key = rcgen::KeyPair::from_pem(&pem).map_err(|e| e.to_string())?;
        let mut params = rcgen::CertificateParams::new(vec!["authspec.invalid".to_string()])
            .map_err(|e| e.to_string())?;
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(2);
        let cert = params.self_signed(&rc_key).map_err(|e| e.to_string())?;
        Ok(Self {
            key,
            jwk,
            cert_pem: cert.pem(),
            jwks_url: format!("{base_url}/jwks.json"),
            cert_url: format!("{base_url}/cert.pem"),
        })
    }
}

pub fn pem_wrap(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}
