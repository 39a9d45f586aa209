//! A finding: a security expectation that does not hold, as data — which rule, its CWE
//! and OWASP API Top 10 ids, how severe, and the evidence.

use std::borrow::Cow;
use std::fmt;

use super::error::CheckError;
use super::evidence::{Evidence, LeakLine};
use super::rule::{self, Rule};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub rule: RuleId,
    pub cwe: Option<u16>,
    /// `API8:2023 Security Misconfiguration`.
    pub owasp: Option<&'static str>,
    pub severity: Severity,
    /// The one line a reader sees first.
    pub message: String,
    pub evidence: Evidence,
}

/// What sort of check found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// Built through the transitional `Finding::new`, not yet classified.
    Unclassified,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
            cwe: rule.cwe,
            owasp: rule.owasp,
            severity: rule.severity,
            message: message.into(),
            evidence,
        }
    }

    /// A finding of the leak `first` (the headline of a response that leaks).
    pub fn leak(first: &LeakLine, message: impl Into<String>, evidence: Evidence) -> Self {
        Self {
            kind: FindingKind::Leak,
            rule: first.rule.clone(),
            cwe: Some(first.cwe),
            owasp: Some(first.owasp),
            severity: Severity::Medium,
            message: message.into(),
            evidence,
        }
    }

    /// Transitional: a message and a free-text detail, kept as notes so they print as
    /// before. Returns a `Finding` or a `CheckError`, whichever the call site needs, so
    /// probes written against the old single type compile until they build `Evidence`.
    /// Deprecated: use `Finding::of` or `CheckError::new`.
    #[allow(clippy::new_ret_no_self)] // on purpose, for the transition only
    pub fn new<T: From<Legacy>>(message: impl Into<String>, detail: impl Into<String>) -> T {
        T::from(Legacy {
            message: message.into(),
            detail: detail.into(),
        })
    }

    /// The detail block reporters print under the message.
    pub fn detail(&self) -> String {
        self.evidence.text()
    }
}

/// The old shape of a result: a message and a free-text detail.
pub struct Legacy {
    pub message: String,
    pub detail: String,
}

impl Legacy {
    pub fn evidence(detail: &str) -> Evidence {
        // One note, not one per line: the text comes out byte for byte as it went in.
        Evidence {
            notes: if detail.is_empty() {
                Vec::new()
            } else {
                vec![detail.to_string()]
            },
            ..Evidence::default()
        }
    }
}

impl From<Legacy> for Finding {
    fn from(l: Legacy) -> Self {
        Finding::of(&rule::UNCLASSIFIED, l.message, Legacy::evidence(&l.detail))
    }
}

impl From<Legacy> for CheckError {
    fn from(l: Legacy) -> Self {
        CheckError::unclassified(l.message, Legacy::evidence(&l.detail))
    }
}

/// Transitional, for results built as findings and reported as errors.
impl From<Finding> for CheckError {
    fn from(f: Finding) -> Self {
        CheckError::unclassified(f.message, f.evidence)
    }
}
