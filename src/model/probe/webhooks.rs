//! Probe `webhooks`: does the receiver verify signatures? A correctly signed delivery must
//! be accepted (the positive control); unsigned, wrongly signed, tampered, stale and
//! replayed deliveries must be refused. CWE-345 (insufficient verification of data
//! authenticity), CWE-294 (capture-replay); OWASP API10:2023 (unsafe consumption of APIs).

use super::ProbeCase;
use super::case::probe_cases;
use crate::model::{Location, Request, Secret};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookScheme {
    Stripe,
    Github,
    Slack,
    StandardWebhooks,
    HmacSha256,
}

impl WebhookScheme {
    pub fn name(self) -> &'static str {
        match self {
            WebhookScheme::Stripe => "stripe",
            WebhookScheme::Github => "github",
            WebhookScheme::Slack => "slack",
            WebhookScheme::StandardWebhooks => "standard_webhooks",
            WebhookScheme::HmacSha256 => "hmac_sha256",
        }
    }
}

/// Forged, unsigned, stale and replayed deliveries must be refused.
#[derive(Clone, Debug)]
pub struct WebhookProbe {
    pub request: Request,
    pub scheme: WebhookScheme,
    pub secret: Secret,
    pub payload: serde_json::Value,
    /// Seconds a timestamp may be old.
    pub tolerance: u64,
    /// For `hmac_sha256`: the header carrying the hex signature.
    pub header: String,
    /// The suite entry, for the `-->` line of every finding and error of the probe.
    pub location: Location,
}

probe_cases! {
    /// Refused means a 4xx.
    pub enum WebhookCase in "webhooks" {
        /// The positive control: without it every refusal is vacuous.
        ValidSignatureAccepted = "valid_signature_accepted", cwe [], owasp API10;
        UnsignedRefused = "unsigned_refused", cwe [345], owasp API10;
        WrongSecretRefused = "wrong_secret_refused", cwe [345], owasp API10;
        /// The body changed after signing.
        TamperedBodyRefused = "tampered_body_refused", cwe [345], owasp API10;
        /// Signed longer ago than `tolerance`; only for schemes that sign a timestamp.
        StaleTimestampRefused = "stale_timestamp_refused", cwe [294], owasp API10;
        /// The identical delivery twice; a warning where the scheme does not require it.
        ReplayRefused = "replay_refused", cwe [294], owasp API10;
    }
}

impl WebhookCase {
    /// Whether the case applies to a scheme; `timestamped`: the scheme signs a timestamp.
    /// The one place that decides which webhook cases a probe has.
    pub fn applies(self, timestamped: bool) -> bool {
        self != WebhookCase::StaleTimestampRefused || timestamped
    }
}

impl WebhookProbe {
    /// Every case for the probe's scheme; `timestamped` comes from the scheme catalogue.
    pub fn cases(&self, timestamped: bool) -> Vec<ProbeCase> {
        WebhookCase::ALL
            .iter()
            .filter(|c| c.applies(timestamped))
            .map(|&c| ProbeCase::Webhooks(c))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::WebhookCase;

    #[test]
    fn the_stale_timestamp_case_only_for_schemes_with_timestamps() {
        for case in WebhookCase::ALL {
            assert!(case.applies(true), "{case:?}");
            assert_eq!(
                case.applies(false),
                *case != WebhookCase::StaleTimestampRefused,
                "{case:?}"
            );
        }
        // Each scheme says whether it signs a timestamp; those that do get the case.
        use crate::model::WebhookScheme::*;
        for scheme in [Stripe, Github, Slack, StandardWebhooks, HmacSha256] {
            let timestamped = crate::webhook::scheme(scheme, "X-Signature").has_timestamp();
            assert_eq!(
                timestamped,
                matches!(scheme, Stripe | Slack | StandardWebhooks)
            );
        }
    }

    #[test]
    fn the_positive_control_comes_first() {
        assert_eq!(WebhookCase::ALL[0], WebhookCase::ValidSignatureAccepted);
    }
}
