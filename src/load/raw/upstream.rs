//! Raw `upstreams:`, `sut:`, `upstream_tls:` and `expect.upstream` entries: what the
//! suite says, with positions.

use schemars::JsonSchema;
use serde::Deserialize;

use super::span::{OneOrMany, S, SpannedMap};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUpstream {
    #[serde(default)]
    pub routes: Vec<RawRoute>,
    pub listen: Option<S<String>>,
    pub internal: Option<S<bool>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub request: S<String>,
    pub respond: Option<RawRespond>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRespond {
    pub status: Option<S<u16>>,
    pub json: Option<serde_json::Value>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSut {
    /// `[program, arg, …]`, or one string split at spaces.
    pub command: S<OneOrMany<String>>,
    pub env: Option<SpannedMap<String>>,
    pub ready: S<String>,
    /// Seconds, or `90s`, `2m`.
    pub ready_timeout: Option<S<serde_json::Value>>,
}

#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUpstreamExpect {
    pub requests: Option<S<RawCount>>,
    /// `increasing`: the gaps between the requests grow (retries with backoff).
    pub backoff: Option<S<String>>,
    /// `POST /v1/charges`: every request received has this method and path.
    pub request: Option<S<String>>,
    /// Header name to the value every request carries.
    pub header: Option<SpannedMap<String>>,
    pub header_present: Option<Vec<S<String>>>,
    pub header_absent: Option<Vec<S<String>>>,
    pub query_has_no_secret: Option<bool>,
}

/// `requests: 3`, or `requests: { min: 1, max: 3 }`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawCount {
    Exactly(usize),
    Range(RawRange),
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    pub min: Option<usize>,
    pub max: Option<usize>,
}

/// How one upstream misbehaves during a scenario: exactly one kind per upstream.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    /// Answer as usual after this long (`30s`, `500ms`).
    pub delay: Option<S<serde_json::Value>>,
    /// Answer every request with this status (and `json:`, `body:`, `headers:`).
    pub status: Option<S<u16>>,
    pub json: Option<serde_json::Value>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    /// Answer the requests in turn (`[503, 503, 200]`); after the last, as usual.
    pub sequence: Option<S<Vec<RawFaultAnswer>>>,
    /// `true`: reset the connection once the request arrived.
    pub reset: Option<S<bool>>,
    /// `truncated` (the route's JSON cut off) or `not_json` (HTML as application/json).
    pub malformed: Option<S<String>>,
    /// A JSON body this large (`20MiB`; at most 256 MiB).
    pub huge_body: Option<S<serde_json::Value>>,
    /// The usual answer with its body dripped over this long (`30s`).
    pub slow_body: Option<S<serde_json::Value>>,
}

/// One answer of a `sequence`: a status, or a status with a body.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawFaultAnswer {
    Status(u16),
    Full(RawFaultFull),
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFaultFull {
    pub status: u16,
    pub json: Option<serde_json::Value>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
}
