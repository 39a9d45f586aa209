//! Probes: each runs the cases the plan selected (and whatever they depend on, such as a
//! positive control) and returns one result per selected case, keyed by the case.

mod headers;
mod oauth;
mod rate_limit;
mod tls;
mod tokens;
mod webhooks;

use super::request::context::Context;
use super::request::http::Exchange;
use crate::model::{Probe, ProbeCase};
use crate::results::{
    Actual, CheckError, ErrorKind, Evidence, Finding, FindingKind, HarnessError, Outcome,
    RequestInfo, Rule, Severity,
};

/// One case's result: the outcome, warnings, and information worth reporting.
pub struct CaseResult {
    pub outcome: Outcome,
    pub warnings: Vec<String>,
    pub info: Vec<String>,
}

impl CaseResult {
    pub fn of(outcome: Outcome) -> Self {
        Self {
            outcome,
            warnings: Vec::new(),
            info: Vec::new(),
        }
    }

    /// Adds the leaks of a response this case relied on (`whose`, e.g. "the positive
    /// control"): a pass becomes a failure, a failure lists them too.
    pub fn with_leaks(mut self, whose: &str, leaks: &[String]) -> Self {
        let Some(first) = leaks.first() else {
            return self;
        };
        let lines: String = leaks.iter().map(|l| format!("\n  - {l}")).collect();
        match &mut self.outcome {
            Outcome::Fail(f) => {
                // After the detail as it was, on a line of its own (as `push_str("\n…")`).
                if f.evidence.notes.is_empty() {
                    f.evidence.notes.push(String::new());
                }
                f.evidence.notes.push(format!("{whose} leaks:{lines}"));
            }
            Outcome::Error(_) => {}
            _ => {
                self.outcome = Outcome::Fail(Finding::new(
                    format!("the response to {whose} leaks {first}"),
                    format!("leaks:{lines}"),
                ));
            }
        }
        self
    }

    /// The failure as a finding of `case`: its rule id, kind, CWE, OWASP item and
    /// severity. Every failure a probe reports is one of the case it answers.
    fn filed_under(mut self, case: ProbeCase) -> Self {
        if let Outcome::Fail(f) = &mut self.outcome {
            let rule = rule(case);
            f.kind = rule.kind;
            f.rule = crate::results::RuleId::fixed(rule.id);
            f.cwe = rule.cwe;
            f.owasp = rule.owasp;
            f.severity = rule.severity;
        }
        self
    }
}

/// The rule a case's findings are filed under. The CWE shown is the case's first.
pub fn rule(case: ProbeCase) -> Rule {
    Rule {
        id: case.rule(),
        kind: FindingKind::ProbeCase,
        cwe: case.cwe().first().copied(),
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
        ProbeCase::Webhooks(crate::model::WebhookCase::ValidSignatureAccepted) => Severity::Low,
        ProbeCase::Webhooks(_) => Severity::High,
        ProbeCase::OAuth(_) => Severity::High,
        ProbeCase::Tls(_) => Severity::High,
        ProbeCase::RateLimit(_) | ProbeCase::Headers { .. } => Severity::Medium,
    }
}

/// A failure with its evidence; `filed_under` gives it the rule of the case it answers.
pub fn failure(message: impl Into<String>, evidence: Evidence) -> Outcome {
    Outcome::Fail(Finding::of(
        &crate::results::rule::UNCLASSIFIED,
        message,
        evidence,
    ))
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

/// Runs the `cases` of probe `pi` of suite `si`: a result for each, keyed by its case, and
/// each failure filed under its case's rule.
pub async fn run(
    ctx: &Context,
    si: usize,
    pi: usize,
    cases: &[ProbeCase],
) -> Vec<(ProbeCase, CaseResult)> {
    let results = run_cases(ctx, si, pi, cases).await;
    results
        .into_iter()
        .map(|(case, r)| (case, r.filed_under(case)))
        .collect()
}

async fn run_cases(
    ctx: &Context,
    si: usize,
    pi: usize,
    cases: &[ProbeCase],
) -> Vec<(ProbeCase, CaseResult)> {
    match &ctx.suites[si].suite.probes[pi] {
        Probe::RateLimit(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::RateLimit(c) => Some(c),
                _ => None,
            });
            let mut out = Vec::new();
            // One case: the burst runs only when it is asked for.
            if let Some(&case) = wanted.first() {
                out.push((
                    ProbeCase::RateLimit(case),
                    rate_limit::run(ctx, si, p).await,
                ));
            }
            out
        }
        Probe::Webhooks(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Webhooks(c) => Some(c),
                _ => None,
            });
            keyed(
                webhooks::run(ctx, si, p, &wanted).await,
                ProbeCase::Webhooks,
            )
        }
        Probe::Headers(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Headers { request, case } => Some((request, case)),
                _ => None,
            });
            keyed(
                headers::run(ctx, si, p, &wanted).await,
                |(request, case)| ProbeCase::Headers { request, case },
            )
        }
        Probe::Tokens(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Tokens(c) => Some(c),
                _ => None,
            });
            keyed(tokens::run(ctx, si, p, &wanted).await, ProbeCase::Tokens)
        }
        Probe::OAuth(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::OAuth(c) => Some(c),
                _ => None,
            });
            keyed(oauth::run(ctx, si, p, &wanted).await, ProbeCase::OAuth)
        }
        Probe::Tls(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Tls(c) => Some(c),
                _ => None,
            });
            keyed(tls::run(ctx, si, p, &wanted).await, ProbeCase::Tls)
        }
    }
}

/// The cases of one probe kind, in plan order. A case of another kind cannot be planned
/// for this probe; were it, the executor reports it unanswered.
fn only<C>(cases: &[ProbeCase], of: impl Fn(ProbeCase) -> Option<C>) -> Vec<C> {
    cases.iter().copied().filter_map(of).collect()
}

fn keyed<C>(
    results: Vec<(C, CaseResult)>,
    key: impl Fn(C) -> ProbeCase,
) -> Vec<(ProbeCase, CaseResult)> {
    results.into_iter().map(|(c, r)| (key(c), r)).collect()
}

/// `true` for 4xx: a refusal. A 5xx is a crash, not a refusal; a 2xx is acceptance.
pub fn refused(status: u16) -> bool {
    (400..500).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HeadersCase, TokensCase};

    #[test]
    fn a_failure_is_filed_under_its_case() {
        let case = ProbeCase::Headers {
            request: 1,
            case: HeadersCase::Cors,
        };
        let r = CaseResult::of(failure("reflected", Evidence::default())).filed_under(case);
        let Outcome::Fail(f) = r.outcome else {
            panic!("not a failure")
        };
        assert_eq!(f.rule.as_str(), "headers.cors");
        assert_eq!(f.kind, FindingKind::ProbeCase);
        assert_eq!(f.cwe, Some(942));
        assert_eq!(f.owasp, Some("API8:2023 Security Misconfiguration"));
        assert_eq!(f.message, "reflected");

        let token = ProbeCase::Tokens(TokensCase::mutation("kid_injection").unwrap());
        assert_eq!(rule(token).id, "tokens.kid_injection");
        assert_eq!(rule(token).cwe, Some(22));
    }

    #[test]
    fn errors_and_passes_are_left_as_they_are() {
        let case = ProbeCase::Tokens(TokensCase::Fuzz);
        let r = CaseResult::of(vacuous("vacuous: no control")).filed_under(case);
        assert!(matches!(
            r.outcome,
            Outcome::Error(CheckError {
                kind: ErrorKind::Vacuous,
                ..
            })
        ));
        let r = CaseResult::of(Outcome::Pass).filed_under(case);
        assert_eq!(r.outcome, Outcome::Pass);
    }
}
