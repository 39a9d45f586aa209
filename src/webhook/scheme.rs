//! What a signature scheme does (`Scheme`), what it signs (`Delivery`), and the scheme
//! a probe names.

use super::{github, hmac_sha256, slack, standard_webhooks, stripe};
use crate::model::WebhookScheme;

/// What a scheme needs to sign one delivery.
pub struct Delivery<'a> {
    pub body: &'a str,
    /// Unix seconds.
    pub timestamp: i64,
    /// A unique delivery id (used by schemes that sign or send one).
    pub id: &'a str,
}

pub trait Scheme: Send + Sync {
    /// Headers of a delivery signed with `secret`.
    fn sign(&self, secret: &str, delivery: &Delivery<'_>) -> Result<Vec<(String, String)>, String>;
    /// The headers that carry the signature itself (removed for an unsigned delivery).
    fn signature_headers(&self) -> Vec<&str>;
    /// Whether the signed content includes a timestamp a receiver must check.
    fn has_timestamp(&self) -> bool;
    /// Whether the scheme's documentation requires refusing an identical redelivery.
    fn requires_replay_protection(&self) -> bool;
}

/// The scheme a probe names; `header` is the signature header of `hmac_sha256`.
pub fn scheme(kind: WebhookScheme, header: &str) -> Box<dyn Scheme> {
    match kind {
        WebhookScheme::Stripe => Box::new(stripe::Stripe),
        WebhookScheme::Github => Box::new(github::Github),
        WebhookScheme::Slack => Box::new(slack::Slack),
        WebhookScheme::StandardWebhooks => Box::new(standard_webhooks::StandardWebhooks),
        WebhookScheme::HmacSha256 => Box::new(hmac_sha256::HmacSha256::new(header)),
    }
}
