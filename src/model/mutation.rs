//! The token mutation names a `tokens` probe may list, in report order. The loader checks
//! suites against this list; the catalogue in `mutation/` implements them, and its test
//! keeps the two equal.

/// Every mutation of the catalogue, by name.
pub const MUTATIONS: &[&str] = &[
    "alg_none",
    "signature_stripped",
    "signature_corrupted",
    "claims_tampered",
    "wrong_key",
    "key_confusion",
    "kid_injection",
    "jku_injection",
    "x5u_injection",
    "embedded_jwk",
    "expired",
    "not_yet_valid",
    "wrong_issuer",
    "wrong_audience",
    "missing_exp",
    "truncated",
    "random",
];
