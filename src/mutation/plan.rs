//! What a mutation is: it works from the genuine token and what the run knows (`Input`)
//! and plans doctored tokens to send (`Plan::Send`), a skip with the reason, or a wait.

use super::Attacker;
use super::weak_secret::Guess;
use crate::jose::{Jwt, SigningKey};

/// What a mutation works from.
pub struct Input<'a> {
    pub token: &'a str,
    pub jwt: Option<&'a Jwt>,
    /// The issuer's signing key, when the suite gives one (an HS secret, a PEM key, a
    /// JWK or a JWKS).
    pub signing_key: Option<&'a SigningKey>,
    /// The issuer's public keys (JWKS `keys`), when they could be fetched.
    pub issuer_keys: &'a [serde_json::Value],
    pub attacker: &'a Attacker,
    /// Candidate HMAC keys the probe adds to the bundled list (`wordlist:`).
    pub wordlist: &'a [String],
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
    /// The mutation applies but cannot be built (the signing key cannot sign this
    /// token): an error, never a skip, since the suite asked for it to be judged.
    Error(String),
    /// `expired` without a signing key: wait for the genuine token to expire, replay it.
    WaitForExpiry,
    /// `weak_secret`: the HMAC key was guessed (a finding whatever the API then does with
    /// the tokens forged with it).
    Guessed(Guess),
    /// `weak_secret`: none of `tried` candidate keys made the token's signature.
    NotGuessed {
        tried: usize,
    },
}

pub trait Mutation: Send + Sync {
    fn name(&self) -> &'static str;
    fn plan(&self, input: &Input<'_>) -> Plan;
}
