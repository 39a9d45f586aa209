//! What every report of a run is written from: the results, why the run stopped short (if
//! it did), the redactor every written string passes through last, and where in the suite
//! files each check was written with its tags (`CaseIndex`), which results do not carry.

use std::collections::HashMap;
use std::time::Duration;

use crate::engine::Planned;
use crate::model::{Location, Suite};
use crate::plan::{Check, CheckKind};
use crate::redact::Redactor;
use crate::results::{CheckResult, Outcome};

/// What one report holds.
pub struct Report<'a> {
    /// The checks that finished, in plan order.
    pub results: &'a [CheckResult],
    /// Why the run stopped short, if it did.
    pub problems: &'a [RunProblem],
    pub redactor: &'a Redactor,
    /// How long the run took (zero when it did not start).
    pub elapsed: Duration,
    /// The exit code the run ends with.
    pub exit_code: u8,
    /// What was run (suites, selection, shard), for `authspec merge`.
    pub run: super::document::RunInfo,
    /// The JSON, SARIF and HTML writers' document, built once for all three.
    pub document: DocumentCache,
    /// The coverage of each suite's OpenAPI document (`openapi:`), after the run.
    pub coverage: &'a [crate::openapi::Coverage],
}

/// `Report::document`'s cache: start with `DocumentCache::default()`.
#[derive(Default)]
pub struct DocumentCache(std::cell::OnceCell<super::document::RunDocument>);

impl Report<'_> {
    /// The run's document, sanitized and redacted (built on first use).
    pub fn document(&self) -> &super::document::RunDocument {
        self.document.0.get_or_init(|| super::document::of(self))
    }

    /// The run's document, owned: built now unless it was already (no copy of it is
    /// made, which at 100,000 checks is most of the run's memory).
    pub fn into_document(mut self) -> super::document::RunDocument {
        match self.document.0.take() {
            Some(doc) => doc,
            None => super::document::of(&self),
        }
    }
}

/// A reason the run did not run (or finish) every check, as one `<error>` test case, so
/// a CI publisher shows why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunProblem {
    /// The test case name: `suite s.yaml:3:7`, `command line: --tags`, `interrupted`.
    pub name: String,
    /// The `<error type>`: `authspec.invalid_suite`, `authspec.invalid_command_line`,
    /// `authspec.interrupted`, `authspec.harness`.
    pub kind: &'static str,
    /// One line, with `file:line:column` where there is one.
    pub message: String,
    /// The full text (the offending line and a help), or empty.
    pub detail: String,
}

/// What the plan knows about a check that its result does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseMeta<'a> {
    /// The suite entry that made the check.
    pub location: Option<Location>,
    /// The suite's tags and the entry's own, without `@` (a tag both give is one).
    pub tags: Vec<&'a str>,
    /// The check's place in the plan of the whole (unsharded) run.
    pub plan_index: Option<usize>,
}

/// What the checks of a run do not say themselves: the places of a shard's checks in the
/// whole run's plan. Anything else is made from the check and its suite as its result
/// arrives, so at 100,000 checks this holds nothing unless the run is a shard.
#[derive(Clone, Debug, Default)]
pub struct CaseIndex {
    /// By check index, in a shard; otherwise a check's place is its index.
    places: Option<Vec<usize>>,
}

impl CaseIndex {
    /// The index of `checks` (planned from `suites`); `whole` is the plan of the whole run
    /// when the run is one shard, which gives each check its place (looked up by id).
    pub fn of(suites: &[Suite], checks: &[Check], whole: Option<&[Check]>) -> Self {
        let places = whole.map(|whole| {
            let id = |c: &Check| c.id(&suites[c.suite]).into_owned();
            let of: HashMap<String, usize> =
                whole.iter().enumerate().map(|(i, c)| (id(c), i)).collect();
            checks
                .iter()
                .map(|c| of.get(&id(c)).copied().unwrap_or(usize::MAX))
                .collect()
        });
        Self { places }
    }

    /// What the plan knows of the check `planned`.
    pub fn get<'a>(&self, planned: Planned<'a>) -> CaseMeta<'a> {
        let Planned {
            index,
            check,
            suite,
        } = planned;
        let mut tags: Vec<&str> = Vec::new();
        for t in &check.tags {
            if !tags.contains(&t.as_str()) {
                tags.push(t);
            }
        }
        let plan_index = match &self.places {
            None => Some(index),
            Some(p) => p.get(index).copied().filter(|&at| at != usize::MAX),
        };
        CaseMeta {
            location: location(suite, check),
            tags,
            plan_index,
        }
    }
}

/// Where `result`'s check was written: its plan entry (`meta`), else its evidence's
/// `-->`, else none (a server-wide finding belongs to no entry).
pub fn location_of(meta: Option<&CaseMeta>, result: &CheckResult) -> Option<Location> {
    if let Some(l) = meta.and_then(|m| m.location.clone()) {
        return Some(l);
    }
    match &result.outcome {
        Outcome::Fail(f) => f.evidence.location.clone(),
        Outcome::Error(e) => e.evidence.location.clone(),
        Outcome::Pass | Outcome::Skipped(_) => None,
    }
}

fn location(suite: &Suite, check: &Check) -> Option<Location> {
    match &check.kind {
        CheckKind::Access { .. } => check.cell_location(suite).cloned(),
        CheckKind::Scenario { index } => suite.scenarios.get(*index).map(|s| s.location.clone()),
        CheckKind::Probe { probe, .. } => suite.probes.get(*probe).map(|p| p.location().clone()),
        // A log rule's entry keeps no position; the suite file is where it is.
        CheckKind::Log { .. } => None,
        CheckKind::Unbuilt { .. } | CheckKind::Coverage => {
            suite.openapi.as_ref().map(|o| o.location.clone())
        }
    }
}
