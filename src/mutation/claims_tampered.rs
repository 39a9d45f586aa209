//! `claims_tampered`: the genuine signature kept, the claims edited: scope or role widened
//! to admin, `sub` swapped. An API that accepts it trusts claims it never verified.
//! CWE-345 (insufficient verification of data authenticity); OWASP API2:2023.

use serde_json::Value;

use super::{Input, Mutation, Plan, Variant, jwt};
use crate::jose::Jwt;

pub struct ClaimsTampered;

impl Mutation for ClaimsTampered {
    fn name(&self) -> &'static str {
        "claims_tampered"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        Plan::Send(
            edited(jwt)
                .into_iter()
                .map(|(label, t)| Variant {
                    label: format!("{label}, signature kept"),
                    token: t.encode(),
                })
                .collect(),
        )
    }
}

/// The genuine token with its claims edited as an attacker would (signature untouched):
/// scope and role widened to admin, and `sub` swapped. `weak_secret` re-signs the same
/// edits with a guessed key.
pub fn edited(jwt: &Jwt) -> Vec<(&'static str, Jwt)> {
    let mut widened = jwt.clone();
    match widened.claims.get("scope").cloned() {
        Some(Value::String(s)) => {
            widened.claims.insert(
                "scope".into(),
                Value::String(format!("{s} admin api:admin")),
            );
        }
        _ => {
            widened
                .claims
                .insert("scope".into(), Value::String("admin api:admin".into()));
        }
    }
    widened
        .claims
        .insert("role".into(), Value::String("admin".into()));
    let mut swapped = jwt.clone();
    swapped
        .claims
        .insert("sub".into(), Value::String("authspec-other-subject".into()));
    vec![
        ("scope and role widened to admin", widened),
        ("sub swapped", swapped),
    ]
}
