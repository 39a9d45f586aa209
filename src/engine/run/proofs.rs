//! Which roles are proven: the roles whose deny checks need a `proof:` request, and the
//! proof a deny is judged with (a passing allow of this run, the proof request, or why
//! neither holds).

use std::collections::HashMap;

use crate::engine::checks::access::Proof;
use crate::engine::request::context::Context;
use crate::model::{RoleId, Verdict};
use crate::plan::{Check, CheckKind};

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
        .flat_map(|c| match &c.kind {
            CheckKind::Access {
                role,
                verdict: Verdict::Deny,
                ..
            } => vec![(c.suite, *role)],
            CheckKind::Scenario { index } => ctx.suites[c.suite].suite.scenarios[*index]
                .steps
                .iter()
                .filter(|s| s.expect.access == Some(Verdict::Deny))
                .map(|s| (c.suite, s.role))
                .collect(),
            CheckKind::Access { .. } | CheckKind::Probe { .. } | CheckKind::Log { .. } => {
                Vec::new()
            }
        })
        .filter(|(s, r)| ctx.suites[*s].suite.role(*r).proof.is_some())
        .collect();
    out.sort();
    out.dedup();
    out
}
