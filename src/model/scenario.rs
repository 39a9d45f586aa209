//! Scenarios: ordered steps, each a request by one role with expectations and captures.

use serde_json_path::JsonPath;

use super::{Expectation, Location, Request, RoleId, UpstreamTls};

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub steps: Vec<Step>,
    pub location: Location,
    pub tags: Vec<String>,
    /// Upstreams (by index) that present something other than a valid certificate.
    pub upstream_tls: Vec<(usize, UpstreamTls)>,
    /// Upstreams (by index) that misbehave during this scenario.
    pub upstream_faults: Vec<(usize, super::UpstreamFault)>,
}

impl Scenario {
    /// Whether a step expects a refusal: such a scenario is judged after role proofs.
    pub fn has_deny(&self) -> bool {
        self.steps
            .iter()
            .any(|s| s.expect.access == Some(super::Verdict::Deny))
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    pub role: RoleId,
    pub request: Request,
    pub expect: Expectation,
    pub captures: Vec<Capture>,
}

/// Takes a JSONPath value of the response into a `{{name}}` variable for later steps.
#[derive(Clone, Debug)]
pub struct Capture {
    pub name: String,
    pub path_text: String,
    pub path: JsonPath,
}
