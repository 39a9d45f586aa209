//! Probe `rate_limit`: a burst of requests from one role (or with no credential) must be answered with 429 Too
//! Many Requests, early enough, with a valid `Retry-After`. Without a limit, credential
//! stuffing and scraping run unchecked. CWE-770 (allocation of resources without limits);
//! OWASP API4:2023 (unrestricted resource consumption).

use super::ProbeCase;
use super::case::probe_cases;
use crate::model::{Location, Request, RoleId};

/// A burst must be answered with 429 and a valid `Retry-After`.
#[derive(Clone, Debug)]
pub struct RateLimitProbe {
    /// `None`: the burst carries no credential (`as:` left out, e.g. a login endpoint).
    pub role: Option<RoleId>,
    /// The whole request, body and headers included: a login burst sends credentials.
    pub request: Request,
    /// Requests at most.
    pub burst: u32,
    /// A 429 must come at or before this request.
    pub expect_within: u32,
    pub retry_after_required: bool,
    /// The suite entry, for the `-->` line of every finding and error of the probe.
    pub location: Location,
}

probe_cases! {
    /// The probe's one case; its check is named after the probe alone.
    pub enum RateLimitCase in "rate_limit" {
        /// A 429 by `expect_within`, with a valid `Retry-After` when required.
        Limited = "429", cwe [770], owasp API4;
    }
}

impl RateLimitProbe {
    pub fn cases(&self) -> Vec<ProbeCase> {
        RateLimitCase::ALL
            .iter()
            .map(|&c| ProbeCase::RateLimit(c))
            .collect()
    }
}
