//! What every report of a run is written from: the results, why the run stopped short (if
//! it did), the redactor every written string passes through last, and where in the suite
//! files each check was written with its tags (`CaseIndex`), which results do not carry.

use std::collections::HashMap;
use std::time::Duration;

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
/// whole run's plan, and where the suite wrote the checks that are not access cells. An
/// access cell (nearly every check of a large run) carries its location, so at 100,000
/// checks this holds next to nothing.
#[derive(Clone, Debug, Default)]
pub struct CaseIndex {
    /// By check index, in a shard; otherwise a check's place is its index.
    places: Option<Vec<usize>>,
    /// By check index: where a scenario, probe or OpenAPI check was written.
    written: HashMap<usize, Location>,
}

impl CaseIndex {
    /// The index of `checks` (planned from `suites`); `whole` is the plan of the whole run,
    /// which gives each check its place: the very same slice as `checks` unless the run
    /// is one shard (an equal copy gives the same places, looked up by id).
    pub fn of(suites: &[Suite], checks: &[Check], whole: &[Check]) -> Self {
        let places = (!std::ptr::eq(checks, whole)).then(|| {
            let of: HashMap<&str, usize> = whole
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect();
            checks
                .iter()
                .map(|c| of.get(c.id.as_str()).copied().unwrap_or(usize::MAX))
                .collect()
        });
        let written = checks
            .iter()
            .enumerate()
            .filter(|(_, c)| !matches!(c.kind, CheckKind::Access { .. }))
            .filter_map(|(i, c)| Some((i, location(suites.get(c.suite)?, &c.kind)?)))
            .collect();
        Self { places, written }
    }

    /// What the plan knows of `check`, which is `index` in the run's plan (none: a check
    /// the run found, host-wide).
    pub fn get<'a>(&self, index: Option<usize>, check: Option<&'a Check>) -> Option<CaseMeta<'a>> {
        let (i, check) = (index?, check?);
        let location = match &check.kind {
            CheckKind::Access { location, .. } => Some(location.clone()),
            _ => self.written.get(&i).cloned(),
        };
        let mut tags: Vec<&str> = Vec::new();
        for t in &check.tags {
            if !tags.contains(&t.as_str()) {
                tags.push(t);
            }
        }
        let plan_index = match &self.places {
            None => Some(i),
            Some(p) => p.get(i).copied().filter(|&at| at != usize::MAX),
        };
        Some(CaseMeta {
            location,
            tags,
            plan_index,
        })
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

fn location(suite: &Suite, kind: &CheckKind) -> Option<Location> {
    match kind {
        CheckKind::Access { location, .. } => Some(location.clone()),
        CheckKind::Scenario { index } => suite.scenarios.get(*index).map(|s| s.location.clone()),
        CheckKind::Probe { probe, .. } => suite.probes.get(*probe).map(|p| p.location().clone()),
        // A log rule's entry keeps no position; the suite file is where it is.
        CheckKind::Log { .. } => None,
        CheckKind::Unbuilt { .. } | CheckKind::Coverage => {
            suite.openapi.as_ref().map(|o| o.location.clone())
        }
    }
}
