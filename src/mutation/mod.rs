//! Token mutations for the `tokens` probe, one per file. Each proves one rule of token
//! validation (RFC 8725, JWT best current practices) by producing doctored tokens the API
//! must refuse. Mutations that need something the run lacks (a JWT, the issuer's signing
//! key or JWKS) are skipped with the reason.

mod alg_none;
mod attacker;
mod claims_tampered;
mod embedded_jwk;
mod expired;
pub mod fuzz;
mod jku_injection;
mod key_confusion;
mod kid_injection;
mod missing_exp;
mod not_yet_valid;
mod random;
mod signature_corrupted;
mod signature_stripped;
mod truncated;
mod wrong_audience;
mod wrong_issuer;
mod wrong_key;
mod x5u_injection;

pub use attacker::Attacker;

use crate::jose::Jwt;

/// What a mutation works from.
pub struct Input<'a> {
    pub token: &'a str,
    pub jwt: Option<&'a Jwt>,
    /// The issuer's signing key, when the suite gives one (an HS secret or a PEM key).
    pub signing_key: Option<&'a str>,
    /// The issuer's public keys (JWKS `keys`), when they could be fetched.
    pub issuer_keys: &'a [serde_json::Value],
    pub attacker: &'a Attacker,
    /// Unix seconds.
    pub now: i64,
}

/// One doctored token and what makes it wrong.
pub struct Variant {
    pub label: String,
    pub token: String,
}

pub enum Plan {
    Send(Vec<Variant>),
    Skip(String),
    /// `expired` without a signing key: wait for the genuine token to expire, replay it.
    WaitForExpiry,
}

pub trait Mutation: Send + Sync {
    fn name(&self) -> &'static str;
    fn plan(&self, input: &Input<'_>) -> Plan;
}

/// Every mutation, in report order.
pub fn catalogue() -> Vec<Box<dyn Mutation>> {
    vec![
        Box::new(alg_none::AlgNone),
        Box::new(signature_stripped::SignatureStripped),
        Box::new(signature_corrupted::SignatureCorrupted),
        Box::new(claims_tampered::ClaimsTampered),
        Box::new(wrong_key::WrongKey),
        Box::new(key_confusion::KeyConfusion),
        Box::new(kid_injection::KidInjection),
        Box::new(jku_injection::JkuInjection),
        Box::new(x5u_injection::X5uInjection),
        Box::new(embedded_jwk::EmbeddedJwk),
        Box::new(expired::Expired),
        Box::new(not_yet_valid::NotYetValid),
        Box::new(wrong_issuer::WrongIssuer),
        Box::new(wrong_audience::WrongAudience),
        Box::new(missing_exp::MissingExp),
        Box::new(truncated::Truncated),
        Box::new(random::Random),
    ]
}

pub fn names() -> Vec<&'static str> {
    catalogue().iter().map(|m| m.name()).collect()
}

/// The decoded JWT, or the skip reason for an opaque token.
fn jwt<'a>(input: &'a Input<'_>) -> Result<&'a Jwt, Plan> {
    input
        .jwt
        .ok_or_else(|| Plan::Skip("the token is opaque (not a JWT)".into()))
}

fn one(label: &str, token: String) -> Plan {
    Plan::Send(vec![Variant {
        label: label.into(),
        token,
    }])
}

/// The genuine token with its claims edited and validly signed with the issuer's own key
/// and algorithm, so that only claim validation can refuse it.
fn mint(
    input: &Input<'_>,
    label: &str,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Plan {
    let jwt = match jwt(input) {
        Ok(j) => j,
        Err(skip) => return skip,
    };
    let Some(key) = input.signing_key else {
        return Plan::Skip("needs the issuer's signing key (`signing_key:` in the probe)".into());
    };
    let Ok(alg) = jwt.alg().parse::<jsonwebtoken::Algorithm>() else {
        return Plan::Skip(format!("cannot sign with algorithm `{}`", jwt.alg()));
    };
    let encoding = match jwt.alg() {
        a if a.starts_with("HS") => Ok(jsonwebtoken::EncodingKey::from_secret(key.as_bytes())),
        a if a.starts_with("RS") || a.starts_with("PS") => {
            jsonwebtoken::EncodingKey::from_rsa_pem(key.as_bytes())
        }
        a if a.starts_with("ES") => jsonwebtoken::EncodingKey::from_ec_pem(key.as_bytes()),
        _ => jsonwebtoken::EncodingKey::from_ed_pem(key.as_bytes()),
    };
    let Ok(encoding) = encoding else {
        return Plan::Skip(format!("the signing key is not usable for {}", jwt.alg()));
    };
    let mut t = jwt.clone();
    edit(&mut t.claims);
    match t.signed(&encoding, alg) {
        Ok(token) => one(label, token),
        Err(e) => Plan::Skip(format!("cannot sign: {e}")),
    }
}

#[cfg(test)]
mod tests {
    /// The loader checks a `tokens` probe's `mutations:` against the model's list.
    #[test]
    fn the_model_names_every_mutation() {
        assert_eq!(crate::model::MUTATIONS, super::names().as_slice());
    }
}
