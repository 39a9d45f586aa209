//! Probes: each runs the cases the plan selected (and whatever they depend on, such as a
//! positive control) and returns one result per selected case, keyed by the case.

mod headers;
mod oauth;
mod rate_limit;
mod tls;
mod tokens;
mod webhooks;

use super::context::Context;
use crate::model::{Probe, ProbeCase};
use crate::results::{Finding, Outcome};

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
}

/// Runs the `cases` of probe `pi` of suite `si`: a result for each, keyed by its case.
pub async fn run(
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
