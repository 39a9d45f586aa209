//! Token mutations for the `tokens` probe, one per file. Each proves one rule of token
//! validation (RFC 8725, JWT best current practices) by producing doctored tokens the API
//! must refuse. Mutations that need something the run lacks (a JWT, the issuer's signing
//! key or JWKS) are skipped with the reason.

mod alg_none;
mod attacker;
mod catalogue;
mod claims_tampered;
mod embedded_jwk;
mod expired;
pub mod fuzz;
mod jku_injection;
mod key_confusion;
mod kid_injection;
mod mint;
mod missing_exp;
mod not_yet_valid;
mod plan;
mod random;
mod signature_corrupted;
mod signature_stripped;
mod truncated;
mod weak_secret;
mod wrong_audience;
mod wrong_issuer;
mod wrong_key;
mod x5u_injection;

pub use attacker::Attacker;
pub use catalogue::{catalogue, names};
use mint::{jwt, mint, one};
pub use plan::{Input, Mutation, Plan, Variant};
pub use weak_secret::{Guess, masked};
