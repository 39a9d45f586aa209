//! The verdicts every probe gives, built the same way: a failure with its evidence, a
//! case the harness could not judge, a vacuous case; and the rule and severity a case's
//! failure is filed under.

use crate::engine::request::http::Exchange;
use crate::model::{ProbeCase, WebhookCase};
use crate::results::{
    Actual, CheckError, ErrorKind, Evidence, Finding, FindingKind, HarnessError, Outcome,
    RequestInfo, Rule, Severity,
};

/// The rule a case's findings are filed under, with all of the case's CWEs.
pub fn rule(case: ProbeCase) -> Rule {
    Rule {
        id: case.rule(),
        kind: FindingKind::ProbeCase,
        cwe: case.cwe(),
        owasp: Some(case.owasp()),
        severity: severity(case),
    }
}

/// How bad a failure of the case is: a doctored token or a forged delivery accepted, weak
/// transport or a lax authorization server is high; missing hardening is medium; a
/// refused positive control (most likely a wrong secret in the suite) is low.
fn severity(case: ProbeCase) -> Severity {
    match case {
        ProbeCase::Tokens(_) => Severity::High,
        ProbeCase::Webhooks(WebhookCase::ValidSignatureAccepted) => Severity::Low,
        ProbeCase::Webhooks(_) => Severity::High,
        ProbeCase::OAuth(_) => Severity::High,
        ProbeCase::Tls(_) => Severity::High,
        ProbeCase::RateLimit(_) | ProbeCase::Headers { .. } => Severity::Medium,
        // Which accounts exist is worth knowing, not a way in by itself.
        ProbeCase::Enumeration(_) => Severity::Medium,
    }
}

/// What a probe's finding is until `CaseResult::filed_under` gives it the rule of the
/// case it answers: a probe's code judges a response, the dispatcher knows the case.
pub(super) const UNFILED: Rule = Rule {
    id: "probe.unfiled",
    kind: FindingKind::ProbeCase,
    cwe: &[],
    owasp: None,
    severity: Severity::Medium,
};

/// A failure with its evidence; `filed_under` gives it the rule of the case it answers.
pub fn failure(message: impl Into<String>, evidence: Evidence) -> Outcome {
    Outcome::Fail(Finding::of(&UNFILED, message, evidence))
}

/// What a response showed against what was `expected` of it.
pub fn seen(ex: &Exchange, expected: &str) -> Evidence {
    Evidence {
        request: Some(RequestInfo::new(&ex.request_line, None)),
        expected: Some(expected.to_string()),
        actual: Some(Actual {
            status: ex.status_line(),
            excerpt: None,
            headers: Vec::new(),
        }),
        ..Evidence::default()
    }
}

/// A case the harness could not judge: `message` says what it was doing, `cause` why.
pub fn harness(message: impl Into<String>, cause: HarnessError) -> Outcome {
    Outcome::Error(CheckError::new(
        ErrorKind::Harness(cause),
        message,
        Evidence::default(),
    ))
}

/// A case that could not be judged because its positive control failed: a refusal would
/// prove nothing.
pub fn vacuous(message: impl Into<String>) -> Outcome {
    Outcome::Error(CheckError::new(
        ErrorKind::Vacuous,
        message,
        Evidence::default(),
    ))
}

/// `true` for 4xx: a refusal. A 5xx is a crash, not a refusal; a 2xx is acceptance.
pub fn refused(status: u16) -> bool {
    (400..500).contains(&status)
}
