//! Selection: keeps the checks a `--filter`, `--tags` and `--shard` select, plus the allow
//! cells that prove the roles of selected denies (run as unreported support checks, so a
//! shard runs the proofs its denies need even when the proving cell is another shard's).

use super::check::{Check, CheckKind};
use super::expand::expand;
use super::shard::Shard;
use super::tags::TagExpr;
use crate::model::{RoleId, Suite, Verdict};

/// What the user asked to run.
#[derive(Default)]
pub struct Selection<'a> {
    /// Checks whose name contains this text.
    pub filter: Option<&'a str>,
    /// Checks whose tags satisfy this expression.
    pub tags: Option<&'a TagExpr>,
    /// Checks whose id falls in this shard.
    pub shard: Option<Shard>,
}

impl Selection<'_> {
    /// `suite`: the check's own.
    fn keeps(&self, check: &Check, suite: &Suite) -> bool {
        self.filter.is_none_or(|f| check.name(suite).contains(f))
            && self.tags.is_none_or(|t| t.matches(&check.tags))
            && self.shard.is_none_or(|s| s.holds(&check.id(suite)))
    }
}

/// Every selected check of every suite, in suite order.
pub fn plan(suites: &[Suite], selection: &Selection<'_>) -> Vec<Check> {
    // Partitioned in place: the plan is the largest thing a run holds, and is not held
    // twice while it is filtered.
    let mut selected = expand(suites);
    let rest: Vec<Check> = selected
        .extract_if(.., |c| !selection.keeps(c, &suites[c.suite]))
        .collect();
    // A deny only counts for a proven role: keep the allow cells that would prove the
    // roles of selected denies, as unreported support checks.
    let mut needs: Vec<(usize, RoleId)> = selected
        .iter()
        .filter(|c| c.deferred)
        .flat_map(|c| deny_roles(&suites[c.suite], c))
        .collect();
    // One per role: a matrix of 100,000 denies needs a handful of proofs, and every
    // check left out of a shard is looked up in this list.
    needs.sort();
    needs.dedup();
    let (cells, rest): (Vec<Check>, Vec<Check>) = rest
        .into_iter()
        .partition(|c| allow_cell(c).is_some_and(|need| needs.contains(&need)));
    // A role no allow cell proves is proven, in a whole run, by a scenario's `access:
    // allow` step; a shard or a filter that left that scenario out runs it as support.
    let unproven: Vec<(usize, RoleId)> = needs
        .iter()
        .copied()
        .filter(|need| {
            !selected
                .iter()
                .chain(&cells)
                .any(|c| allow_cell(c) == Some(*need))
                && !selected
                    .iter()
                    .any(|c| proving_roles(&suites[c.suite], c).contains(need))
        })
        .collect();
    let scenarios = rest.into_iter().filter(|c| {
        proving_roles(&suites[c.suite], c)
            .iter()
            .any(|need| unproven.contains(need))
    });
    selected.extend(cells.into_iter().chain(scenarios).map(|mut c| {
        c.support = true;
        c
    }));
    // Held for the whole run: no room for checks that were partitioned away.
    selected.shrink_to_fit();
    selected
}

/// The role an allow cell proves when it passes.
fn allow_cell(c: &Check) -> Option<(usize, RoleId)> {
    match c.kind {
        CheckKind::Access {
            role,
            verdict: Verdict::Allow,
            ..
        } => Some((c.suite, role)),
        _ => None,
    }
}

/// The roles a scenario judged before the denies (it has none itself) proves with its
/// `access: allow` steps.
fn proving_roles(suite: &Suite, c: &Check) -> Vec<(usize, RoleId)> {
    match &c.kind {
        CheckKind::Scenario { index } if !c.deferred => suite.scenarios[*index]
            .steps
            .iter()
            .filter(|s| s.expect.access == Some(Verdict::Allow))
            .map(|s| (c.suite, s.role))
            .collect(),
        _ => Vec::new(),
    }
}

fn deny_roles(suite: &Suite, c: &Check) -> Vec<(usize, RoleId)> {
    match &c.kind {
        CheckKind::Access {
            role,
            verdict: Verdict::Deny,
            ..
        } => vec![(c.suite, *role)],
        CheckKind::Scenario { index } => suite.scenarios[*index]
            .steps
            .iter()
            .filter(|s| s.expect.access == Some(Verdict::Deny))
            .map(|s| (c.suite, s.role))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProbeCase, WebhookCase};

    #[test]
    fn a_filter_selects_probe_cases_by_name_keeping_their_ids() {
        let suites = super::super::expand::tests::suites();
        let selection = Selection {
            filter: Some("replay_refused"),
            tags: None,
            shard: None,
        };
        let checks = plan(&suites, &selection);
        let got: Vec<(String, ProbeCase)> = checks
            .iter()
            .map(|c| match c.kind {
                CheckKind::Probe { case, .. } => (c.id(&suites[c.suite]).into_owned(), case),
                _ => panic!("{} is no probe check", c.id(&suites[c.suite])),
            })
            .collect();
        let replay = ProbeCase::Webhooks(WebhookCase::ReplayRefused);
        assert_eq!(got.len(), 2);
        assert!(got[0].0.ends_with("#probes[0].4") && got[0].1 == replay);
        assert!(got[1].0.ends_with("#probes[1].5") && got[1].1 == replay);
    }
}
