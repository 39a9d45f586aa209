//! Raw `probes:` entries (a YAML `probes:` item, or a Gherkin probe step's table): what
//! the suite says, with positions.

use schemars::JsonSchema;
use serde::Deserialize;

use super::span::{OneOrMany, S, SpannedMap};

/// One entry of `probes:`, named by its single key.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawProbe {
    RateLimit(RawRateLimit),
    Webhooks(RawWebhooks),
    Headers(RawHeaders),
    Tokens(RawTokens),
    Oauth(RawOAuthProbe),
    Tls(RawTlsProbe),
    Enumeration(RawEnumeration),
}

/// `enumeration`: one request in two variants that must be answered alike.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEnumeration {
    /// Sent as this role; without it, with no credential.
    #[serde(rename = "as")]
    pub as_role: Option<S<String>>,
    pub request: S<String>,
    /// What the request sends for an account that does not exist.
    pub unknown: S<RawVariant>,
    /// What it sends for an account that exists, with a wrong secret.
    pub wrong_secret: S<RawVariant>,
    /// Timed requests of each variant for `timing` (default 10).
    pub tries: Option<S<u32>>,
    /// `timing` warns past this difference of medians: `50ms` (default), `0.2s`.
    pub threshold: Option<S<serde_json::Value>>,
}

/// What one variant of the request sends, as a scenario step writes it.
#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    pub json: Option<serde_json::Value>,
    pub form: Option<SpannedMap<String>>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    pub query: Option<SpannedMap<String>>,
}

impl RawVariant {
    pub fn parts<'a>(&'a self, request: &'a S<String>) -> super::RawRequestParts<'a> {
        super::RawRequestParts {
            request,
            json: self.json.as_ref(),
            form: self.form.as_ref(),
            body: self.body.as_ref(),
            headers: self.headers.as_ref(),
            query: self.query.as_ref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.json.is_none()
            && self.form.is_none()
            && self.body.is_none()
            && self.headers.is_none()
            && self.query.is_none()
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOAuthProbe {
    pub server: S<String>,
    #[serde(rename = "as")]
    pub as_roles: Option<S<OneOrMany<String>>>,
    pub max_token_lifetime: Option<S<serde_json::Value>>,
    /// `all`, or a list of check names.
    pub checks: Option<S<OneOrMany<String>>>,
    pub request: Option<S<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTokens {
    #[serde(rename = "as")]
    pub as_role: S<String>,
    pub request: S<String>,
    /// `all`, or a list of mutation names.
    pub mutations: Option<S<OneOrMany<String>>>,
    /// Seconds, or `90s`, `2m`.
    pub max_wait: Option<S<serde_json::Value>>,
    pub signing_key: Option<S<String>>,
    /// Random header and claim edits to try, property-based.
    pub fuzz: Option<S<u32>>,
    /// Seconds of clock skew allowed past `exp` (default 60).
    pub leeway: Option<S<serde_json::Value>>,
    /// More candidate HMAC keys for `weak_secret`, one a line: `${file:PATH}`.
    pub wordlist: Option<S<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimit {
    /// Optional: without it the burst is sent with no credential (a login endpoint).
    #[serde(rename = "as")]
    pub as_role: Option<S<String>>,
    pub request: S<String>,
    pub json: Option<serde_json::Value>,
    pub form: Option<SpannedMap<String>>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    pub burst: Option<S<u32>>,
    pub expect_within: Option<S<u32>>,
    /// `required` or `optional`.
    pub retry_after: Option<S<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWebhooks {
    pub request: S<String>,
    pub scheme: S<String>,
    pub secret: S<String>,
    pub payload: serde_json::Value,
    pub tolerance: Option<S<u64>>,
    pub header: Option<S<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHeaders {
    #[serde(rename = "as")]
    pub as_role: S<String>,
    pub requests: Vec<S<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTlsProbe {
    pub urls: Option<S<OneOrMany<S<String>>>>,
    /// `"1.2"` or `"1.3"` (a number is accepted too).
    pub min_version: Option<S<serde_json::Value>>,
    pub min_days_to_expiry: Option<S<u32>>,
    pub min_rsa_bits: Option<S<u32>>,
    pub hsts_min_age: Option<S<u64>>,
    pub plain_http: Option<S<String>>,
    /// The endpoints refuse a handshake without a client certificate (mTLS).
    pub client_cert_required: Option<S<bool>>,
}
