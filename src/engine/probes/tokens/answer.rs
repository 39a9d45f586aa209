//! What the API answered to a doctored token, and the verdict on a mutation's answers:
//! every doctored token refused with the policy's status, and no answer leaking.

use std::fmt;

use crate::engine::checks::expect::one_of;
use crate::engine::probes::{CaseResult, failure};
use crate::engine::request::context::Context;
use crate::model::{Suite, TokensProbe};
use crate::results::{Evidence, HarnessError, LeakLine, Outcome, Problem, RequestInfo};

/// An answer that was not a clean refusal: its status and what it leaked.
pub struct Answer {
    /// `200 OK`.
    pub status: String,
    /// Refused with a status of the policy (then it is here only for its leaks).
    pub refused: bool,
    pub leaks: Vec<LeakLine>,
}

/// One doctored token (`label`) and what became of it.
pub struct Seen {
    pub label: String,
    pub got: Result<Answer, HarnessError>,
}

impl Answer {
    /// A 2xx: the doctored token was taken for a genuine one.
    pub fn accepted(&self) -> bool {
        self.status.starts_with('2')
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.status)?;
        match (self.leaks.first(), self.refused) {
            (Some(leak), true) => write!(f, ", refused, but the response leaks {leak}"),
            (Some(leak), false) => write!(f, " and the response leaks {leak}"),
            (None, _) => Ok(()),
        }
    }
}

impl fmt::Display for Seen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.got {
            Ok(answer) => write!(f, "{} → {answer}", self.label),
            Err(e) => write!(f, "{} → could not be sent: {e}", self.label),
        }
    }
}

impl Seen {
    /// The `  - ` lines: the status (or why nothing was sent), then each leak of it.
    fn problems(&self) -> Vec<Problem> {
        match &self.got {
            Ok(a) => std::iter::once(Problem::Text(format!("{} → {}", self.label, a.status)))
                .chain(a.leaks.iter().map(|l| {
                    Problem::Leak(LeakLine {
                        whose: Some(self.label.clone()),
                        ..l.clone()
                    })
                }))
                .collect(),
            Err(_) => vec![Problem::Text(self.to_string())],
        }
    }
}

/// `Ok(None)` when the doctored token is refused; otherwise what came back.
pub async fn refused(
    ctx: &Context,
    si: usize,
    probe: &TokensProbe,
    token: &str,
) -> Result<Option<Answer>, HarnessError> {
    let ex = ctx
        .send_with_token(si, probe.role, &probe.request, token)
        .await?;
    let policy = &ctx.suites[si].suite.policy;
    // Scanned like every response; a leak is a finding even in a refusal.
    let leaks = ctx.leak_lines(si, &ex, &[]);
    let refused = policy.deny_status.contains(&ex.status);
    Ok((!refused || !leaks.is_empty()).then(|| Answer {
        status: ex.status_line(),
        refused,
        leaks,
    }))
}

/// The verdict on a mutation (`name`): `accepted` are doctored tokens taken for genuine,
/// `problems` those refused wrongly, not sent, or answered with a leak.
pub fn outcome(
    probe: &TokensProbe,
    suite: &Suite,
    name: &str,
    accepted: &[Seen],
    problems: &[Seen],
) -> CaseResult {
    let refusal = one_of(&suite.policy.deny_status);
    let evidence = |seen: &[&Seen]| Evidence {
        request: Some(RequestInfo::new(
            &probe.request.line(),
            Some(&suite.role(probe.role).name),
        )),
        problems: seen.iter().flat_map(|s| s.problems()).collect(),
        expected: Some(format!("every doctored token refused ({refusal})")),
        ..Evidence::default()
    };
    if let Some(first) = accepted.first() {
        let message = format!("the API accepted a doctored token ({name}): {first}");
        let all: Vec<&Seen> = accepted.iter().chain(problems).collect();
        return CaseResult::of(failure(message, evidence(&all)));
    }
    if let Some(first) = problems.first() {
        // Name what happened: a refusal that leaked, a wrong status, or nothing sent.
        let message = match &first.got {
            Ok(a) if a.refused => match a.leaks.first() {
                Some(leak) => format!(
                    "a doctored token ({name}) was refused ({}), but the response leaks {leak}: {}",
                    a.status, first.label
                ),
                None => format!("a doctored token ({name}) was refused ({})", a.status),
            },
            Ok(_) => format!("a doctored token ({name}) was not refused with {refusal}: {first}"),
            Err(e) => format!(
                "a doctored token ({name}) could not be sent: {} → {e}",
                first.label
            ),
        };
        let all: Vec<&Seen> = problems.iter().collect();
        return CaseResult::of(failure(message, evidence(&all)));
    }
    CaseResult::of(Outcome::Pass)
}
