//! A planned check: what it runs (its kind, suite and tags) and how it is known (a stable
//! id and a readable name). An access cell's id, name and location are made from its suite
//! when asked: a matrix of 100,000 cells holds none of them.

use std::borrow::Cow;

use thin_vec::ThinVec;

use crate::model::{AccessEntry, Location, ProbeCase, RoleId, Suite, Verdict};

#[derive(Clone, Debug)]
pub struct Check {
    /// The id and name of a check that is no access cell. A cell's are made from its
    /// suite when asked: a matrix of 100,000 cells would hold 16 MiB of them for the run.
    label: Option<Box<Label>>,
    pub suite: usize,
    pub kind: CheckKind,
    /// The suite's tags and the entry's own, without `@` (one pointer: mostly empty).
    pub tags: ThinVec<String>,
    /// Judged after the role proofs: deny cells, and scenarios with a deny step.
    pub deferred: bool,
    /// Not selected, but run (and not reported) because a selected deny depends on it as
    /// its positive control.
    pub support: bool,
}

#[derive(Clone, Debug)]
struct Label {
    /// Stable across runs: `file#probes[1].3`.
    id: String,
    /// Readable: `tokens GET /a as user: expired`.
    name: String,
}

impl Check {
    /// A check that is no access cell, with its id and name.
    pub fn labelled(
        id: String,
        name: String,
        suite: usize,
        kind: CheckKind,
        tags: impl Into<ThinVec<String>>,
    ) -> Self {
        Self {
            label: Some(Box::new(Label { id, name })),
            suite,
            kind,
            tags: tags.into(),
            deferred: false,
            support: false,
        }
    }

    /// An access cell (`kind` is `CheckKind::Access`): deferred when it is a deny, as
    /// its verdict waits for the role's proof.
    pub fn access_cell(suite: usize, kind: CheckKind, tags: ThinVec<String>) -> Self {
        let deferred = matches!(
            kind,
            CheckKind::Access {
                verdict: Verdict::Deny,
                ..
            }
        );
        Self {
            label: None,
            suite,
            kind,
            tags,
            deferred,
            support: false,
        }
    }

    /// Stable across runs: `file#access[2].deny.reader`. `suite` is the check's own (the
    /// one at `self.suite`).
    pub fn id<'a>(&'a self, suite: &Suite) -> Cow<'a, str> {
        if let Some(label) = &self.label {
            return Cow::Borrowed(&label.id);
        }
        let Some((ei, entry, role, v)) = self.cell(suite) else {
            return Cow::Borrowed("");
        };
        let name = &suite.role(role).name;
        Cow::Owned(match &entry.spec {
            None => format!("{}#access[{ei}].{v}.{name}", suite.file),
            Some(origin) => format!("{}#openapi[{}].{v}.{name}", suite.file, origin.line),
        })
    }

    /// Readable: `DELETE /orders/1 as reader: deny`. `suite` is the check's own.
    pub fn name<'a>(&'a self, suite: &Suite) -> Cow<'a, str> {
        if let Some(label) = &self.label {
            return Cow::Borrowed(&label.name);
        }
        let Some((_, entry, role, v)) = self.cell(suite) else {
            return Cow::Borrowed("");
        };
        let name = &suite.role(role).name;
        Cow::Owned(match &entry.spec {
            None => format!("{} as {name}: {v}", entry.request.line()),
            Some(origin) => format!(
                "{} as {name}: {v} (spec: {})",
                origin.line,
                origin.because(role)
            ),
        })
    }

    /// An access cell's entry (and its index), role and verdict; None for any other check
    /// (every one of which is labelled).
    fn cell<'s>(&self, suite: &'s Suite) -> Option<(usize, &'s AccessEntry, RoleId, &'static str)> {
        let CheckKind::Access {
            entry,
            role,
            verdict,
            ..
        } = self.kind
        else {
            return None;
        };
        Some((entry, &suite.access[entry], role, verdict.as_str()))
    }

    /// Where an access cell's role was written; None for any other check. `suite` is the
    /// check's own.
    pub fn cell_location<'a>(&self, suite: &'a Suite) -> Option<&'a Location> {
        let CheckKind::Access {
            entry,
            verdict,
            cell,
            ..
        } = self.kind
        else {
            return None;
        };
        Some(&suite.access[entry].cells(verdict)[cell].1)
    }
}

#[derive(Clone, Debug)]
pub enum CheckKind {
    Access {
        entry: usize,
        role: RoleId,
        verdict: Verdict,
        /// The cell's place in the entry's `allow` or `deny` list (by `verdict`).
        cell: usize,
    },
    Scenario {
        index: usize,
    },
    /// A service log rule, checked after every request of the run.
    Log {
        index: usize,
        rule: LogCheck,
    },
    /// One case of a probe; the selected cases of a probe run together.
    Probe {
        probe: usize,
        case: ProbeCase,
    },
    /// An operation of the suite's OpenAPI document whose request could not be built:
    /// an error naming what is missing.
    Unbuilt {
        operation: usize,
    },
    /// `openapi coverage`: judged after every other check, against `coverage.min`.
    Coverage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogCheck {
    NoSecrets,
    Records,
}
