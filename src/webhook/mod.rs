//! Webhook signature schemes, one per file, each exactly as its provider documents it
//! (header names, signed string, encoding). The `webhooks` probe uses them to send
//! correctly signed, unsigned, forged, stale and replayed deliveries.

mod digest;
mod github;
mod hmac_sha256;
mod scheme;
mod slack;
mod standard_webhooks;
mod stripe;

pub(crate) use digest::{hex, hmac_sha256};
pub use scheme::{Delivery, Scheme, scheme};
