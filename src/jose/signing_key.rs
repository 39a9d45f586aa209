//! The issuer's signing key as a suite gives it (`signing_key:`): an HS secret, a PEM
//! private key (RSA, EC P-256/P-384 or Ed25519), a private JWK, or a JWKS of them. Each
//! key is proven to sign when it is read, so a key that cannot (a public key, a
//! certificate, a JWK without `d`) is a validation error before anything is sent rather
//! than every claim mutation skipped. Which key signs a token is chosen by its `alg` and
//! `kid`.

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair,
};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::Value;

use super::unb64;

/// The keys a suite gave, each able to sign.
pub struct SigningKey {
    keys: Vec<Key>,
}

struct Key {
    kid: Option<String>,
    family: Family,
    encoding: EncodingKey,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Hmac,
    Rsa,
    P256,
    P384,
    Ed25519,
}

impl Family {
    fn signs(self, alg: Algorithm) -> bool {
        use Algorithm::*;
        match self {
            Family::Hmac => matches!(alg, HS256 | HS384 | HS512),
            Family::Rsa => matches!(alg, RS256 | RS384 | RS512 | PS256 | PS384 | PS512),
            Family::P256 => alg == ES256,
            Family::P384 => alg == ES384,
            Family::Ed25519 => alg == EdDSA,
        }
    }

    /// The algorithm a freshly read key is proven with.
    fn proof_alg(self) -> Algorithm {
        match self {
            Family::Hmac => Algorithm::HS256,
            Family::Rsa => Algorithm::RS256,
            Family::P256 => Algorithm::ES256,
            Family::P384 => Algorithm::ES384,
            Family::Ed25519 => Algorithm::EdDSA,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Family::Hmac => "an HS secret",
            Family::Rsa => "an RSA key",
            Family::P256 => "an EC P-256 key",
            Family::P384 => "an EC P-384 key",
            Family::Ed25519 => "an Ed25519 key",
        }
    }
}

impl SigningKey {
    /// Reads `text`: a PEM block, a JWK or JWKS (JSON), or else an HS secret. The error
    /// says why the key cannot sign, without any of its text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let keys = if t.starts_with("-----BEGIN") {
            vec![pem(t)?]
        } else if t.starts_with('{') {
            json(t)?
        } else {
            let key = Key {
                kid: None,
                family: Family::Hmac,
                encoding: EncodingKey::from_secret(text.as_bytes()),
            };
            vec![key]
        };
        Ok(Self { keys })
    }

    /// The key that signs a token of `alg` with header `kid`, and the algorithm; or why
    /// none does.
    pub fn for_token(
        &self,
        alg: &str,
        kid: Option<&str>,
    ) -> Result<(&EncodingKey, Algorithm), String> {
        let algorithm = alg
            .parse::<Algorithm>()
            .map_err(|_| format!("the token's algorithm `{alg}` is none authspec can sign"))?;
        if let Some(kid) = kid
            && let Some(key) = self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))
        {
            return match key.family.signs(algorithm) {
                true => Ok((&key.encoding, algorithm)),
                false => Err(format!(
                    "the key with the token's kid `{kid}` in signing_key is {}: it cannot sign {alg}",
                    key.family.name()
                )),
            };
        }
        let kids: Vec<&str> = self.keys.iter().filter_map(|k| k.kid.as_deref()).collect();
        if let Some(kid) = kid
            && self.keys.len() > 1
        {
            return Err(format!(
                "no key in signing_key has the token's kid `{kid}` (it has {})",
                if kids.is_empty() {
                    "none".to_string()
                } else {
                    kids.join(", ")
                }
            ));
        }
        let fit: Vec<&Key> = self
            .keys
            .iter()
            .filter(|k| k.family.signs(algorithm))
            .collect();
        match fit.as_slice() {
            [key] => Ok((&key.encoding, algorithm)),
            [] => Err(format!(
                "signing_key is {}, which cannot sign the token's {alg}",
                self.describe()
            )),
            _ => Err(format!(
                "signing_key has {} keys that sign {alg} and the token has no kid to choose by",
                fit.len()
            )),
        }
    }

    fn describe(&self) -> String {
        match self.keys.as_slice() {
            [one] => one.family.name().to_string(),
            many => format!("a JWKS of {} keys", many.len()),
        }
    }
}

/// A PEM private key of any family, proven by signing.
fn pem(text: &str) -> Result<Key, String> {
    let bytes = text.as_bytes();
    let candidates = [
        (Family::Rsa, EncodingKey::from_rsa_pem(bytes)),
        (Family::P256, EncodingKey::from_ec_pem(bytes)),
        (Family::P384, EncodingKey::from_ec_pem(bytes)),
        (Family::Ed25519, EncodingKey::from_ed_pem(bytes)),
    ];
    for (family, encoding) in candidates {
        if let Ok(encoding) = encoding
            && signs(&encoding, family)
        {
            return Ok(Key {
                kid: None,
                family,
                encoding,
            });
        }
    }
    if text.contains("PUBLIC KEY") || text.contains("CERTIFICATE") {
        // Worded apart from the PEM armour: the redactor hides any part of the key.
        return Err(
            "signing_key is only the verifying half of a key pair (or an X.509 cert): it cannot sign"
                .to_string(),
        );
    }
    Err(
        "signing_key is a PEM block but no private key authspec can sign with \
         (RSA, EC P-256/P-384 or Ed25519; PKCS#1, SEC1 or PKCS#8)"
            .to_string(),
    )
}

/// A JWK, or a JWKS whose every key can sign.
fn json(text: &str) -> Result<Vec<Key>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "signing_key looks like a JWK but is not JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let Some(keys) = value.get("keys") else {
        return Ok(vec![
            jwk(&value).map_err(|why| format!("signing_key: {why}"))?,
        ]);
    };
    let keys = keys
        .as_array()
        .ok_or("signing_key: the JWKS `keys` is not a list")?;
    if keys.is_empty() {
        return Err("signing_key: the JWKS has no keys".to_string());
    }
    keys.iter()
        .enumerate()
        .map(|(i, k)| {
            jwk(k).map_err(|why| {
                let kid = k.get("kid").and_then(Value::as_str);
                let name = kid.map_or(format!("key {}", i + 1), |kid| format!("key `{kid}`"));
                format!("signing_key: JWKS {name}: {why}")
            })
        })
        .collect()
}

/// One private JWK (RFC 7517/7518): `oct`, `RSA` with its CRT parameters, `EC` P-256 or
/// P-384, `OKP` Ed25519.
fn jwk(v: &Value) -> Result<Key, String> {
    let field = |name: &str| v.get(name).and_then(Value::as_str);
    let bytes = |name: &str| -> Result<Vec<u8>, String> {
        let text = field(name).ok_or_else(|| format!("the JWK has no `{name}`"))?;
        unb64(text).ok_or_else(|| format!("the JWK's `{name}` is not Base64url"))
    };
    let kty = field("kty").ok_or("the JWK has no `kty`")?;
    if kty != "oct" && field("d").is_none() {
        return Err(format!(
            "the {kty} JWK is a public key (no `d`), which cannot sign"
        ));
    }
    let (family, encoding) = match kty {
        "oct" => (Family::Hmac, EncodingKey::from_secret(&bytes("k")?)),
        "RSA" => {
            let parts = ["n", "e", "d", "p", "q", "dp", "dq", "qi"]
                .iter()
                .map(|p| bytes(p))
                .collect::<Result<Vec<_>, _>>()?;
            (Family::Rsa, EncodingKey::from_rsa_der(&pkcs1(&parts)))
        }
        "EC" => {
            let (family, alg) = match field("crv") {
                Some("P-256") => (Family::P256, &ECDSA_P256_SHA256_FIXED_SIGNING),
                Some("P-384") => (Family::P384, &ECDSA_P384_SHA384_FIXED_SIGNING),
                other => return Err(format!("EC curve {other:?} is not P-256 or P-384")),
            };
            let public = [vec![4u8], bytes("x")?, bytes("y")?].concat();
            let pair = EcdsaKeyPair::from_private_key_and_public_key(alg, &bytes("d")?, &public)
                .map_err(|e| format!("the EC JWK is not a valid key pair: {e}"))?;
            let der = pair
                .to_pkcs8v1()
                .map_err(|_| "the EC JWK cannot be encoded as PKCS#8".to_string())?;
            (family, EncodingKey::from_ec_der(der.as_ref()))
        }
        "OKP" if field("crv") == Some("Ed25519") => {
            let pair = Ed25519KeyPair::from_seed_and_public_key(&bytes("d")?, &bytes("x")?)
                .map_err(|e| format!("the Ed25519 JWK is not a valid key pair: {e}"))?;
            let der = pair
                .to_pkcs8()
                .map_err(|_| "the Ed25519 JWK cannot be encoded as PKCS#8".to_string())?;
            (Family::Ed25519, EncodingKey::from_ed_der(der.as_ref()))
        }
        other => return Err(format!("a `{other}` JWK is no key authspec can sign with")),
    };
    if !signs(&encoding, family) {
        return Err(format!("the {kty} JWK does not sign"));
    }
    Ok(Key {
        kid: field("kid").map(str::to_string),
        family,
        encoding,
    })
}

fn signs(key: &EncodingKey, family: Family) -> bool {
    jsonwebtoken::crypto::sign(b"authspec signing_key check", key, family.proof_alg()).is_ok()
}

/// RSAPrivateKey (RFC 8017 A.1.2) in DER, from the JWK's big-endian integers in order
/// n, e, d, p, q, dp, dq, qi: what jsonwebtoken's RSA signer reads.
fn pkcs1(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut body = der(0x02, &[0]);
    for p in parts {
        let trimmed: &[u8] = match p.iter().position(|b| *b != 0) {
            Some(i) => &p[i..],
            None => &[0],
        };
        // A DER INTEGER is signed: a leading 1 bit needs a zero byte in front.
        let int = match trimmed.first() {
            Some(b) if b & 0x80 != 0 => [&[0u8][..], trimmed].concat(),
            _ => trimmed.to_vec(),
        };
        body.extend(der(0x02, &int));
    }
    der(0x30, &body)
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::b64;

    /// An Ed25519 private JWK made here, with its public half for checking signatures.
    fn ed25519(kid: &str) -> (Value, Vec<u8>) {
        use aws_lc_rs::signature::KeyPair;
        let pair = Ed25519KeyPair::generate().unwrap();
        let seed = pair.seed().unwrap();
        let public = pair.public_key().as_ref().to_vec();
        let d = aws_lc_rs::encoding::AsBigEndian::<aws_lc_rs::encoding::Curve25519SeedBin>::as_be_bytes(&seed).unwrap();
        let jwk = serde_json::json!({"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": b64(&public), "d": b64(d.as_ref())});
        (jwk, public)
    }

    #[test]
    fn a_jwks_signs_with_the_key_of_the_tokens_kid() {
        let (a, _) = ed25519("a");
        let (b, public_b) = ed25519("b");
        let set = serde_json::json!({"keys": [a, b]}).to_string();
        let key = SigningKey::parse(&set).unwrap();
        let (encoding, alg) = key.for_token("EdDSA", Some("b")).unwrap();
        let sig = jsonwebtoken::crypto::sign(b"m", encoding, alg).unwrap();
        let decoding = jsonwebtoken::DecodingKey::from_ed_der(&public_b);
        assert!(jsonwebtoken::crypto::verify(&sig, b"m", &decoding, alg).unwrap());
        assert!(
            key.for_token("EdDSA", Some("c"))
                .unwrap_err()
                .contains("no key in signing_key has the token's kid `c` (it has a, b)")
        );
        assert!(key.for_token("EdDSA", None).unwrap_err().contains("no kid"));
        assert!(
            key.for_token("RS256", Some("a"))
                .unwrap_err()
                .contains("cannot sign RS256")
        );
    }

    #[test]
    fn keys_that_cannot_sign_are_refused_when_read() {
        let (mut public, _) = ed25519("a");
        public.as_object_mut().unwrap().remove("d");
        for (text, why) in [
            (public.to_string(), "is a public key (no `d`)"),
            (r#"{"keys": []}"#.to_string(), "has no keys"),
            ("{not json".to_string(), "is not JSON"),
            (
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".to_string(),
                "only the verifying half of a key pair",
            ),
            (
                r#"{"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "AQAB"}"#.to_string(),
                "has no `p`",
            ),
        ] {
            let e = SigningKey::parse(&text).err().unwrap();
            assert!(e.contains(why), "{e}");
        }
        let hs = SigningKey::parse("fake-hs-secret-0123456789").unwrap();
        assert!(hs.for_token("HS256", None).is_ok());
        assert!(
            hs.for_token("RS256", None)
                .unwrap_err()
                .contains("an HS secret")
        );
    }

    #[test]
    fn pkcs1_integers_are_minimal_and_positive() {
        assert_eq!(
            pkcs1(&[vec![0, 0x7f], vec![0x80]]),
            vec![0x30, 10, 2, 1, 0, 2, 1, 0x7f, 2, 2, 0, 0x80]
        );
        assert_eq!(der(4, &[0; 200])[..3], [4, 0x81, 200]);
    }
}
