//! Access-matrix cells. An allow cell passes on any 2xx. A deny cell passes on a policy
//! refusal status, but only for a role whose credentials are proven to work in this run
//! (a passing allow, or its `proof:` request): otherwise the refusal may just mean the
//! credential is broken, and the cell is an error ("vacuous deny").

use super::context::Context;
use super::expect::{detail, one_of};
use super::template::Vars;
use crate::model::{Location, RoleId, Verdict};
use crate::results::{Finding, Outcome};

/// Whether a role's credentials were shown to work, and if not, why we think not.
#[derive(Clone, Debug)]
pub enum Proof {
    Proven,
    Unproven(String),
}

pub struct Cell<'a> {
    pub suite: usize,
    pub entry: usize,
    pub role: RoleId,
    pub verdict: Verdict,
    pub location: &'a Location,
}

pub async fn run(ctx: &Context, cell: &Cell<'_>, proof: Option<&Proof>) -> Outcome {
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
    let fail = |message: String, expected: &str| {
        Outcome::Fail(Finding::new(
            message,
            detail(
                &request,
                expected,
                &ex.status_line(),
                &ex.body_excerpt(&shown),
                cell.location,
            ),
        ))
    };
    let success = (200..300).contains(&ex.status);
    match cell.verdict {
        Verdict::Allow if success => Outcome::Pass,
        Verdict::Allow => fail(
            format!("allow expected (2xx), got {}", ex.status_line()),
            "allowed (2xx)",
        ),
        Verdict::Deny => {
            let denied = &suite.policy.deny_status;
            let expected = format!("refused ({})", one_of(denied));
            if success {
                return fail(
                    format!(
                        "deny expected ({}), got {}: the request was accepted",
                        one_of(denied),
                        ex.status_line()
                    ),
                    &expected,
                );
            }
            if !denied.contains(&ex.status) {
                return fail(
                    format!(
                        "deny expected ({}), got {}",
                        one_of(denied),
                        ex.status_line()
                    ),
                    &expected,
                );
            }
            match proof {
                Some(Proof::Unproven(why)) if role.needs_proof() => Outcome::Error(Finding::new(
                    format!("vacuous deny: role {} was never authenticated", role.name),
                    format!(
                        "{why}, so this refusal ({}) proves nothing: it may only mean the credential \
                         itself is broken.\nrequest:  {request}\n--> {}",
                        ex.status_line(),
                        cell.location
                    ),
                )),
                _ => Outcome::Pass,
            }
        }
    }
}

/// Runs a role's `proof:` request: any 2xx proves its credentials.
pub async fn prove(ctx: &Context, suite: usize, role: RoleId) -> Proof {
    let r = ctx.suites[suite].suite.role(role);
    let Some(request) = &r.proof else {
        return Proof::Unproven(format!(
            "no allow for {} passed in this run and it has no `proof:` request",
            r.name
        ));
    };
    match ctx.send(suite, role, request, &Vars::new()).await {
        Ok(ex) if (200..300).contains(&ex.status) => Proof::Proven,
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
