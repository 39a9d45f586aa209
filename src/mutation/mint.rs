//! What mutations share: the decoded JWT or the skip for an opaque token, a plan of one
//! token, and minting (edited claims, validly re-signed with the issuer's own key, the
//! one of the token's `alg` and `kid`).

use super::{Input, Plan, Variant};
use crate::jose::Jwt;

/// The decoded JWT, or the skip reason for an opaque token.
pub fn jwt<'a>(input: &'a Input<'_>) -> Result<&'a Jwt, Plan> {
    input
        .jwt
        .ok_or_else(|| Plan::Skip("the token is opaque (not a JWT)".into()))
}

/// A plan of one doctored token.
pub fn one(label: &str, token: String) -> Plan {
    Plan::Send(vec![Variant {
        label: label.into(),
        token,
    }])
}

/// The genuine token with its claims edited and validly signed with the issuer's own key
/// and algorithm, so that only claim validation can refuse it.
pub fn mint(
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
    let kid = jwt.header.get("kid").and_then(|k| k.as_str());
    let (encoding, alg) = match key.for_token(jwt.alg(), kid) {
        Ok(k) => k,
        Err(why) => return Plan::Error(why),
    };
    let mut t = jwt.clone();
    edit(&mut t.claims);
    match t.signed(encoding, alg) {
        Ok(token) => one(label, token),
        Err(e) => Plan::Error(format!("cannot sign with signing_key: {e}")),
    }
}
