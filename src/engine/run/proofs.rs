//! Which roles are proven: the roles whose deny checks need a `proof:` request, the
//! proof a deny is judged with (a passing allow of this run, the proof request, or why
//! neither holds), and whether it still holds after the role's last deny: a proof run
//! again that fails turns the denies judged since into errors.

use std::collections::HashMap;

use crate::engine::checks::access::Proof;
use crate::engine::request::context::Context;
use crate::model::template::Vars;
use crate::model::{Location, RoleId, Verdict};
use crate::plan::{Check, CheckKind};
use crate::results::{CheckError, CheckResult, ErrorKind, Evidence, Outcome};

/// What is known about each (suite, role) after phase one.
pub type Proofs = HashMap<(usize, RoleId), Proof>;

/// The proof a deny of `role` relies on.
pub fn proof_of(ctx: &Context, proofs: &Proofs, suite: usize, role: RoleId) -> Proof {
    proofs
        .get(&(suite, role))
        .cloned()
        .unwrap_or_else(|| Proof::missing(ctx.suites[suite].suite.role(role)))
}

/// Roles with a `proof:` request that have deny cells or deny steps in this plan.
pub fn roles_needing_proof(ctx: &Context, checks: &[Check]) -> Vec<(usize, RoleId)> {
    let mut out: Vec<(usize, RoleId)> = checks
        .iter()
        .flat_map(|c| deny_roles(ctx, c))
        .filter(|(s, r)| ctx.suites[*s].suite.role(*r).proof.is_some())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The (suite, role) of each deny a check judges: its cell's, or its deny steps'.
pub fn deny_roles(ctx: &Context, check: &Check) -> Vec<(usize, RoleId)> {
    match &check.kind {
        CheckKind::Access {
            role,
            verdict: Verdict::Deny,
            ..
        } => vec![(check.suite, *role)],
        CheckKind::Scenario { index } => ctx.suites[check.suite].suite.scenarios[*index]
            .steps
            .iter()
            .filter(|s| s.expect.access == Some(Verdict::Deny))
            .map(|s| (check.suite, s.role))
            .collect(),
        CheckKind::Access { .. }
        | CheckKind::Probe { .. }
        | CheckKind::Log { .. }
        | CheckKind::Unbuilt { .. }
        | CheckKind::Coverage => Vec::new(),
    }
}

/// Runs the proof of each role again, once, after its last deny: the roles whose proof
/// now fails, each with how.
pub async fn prove_again(
    ctx: &Context,
    roles: &[(usize, RoleId)],
) -> HashMap<(usize, RoleId), String> {
    let again = roles.iter().map(|&(si, role)| async move {
        let _turn = ctx.suites[si].turn().await;
        let r = ctx.suites[si].suite.role(role);
        let request = r.proof.as_ref()?;
        let how = match ctx.send(si, role, request, &Vars::new()).await {
            Ok(ex) if (200..300).contains(&ex.status) => return None,
            Ok(ex) => format!(
                "its proof `{}` passed before the denies and answered {} after them",
                request.line(),
                ex.status_line()
            ),
            Err(e) => format!(
                "its proof `{}` passed before the denies and could not be made after them: {e}",
                request.line()
            ),
        };
        Some(((si, role), how))
    });
    futures::future::join_all(again)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// A passing deny check of a role whose proof failed after it: an error, since the
/// refusal may only mean that the credentials stopped working.
pub fn stopped_working(
    ctx: &Context,
    check: &Check,
    mut result: CheckResult,
    failed: &HashMap<(usize, RoleId), String>,
) -> CheckResult {
    if result.outcome != Outcome::Pass {
        return result;
    }
    let Some((key, how)) = deny_roles(ctx, check)
        .into_iter()
        .find_map(|k| failed.get(&k).map(|how| (k, how)))
    else {
        return result;
    };
    let suite = &ctx.suites[key.0].suite;
    let name = &suite.role(key.1).name;
    let location: Option<&Location> = match &check.kind {
        CheckKind::Access { .. } => check.cell_location(&ctx.suites[check.suite].suite),
        CheckKind::Scenario { index } => Some(&suite.scenarios[*index].location),
        CheckKind::Probe { .. }
        | CheckKind::Log { .. }
        | CheckKind::Unbuilt { .. }
        | CheckKind::Coverage => None,
    };
    result.outcome = Outcome::Error(CheckError::new(
        ErrorKind::VacuousDeny,
        format!("vacuous deny: {name}'s credentials stopped working during the run"),
        Evidence {
            notes: vec![format!(
                "{how}, so a refusal since may only mean that {name}'s credentials no longer work."
            )],
            ..location.map(Evidence::at).unwrap_or_default()
        },
    ));
    result
}
