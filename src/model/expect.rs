//! Expectations a response must meet.

use serde_json_path::JsonPath;

use super::{KeyQuality, UpstreamExpectation, Verdict};

#[derive(Clone, Debug, Default)]
pub struct Expectation {
    /// Access-matrix semantics for one step: allow = any 2xx; deny = a policy refusal
    /// status, and only for a proven role.
    pub access: Option<Verdict>,
    /// Any of these status codes; `None` accepts any status.
    pub status: Option<Vec<u16>>,
    pub json: Vec<JsonAssertion>,
    pub body_contains: Vec<String>,
    pub body_not_contains: Vec<String>,
    pub headers: Vec<HeaderExpectation>,
    pub key_quality: Option<KeyQuality>,
    pub upstream: Vec<UpstreamExpectation>,
    /// The response must arrive within this long; past it the step fails and the
    /// request is abandoned.
    pub within: Option<std::time::Duration>,
    /// Whether the step shows it got the response it meant: by a positive expectation
    /// (a JSON value, a text the body contains, a header's value) or by values it
    /// captures. Where neither `status` nor `access` is given, such a step accepts any
    /// status (a login that must fail, and whose message is compared); every other step
    /// without them must answer 2xx, so that negative expectations alone
    /// (`body_not_contains`) never pass on an error page.
    pub any_status: bool,
}

impl Expectation {
    /// Whether something in the response must be present for this to hold.
    pub fn positive(&self) -> bool {
        !self.json.is_empty()
            || !self.body_contains.is_empty()
            || self.headers.iter().any(|h| h.value.is_some())
    }
}

#[derive(Clone, Debug)]
pub struct JsonAssertion {
    /// As written, for messages.
    pub path_text: String,
    pub path: JsonPath,
    pub expected: serde_json::Value,
}

#[derive(Clone, Debug)]
pub struct HeaderExpectation {
    pub name: String,
    /// `Some(v)`: the header must equal `v`; `None`: the header must be absent.
    pub value: Option<String>,
}
