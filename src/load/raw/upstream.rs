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

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUpstreamExpect {
    pub requests: Option<S<usize>>,
    /// `POST /v1/charges`: every request received has this method and path.
    pub request: Option<S<String>>,
    /// Header name to the value every request carries.
    pub header: Option<SpannedMap<String>>,
    pub header_present: Option<Vec<S<String>>>,
    pub header_absent: Option<Vec<S<String>>>,
    pub query_has_no_secret: Option<bool>,
}
