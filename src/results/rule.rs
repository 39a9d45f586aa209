//! The rules the engine's own checks judge, with the CWE and OWASP API Security Top 10
//! (2023) item each one enforces. Leak rules come from the detectors (`leak.<id>`);
//! probe rules live beside their probes.

use super::finding::{FindingKind, Severity};

/// A rule: a stable id and what a finding of it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub kind: FindingKind,
    /// Every CWE it enforces, the main one first.
    pub cwe: &'static [u16],
    pub owasp: Option<&'static str>,
    pub severity: Severity,
}

const API1: &str = "API1:2023 Broken Object Level Authorization";
const API8: &str = "API8:2023 Security Misconfiguration";
const API10: &str = "API10:2023 Unsafe Consumption of APIs";

/// Operations of the suite's OpenAPI document that no check touched, below the suite's
/// `coverage.min`: untested endpoints are where unenforced authorization hides.
pub const OPENAPI_COVERAGE: Rule = Rule {
    id: "openapi.coverage",
    kind: FindingKind::Coverage,
    cwe: &[],
    owasp: Some("API9:2023 Improper Inventory Management"),
    severity: Severity::Medium,
};

/// An allowed call was not answered with a 2xx: the policy and the API disagree.
pub const ACCESS_ALLOW: Rule = Rule {
    id: "access.allow",
    kind: FindingKind::Access,
    cwe: &[],
    owasp: None,
    severity: Severity::Low,
};

/// A call the policy denies was not refused (CWE-285, improper authorization).
pub const ACCESS_DENY: Rule = Rule {
    id: "access.deny",
    kind: FindingKind::Access,
    cwe: &[285],
    owasp: Some(API1),
    severity: Severity::High,
};

/// A deny whose refusal proves nothing: the role was never authenticated (an error).
pub const ACCESS_VACUOUS_DENY: Rule = Rule {
    id: "access.vacuous_deny",
    kind: FindingKind::Access,
    cwe: &[],
    owasp: None,
    severity: Severity::Info,
};

/// A scenario step did not meet its expectations.
pub const SCENARIO_EXPECTATION: Rule = Rule {
    id: "scenario.expectation",
    kind: FindingKind::Assertion,
    cwe: &[],
    owasp: None,
    severity: Severity::Medium,
};

/// The service's log holds a credential of the run (CWE-532).
pub const LOG_NO_SECRETS: Rule = Rule {
    id: "log.no_secrets",
    kind: FindingKind::Log,
    cwe: &[532],
    owasp: Some(API8),
    severity: Severity::High,
};

/// The service's log does not record failed authentications (CWE-778).
pub const LOG_RECORDS: Rule = Rule {
    id: "log.records",
    kind: FindingKind::Log,
    cwe: &[778],
    owasp: None,
    severity: Severity::Medium,
};

/// The SUT accepted an upstream it must refuse (CWE-295, improper certificate
/// validation).
pub const UPSTREAM_TLS_BREACH: Rule = Rule {
    id: "upstream.tls_breach",
    kind: FindingKind::Upstream,
    cwe: &[295],
    owasp: Some(API10),
    severity: Severity::High,
};

/// The SUT did not answer within a step's `within:` bound: it waits on a slow upstream
/// without a timeout of its own (CWE-1088).
pub const RESILIENCE_WITHIN: Rule = Rule {
    id: "resilience.within",
    kind: FindingKind::Upstream,
    cwe: &[1088],
    owasp: Some(API10),
    severity: Severity::Medium,
};

/// What a stub upstream received did not match the step's `upstream:` expectations.
pub const UPSTREAM_EXPECTATION: Rule = Rule {
    id: "upstream.expectation",
    kind: FindingKind::Upstream,
    cwe: &[],
    owasp: Some(API10),
    severity: Severity::Medium,
};
