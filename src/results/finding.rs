//! A finding: a security expectation that does not hold, as data — which rule, its CWE
//! and OWASP API Top 10 ids, how severe, and the evidence.

use std::borrow::Cow;
use std::fmt;

use super::evidence::{Evidence, LeakLine};
use super::rule::Rule;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub rule: RuleId,
    /// Every CWE the rule enforces, the main one first (`kid_injection`: 22, 89, 347);
    /// reporters that show one show the first.
    pub cwe: Vec<u16>,
    /// `API8:2023 Security Misconfiguration`.
    pub owasp: Option<&'static str>,
    pub severity: Severity,
    /// The one line a reader sees first.
    pub message: String,
    pub evidence: Box<Evidence>,
}

/// What sort of check found it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An access-matrix cell or a scenario step with `allow`/`deny`.
    Access,
    /// A scenario step's status, header, body or JSON expectation.
    Assertion,
    /// Something in a response that must not be there.
    Leak,
    /// The service's own log.
    Log,
    /// What the SUT did with a stub upstream.
    Upstream,
    /// A case of a probe (tokens, TLS, headers, webhooks, OAuth, rate limit).
    ProbeCase,
    /// Operations of an OpenAPI document no check touched, below `coverage.min`.
    Coverage,
}

/// How bad a finding is; SARIF's `security-severity` follows it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// A stable rule id: `access.deny`, `leak.stack_trace`, `tokens.alg_none`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RuleId(Cow<'static, str>);

impl RuleId {
    pub const fn fixed(id: &'static str) -> Self {
        Self(Cow::Borrowed(id))
    }

    /// `leak.<detector>`.
    pub fn leak(detector: &str) -> Self {
        Self(Cow::Owned(format!("leak.{detector}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Finding {
    /// A finding of `rule`, with the rule's kind, CWE, OWASP item and severity.
    pub fn of(rule: &Rule, message: impl Into<String>, evidence: Evidence) -> Self {
        Self {
            kind: rule.kind,
            rule: RuleId::fixed(rule.id),
            cwe: rule.cwe.to_vec(),
            owasp: rule.owasp,
            severity: rule.severity,
            message: message.into(),
            evidence: Box::new(evidence),
        }
    }

    /// A finding of the leak `first` (the headline of a response that leaks).
    pub fn leak(first: &LeakLine, message: impl Into<String>, evidence: Evidence) -> Self {
        Self {
            kind: FindingKind::Leak,
            rule: first.rule.clone(),
            cwe: vec![first.cwe],
            owasp: Some(first.owasp),
            severity: Severity::Medium,
            message: message.into(),
            evidence: Box::new(evidence),
        }
    }

    /// The detail block reporters print under the message.
    pub fn detail(&self) -> String {
        self.evidence.text()
    }

    /// The main CWE, where a report has room for one.
    pub fn first_cwe(&self) -> Option<u16> {
        self.cwe.first().copied()
    }
}
