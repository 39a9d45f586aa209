//! A suite: one file's target, roles, policy, access matrix and scenarios.

use std::sync::Arc;

use super::{
    AccessEntry, AuthServer, Leakage, LogRule, OpenApi, Probe, Role, RoleId, Scenario, Setup, Sut,
    TlsSettings, Upstream,
};

#[derive(Clone, Debug)]
pub struct Suite {
    pub name: String,
    /// The file as the user named it, for reports.
    pub file: Arc<str>,
    pub target: Target,
    /// How this suite's own requests verify TLS (`target.tls`).
    pub tls: TlsSettings,
    pub roles: Vec<Role>,
    pub auth_servers: Vec<AuthServer>,
    pub policy: Policy,
    pub access: Vec<AccessEntry>,
    pub scenarios: Vec<Scenario>,
    pub probes: Vec<Probe>,
    /// Each probe's own tags by probe index (a Gherkin scenario's); YAML probes have none.
    pub probe_tags: Vec<Vec<String>>,
    pub logs: Vec<LogRule>,
    /// Tags of the whole suite (a feature's tags), without `@`.
    pub tags: Vec<String>,
    pub leakage: Leakage,
    /// Third-party APIs authspec stands in for, and the SUT it starts against them.
    pub upstreams: Vec<Upstream>,
    pub sut: Option<Sut>,
    /// Run once before any check; shared (the same `Arc`) by the suites of one
    /// `authspec.yaml` that holds it.
    pub setup: Option<Arc<Setup>>,
    /// `fail_on_skip: true` (its own, or its config's): a skipped case is an error.
    pub fail_on_skip: bool,
    /// `openapi:`: the spec whose operations made some of `access`, and its coverage.
    pub openapi: Option<OpenApi>,
}

impl Suite {
    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.0]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The built-in demo API, served in-process for the run.
    Demo,
    Url(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Statuses that count as "refused" for `deny` cells.
    pub deny_status: Vec<u16>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            deny_status: vec![401, 403],
        }
    }
}
