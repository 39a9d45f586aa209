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
    /// Where each check was written, by check id.
    pub cases: &'a CaseIndex,
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
pub struct CaseMeta {
    /// The suite entry that made the check.
    pub location: Option<Location>,
    /// The suite's tags and the entry's own, without `@`.
    pub tags: Vec<String>,
    /// The check's place in the plan of the whole (unsharded) run.
    pub plan_index: Option<usize>,
}

/// `CaseMeta` by check id.
#[derive(Clone, Debug, Default)]
pub struct CaseIndex(HashMap<String, CaseMeta>);

impl CaseIndex {
    /// Every planned check's entry location and tags; `whole` is the plan of the whole
    /// run (the same as `checks` unless the run is one shard), which gives each check its
    /// place.
    pub fn of(suites: &[Suite], checks: &[Check], whole: &[Check]) -> Self {
        let places: HashMap<&str, usize> = whole
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let map = checks
            .iter()
            .map(|c| {
                let suite = suites.get(c.suite);
                let location = suite.and_then(|s| location(s, &c.kind));
                // A suite tag the entry repeats is one tag.
                let mut tags: Vec<String> = Vec::new();
                for t in &c.tags {
                    if !tags.contains(t) {
                        tags.push(t.clone());
                    }
                }
                let meta = CaseMeta {
                    location,
                    tags,
                    plan_index: places.get(c.id.as_str()).copied(),
                };
                (c.id.clone(), meta)
            })
            .collect();
        Self(map)
    }

    /// Where `result`'s check was written: the plan's entry, else its evidence's
    /// `-->`, else none (a server-wide finding belongs to no entry).
    pub fn location(&self, result: &CheckResult) -> Option<Location> {
        if let Some(l) = self.0.get(&result.id).and_then(|m| m.location.clone()) {
            return Some(l);
        }
        match &result.outcome {
            Outcome::Fail(f) => f.evidence.location.clone(),
            Outcome::Error(e) => e.evidence.location.clone(),
            Outcome::Pass | Outcome::Skipped(_) => None,
        }
    }

    /// The place of `result`'s check in the whole run's plan; none for a check the run
    /// found rather than planned (host-wide).
    pub fn plan_index(&self, result: &CheckResult) -> Option<usize> {
        self.0.get(&result.id).and_then(|m| m.plan_index)
    }

    pub fn tags(&self, result: &CheckResult) -> &[String] {
        self.0.get(&result.id).map_or(&[], |m| m.tags.as_slice())
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
