//! Access semantics, shared by access-matrix cells and scenario steps. Allow passes on any
//! 2xx. Deny passes on a policy refusal status, but only for a role whose credentials are
//! proven to work in this run (a passing allow, or its `proof:` request): otherwise the
//! refusal may just mean the credential is broken, and the check is an error ("vacuous
//! deny"). Fail closed: never count an unproven refusal as a pass.

use super::context::Context;
use super::expect::{detail, one_of};
use super::http::Exchange;
use crate::model::template::Vars;
use crate::model::{Location, Policy, Role, RoleId, Verdict};
use crate::results::{Finding, Outcome};

/// Whether a role's credentials were shown to work, and if not, why we think not.
#[derive(Clone, Debug)]
pub enum Proof {
    Proven,
    /// Proven by a `proof:` request whose response leaks: these lines fail the denies
    /// that rely on it, since no test case of its own reports the proof.
    ProvenLeaking(Vec<String>),
    Unproven(String),
}

impl Proof {
    /// Leaks of the proof request, to report with a deny that relies on it.
    pub fn leaks(&self) -> &[String] {
        match self {
            Proof::ProvenLeaking(leaks) => leaks,
            _ => &[],
        }
    }

    pub fn missing(role: &Role) -> Self {
        Proof::Unproven(format!(
            "no allow for {} passed in this run and it has no `proof:` request",
            role.name
        ))
    }
}

/// How one response measures against an allow or deny expectation.
pub enum Judgement {
    Pass,
    /// A finding: (one-line message, what was expected).
    Fail(String, String),
    /// The refusal proves nothing: (one-line message, why).
    Vacuous(String, String),
}

pub fn judge(
    verdict: Verdict,
    ex: &Exchange,
    policy: &Policy,
    role: &Role,
    proof: &Proof,
) -> Judgement {
    let success = (200..300).contains(&ex.status);
    let denied = &policy.deny_status;
    match verdict {
        Verdict::Allow if success => Judgement::Pass,
        Verdict::Allow => Judgement::Fail(
            format!("allow expected (2xx), got {}", ex.status_line()),
            "allowed (2xx)".into(),
        ),
        Verdict::Deny if success => Judgement::Fail(
            format!(
                "deny expected ({}), got {}: the request was accepted",
                one_of(denied),
                ex.status_line()
            ),
            format!("refused ({})", one_of(denied)),
        ),
        Verdict::Deny if !denied.contains(&ex.status) => Judgement::Fail(
            format!(
                "deny expected ({}), got {}",
                one_of(denied),
                ex.status_line()
            ),
            format!("refused ({})", one_of(denied)),
        ),
        Verdict::Deny => match proof {
            Proof::Unproven(why) if role.needs_proof() => Judgement::Vacuous(
                format!("vacuous deny: role {} was never authenticated", role.name),
                format!(
                    "{why}, so this refusal ({}) proves nothing: it may only mean the \
                     credential itself is broken.",
                    ex.status_line()
                ),
            ),
            _ => Judgement::Pass,
        },
    }
}

pub struct Cell<'a> {
    pub suite: usize,
    pub entry: usize,
    pub role: RoleId,
    pub verdict: Verdict,
    pub location: &'a Location,
}

pub async fn run(ctx: &Context, cell: &Cell<'_>, proof: &Proof) -> Outcome {
    let suite = &ctx.suites[cell.suite].suite;
    let entry = &suite.access[cell.entry];
    let role = suite.role(cell.role);
    let ex = match ctx
        .send(cell.suite, cell.role, &entry.request, &Vars::new())
        .await
    {
        Ok(ex) => ex,
        Err(e) => {
            return Outcome::Error(Finding::new(
                format!("the request could not be made: {e}"),
                format!(
                    "request:  {} (as {})\n--> {}",
                    entry.request.line(),
                    role.name,
                    cell.location
                ),
            ));
        }
    };
    let shown = ctx.redactor.redact(&ex.body);
    let request = format!("{} (as {})", ex.request_line, role.name);
    let mut leaks = ctx.leaks(cell.suite, &ex);
    if cell.verdict == Verdict::Deny {
        leaks.extend(proof.leaks().iter().cloned());
    }
    let leak_lines: String = leaks.iter().map(|l| format!("\n  - {l}")).collect();
    let detail = |expected: &str| {
        let base = detail(
            &request,
            expected,
            &ex.status_line(),
            &ex.body_excerpt(&shown),
            cell.location,
        );
        if leaks.is_empty() {
            base
        } else {
            format!("{base}\nleaks:{leak_lines}")
        }
    };
    match judge(cell.verdict, &ex, &suite.policy, role, proof) {
        Judgement::Pass if leaks.is_empty() => Outcome::Pass,
        Judgement::Pass => Outcome::Fail(Finding::new(
            format!("the access rule held, but the response leaks {}", leaks[0]),
            detail(&format!("{} and no leak", cell.verdict.as_str())),
        )),
        Judgement::Fail(message, expected) => {
            Outcome::Fail(Finding::new(message, detail(&expected)))
        }
        Judgement::Vacuous(message, why) => Outcome::Error(Finding::new(
            message,
            format!(
                "{why}\nrequest:  {request}\n--> {}{}",
                cell.location,
                if leaks.is_empty() {
                    String::new()
                } else {
                    format!("\nleaks:{leak_lines}")
                }
            ),
        )),
    }
}

/// Runs a role's `proof:` request: any 2xx proves its credentials.
pub async fn prove(ctx: &Context, suite: usize, role: RoleId) -> Proof {
    let r = ctx.suites[suite].suite.role(role);
    let Some(request) = &r.proof else {
        return Proof::missing(r);
    };
    match ctx.send(suite, role, request, &Vars::new()).await {
        Ok(ex) if (200..300).contains(&ex.status) => {
            let leaks = ctx.leaks(suite, &ex);
            if leaks.is_empty() {
                Proof::Proven
            } else {
                let line = &ex.request_line;
                let of = |l: &String| format!("{l} (in the response to {}'s proof {line})", r.name);
                Proof::ProvenLeaking(leaks.iter().map(of).collect())
            }
        }
        Ok(ex) => Proof::Unproven(format!(
            "no allow for {} passed in this run and its proof `{}` answered {}",
            r.name,
            request.line(),
            ex.status_line()
        )),
        Err(e) => Proof::Unproven(format!(
            "its proof `{}` could not be made: {e}",
            request.line()
        )),
    }
}
