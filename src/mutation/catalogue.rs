//! The catalogue: every mutation, one per file, in report order.

use super::{
    Mutation, alg_none, claims_tampered, embedded_jwk, expired, jku_injection, key_confusion,
    kid_injection, missing_exp, not_yet_valid, random, signature_corrupted, signature_stripped,
    truncated, weak_secret, wrong_audience, wrong_issuer, wrong_key, x5u_injection,
};

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
        Box::new(weak_secret::WeakSecret),
    ]
}

/// The mutations' names, in report order.
pub fn names() -> Vec<&'static str> {
    catalogue().iter().map(|m| m.name()).collect()
}

#[cfg(test)]
mod tests {
    /// The loader checks a `tokens` probe's `mutations:` against the model's list.
    #[test]
    fn the_model_names_every_mutation() {
        assert_eq!(crate::model::MUTATIONS, super::names().as_slice());
    }
}
