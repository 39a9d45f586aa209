//! Hands results on as they finish: each redacted, a skip refused where the run or the
//! suite says so, with its planned check and suite; support checks (proofs planned as
//! checks) are not reported. Keeps only the outcomes `openapi coverage` is judged on.

use std::collections::HashMap;

use super::assemble::refuse_skip;
use crate::engine::request::context::{Context, SuiteRun};
use crate::model::Suite;
use crate::plan::{Check, CheckKind};
use crate::redact::Redactor;
use crate::results::{CheckResult, Outcome};

/// A planned check whose result is handed on: its index in the plan, and its suite (its id,
/// name and location are made from it).
#[derive(Clone, Copy)]
pub struct Planned<'a> {
    pub index: usize,
    pub check: &'a Check,
    pub suite: &'a Suite,
}

/// Redacts each result and hands it on; support checks (proofs planned as checks) are
/// not reported.
pub struct Emitter<'a> {
    checks: &'a [Check],
    suites: &'a [SuiteRun],
    /// By suite: what makes a skip an error there, if anything does.
    fail_on_skip: Vec<Option<&'static str>>,
    /// By suite: whether it has an OpenAPI document (its `openapi coverage` is judged on
    /// the outcomes of its other checks).
    with_spec: Vec<bool>,
    redactor: &'a Redactor,
    on_result: &'a mut dyn FnMut(Option<Planned<'_>>, CheckResult),
    /// By check index: the outcomes `openapi coverage` is judged on.
    outcomes: HashMap<usize, Outcome>,
}

impl<'a> Emitter<'a> {
    /// `fail_on_skip`: `--fail-on-skip` was given.
    pub fn new(
        ctx: &'a Context,
        checks: &'a [Check],
        fail_on_skip: bool,
        on_result: &'a mut dyn FnMut(Option<Planned<'_>>, CheckResult),
    ) -> Self {
        let suites = &ctx.suites;
        Self {
            checks,
            suites,
            fail_on_skip: suites
                .iter()
                .map(|s| match (fail_on_skip, s.suite.fail_on_skip) {
                    (true, _) => Some("--fail-on-skip"),
                    (false, true) => Some("`fail_on_skip: true`"),
                    (false, false) => None,
                })
                .collect(),
            with_spec: suites.iter().map(|s| s.suite.openapi.is_some()).collect(),
            redactor: &ctx.redactor,
            on_result,
            outcomes: HashMap::new(),
        }
    }

    /// By check index: the outcomes of the checks of suites with an OpenAPI document.
    pub fn outcomes(&self) -> &HashMap<usize, Outcome> {
        &self.outcomes
    }

    /// Hands on the result of check `i`.
    pub fn emit(&mut self, i: usize, r: CheckResult) {
        if self.checks[i].support {
            return;
        }
        let mut r = r.redacted(self.redactor);
        // `openapi coverage` is skipped only in a shard, left for `authspec merge` to
        // judge: no skip of the suite's to refuse.
        let left_to_merge = matches!(self.checks[i].kind, CheckKind::Coverage);
        if let Some(why) = self
            .fail_on_skip
            .get(self.checks[i].suite)
            .copied()
            .flatten()
            .filter(|_| !left_to_merge)
        {
            r.outcome = refuse_skip(r.outcome, why);
        }
        if self.with_spec.get(self.checks[i].suite) == Some(&true) {
            self.outcomes.insert(i, r.outcome.clone());
        }
        let check = &self.checks[i];
        let planned = Planned {
            index: i,
            check,
            suite: &self.suites[check.suite].suite,
        };
        (self.on_result)(Some(planned), r);
    }

    /// Hands on a result the run found rather than planned.
    pub fn emit_extra(&mut self, r: CheckResult) {
        (self.on_result)(None, r.redacted(self.redactor));
    }
}
