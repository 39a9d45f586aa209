//! Probes: each runs all its cases in order (later cases depend on earlier ones) and
//! returns one outcome per case, with warnings and measurements.

mod headers;
mod oauth;
mod rate_limit;
mod tls;
mod tokens;
mod webhooks;

use super::context::Context;
use crate::model::Probe;
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

/// Runs probe `pi` of suite `si`; `cases` are the case numbers selected, in order.
pub async fn run(ctx: &Context, si: usize, pi: usize, cases: &[usize]) -> Vec<(usize, CaseResult)> {
    let all = match &ctx.suites[si].suite.probes[pi] {
        Probe::RateLimit(p) => vec![rate_limit::run(ctx, si, p).await],
        Probe::Webhooks(p) => webhooks::run(ctx, si, p).await,
        Probe::Headers(p) => headers::run(ctx, si, p).await,
        Probe::Tokens(p) => tokens::run(ctx, si, p).await,
        Probe::OAuth(p) => oauth::run(ctx, si, p).await,
        Probe::Tls(p) => tls::run(ctx, si, p).await,
    };
    all.into_iter()
        .enumerate()
        .filter(|(i, _)| cases.contains(i))
        .collect()
}

/// `true` for 4xx: a refusal. A 5xx is a crash, not a refusal; a 2xx is acceptance.
pub fn refused(status: u16) -> bool {
    (400..500).contains(&status)
}
