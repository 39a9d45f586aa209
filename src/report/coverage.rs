//! OpenAPI coverage in the reports: the lines every report shows (the headline and each
//! operation no check touched), and `authspec merge`'s part. A shard sees only its own
//! checks, so neither its coverage nor its `openapi coverage` verdict is the run's: the
//! merge joins the checks that touched each operation across shards (in plan order, as
//! one run lists them) and judges `openapi coverage` again on the joined coverage.

use std::collections::HashMap;

use super::build::{Clean, outcome};
use super::document::{CoverageEntry, OperationCoverageEntry, OutcomeEntry, ResultEntry};
use crate::model::Location;
use crate::openapi::{Coverage, OperationCoverage};
use crate::redact::Redactor;

/// Every suite's coverage over all shards; `results` are the merged ones, in plan order.
pub fn join(shards: &[&[CoverageEntry]], results: &[ResultEntry]) -> Vec<CoverageEntry> {
    let rank: HashMap<&str, usize> = results
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut joined: Vec<CoverageEntry> = Vec::new();
    for entry in shards.iter().flat_map(|s| s.iter()) {
        let Some(have) = joined.iter_mut().find(|c| c.file == entry.file) else {
            joined.push(entry.clone());
            continue;
        };
        for op in &entry.operations {
            match have
                .operations
                .iter_mut()
                .find(|o| o.operation == op.operation)
            {
                Some(o) => o.checks.extend(op.checks.iter().cloned()),
                None => have.operations.push(op.clone()),
            }
        }
    }
    for c in &mut joined {
        for o in &mut c.operations {
            o.checks
                .sort_by_key(|n| rank.get(n.as_str()).copied().unwrap_or(usize::MAX));
            o.checks.dedup();
            o.covered = !o.checks.is_empty();
        }
        let model = model(c);
        c.covered = model.covered();
        c.total = model.operations.len();
        c.percent = model.percent();
    }
    joined
}

/// Judges each suite's `openapi coverage` check (`FILE#openapi.coverage`) on `coverage`.
pub fn rejudge(results: &mut [ResultEntry], coverage: &[CoverageEntry]) {
    let redactor = Redactor::new();
    let c = Clean(&redactor);
    for entry in coverage {
        let id = crate::plan::coverage_id(&entry.file);
        let Some(r) = results.iter_mut().find(|r| r.id == id) else {
            continue;
        };
        let location = r.location.as_ref().map(|l| Location {
            file: l.file.as_str().into(),
            line: l.line,
            column: l.column,
        });
        let (verdict, info) = model(entry).verdict(location);
        let judged = outcome(&verdict, None, c);
        // A waiver the shard applied to this check still accepts its finding.
        r.outcome = match (&r.outcome, judged) {
            (
                OutcomeEntry::Skipped {
                    reason,
                    waiver: Some(w),
                },
                OutcomeEntry::Fail { finding },
            ) => {
                let mut waiver = w.clone();
                waiver.finding = *finding;
                OutcomeEntry::Skipped {
                    reason: reason.clone(),
                    waiver: Some(waiver),
                }
            }
            (_, judged) => judged,
        };
        r.info = c.all(&info);
    }
}

/// `6 of 7 operations covered (85.7%)`, then `not covered: DELETE /orders/{id} (excluded)`
/// for each operation no check touched.
pub fn lines(c: &CoverageEntry) -> Vec<String> {
    let m = model(c);
    let mut out = vec![m.headline()];
    out.extend(m.uncovered().iter().map(|u| format!("not covered: {u}")));
    out
}

/// Every suite's lines, each naming its document and suite: for reports that list notes
/// (SARIF). What no check touched is no finding (unless `coverage.min` makes it one), but
/// a reviewer must see it.
pub fn notes(all: &[CoverageEntry]) -> Vec<String> {
    all.iter()
        .flat_map(|c| {
            lines(c)
                .into_iter()
                .map(move |l| format!("OpenAPI coverage of {} ({}): {l}", c.spec, c.suite))
        })
        .collect()
}

fn model(c: &CoverageEntry) -> Coverage {
    Coverage {
        suite: c.suite.clone(),
        file: c.file.clone(),
        spec: c.spec.clone(),
        min: c.min,
        operations: c.operations.iter().map(operation).collect(),
    }
}

fn operation(o: &OperationCoverageEntry) -> OperationCoverage {
    OperationCoverage {
        operation: o.operation.clone(),
        excluded: o.excluded,
        unbuilt: o.unbuilt.clone(),
        checks: o.checks.clone(),
    }
}
