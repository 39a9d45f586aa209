//! The run's report files from the command line's side: opened first (the path checked,
//! an earlier report removed), then written with the results, or with why the run
//! stopped short as `<error>` cases, whatever the exit code.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::args::{ReportArgs, SuiteArgs};
use super::diagnostics::INVALID_COMMAND_LINE;
use super::inputs;
use super::output::Out;
use crate::engine::Planned;
use crate::exit_codes;
use crate::report::document::{RunDocument, RunInfo, Spill};
use crate::report::pending::PendingReport;
use crate::report::{CaseIndex, DocumentCache, Report, RunProblem};
use crate::results::{CheckResult, Summary};

/// `<error type>` of a run stopped by a signal.
pub const INTERRUPTED: &str = "authspec.interrupted";
/// `<error type>` of a harness failure that stopped the whole run.
pub const HARNESS: &str = "authspec.harness";

/// The report files of this run (`--junit`, `--json`, `--sarif`, `--html`), those asked
/// for.
pub struct RunReport {
    pending: Vec<PendingReport>,
    run: RunInfo,
    cases: CaseIndex,
    coverage: Vec<crate::openapi::Coverage>,
    /// The report entry of each result so far, with its check's place in the plan: built
    /// as it arrives and spilled to a temporary file, so no result is kept until the end
    /// of the run.
    kept: Spill,
    started: Instant,
    out: Out,
}

impl RunReport {
    /// Before anything else: a path that cannot take a report is a command-line error
    /// (printed; `Err` holds the exit code), and no report of an earlier run survives.
    /// `also` are inputs besides the suites' (the `--upstream-ca` files).
    pub fn open(
        paths: &ReportArgs,
        suites: &SuiteArgs,
        also: &[PathBuf],
        out: &Out,
    ) -> Result<Self, u8> {
        let mut inputs = Vec::new();
        if !paths.requested().is_empty() {
            inputs = inputs::all(suites);
            inputs.extend_from_slice(also);
        }
        Self::open_over(paths, &inputs, out)
    }

    /// As `open`, for a command whose inputs are `inputs` (`authspec merge`'s shard
    /// reports), which no report may replace.
    pub fn open_over(paths: &ReportArgs, inputs: &[PathBuf], out: &Out) -> Result<Self, u8> {
        let asked = paths.requested();
        let mut pending: Vec<PendingReport> = Vec::new();
        for (format, path) in asked {
            if let Some(same) = pending.iter().find(|p| same_path(p.path(), path)) {
                out.error(format!(
                    "{} and {} name the same file {}; give each report its own",
                    same.format().flag(),
                    format.flag(),
                    path.display()
                ));
                return Err(exit_codes::INVALID_INPUT);
            }
            match PendingReport::create(format, path, inputs) {
                Ok(p) => pending.push(p),
                Err(e) => {
                    out.error(e);
                    return Err(exit_codes::INVALID_INPUT);
                }
            }
        }
        Ok(Self {
            pending,
            run: RunInfo::default(),
            cases: CaseIndex::default(),
            coverage: Vec::new(),
            kept: Spill::in_memory(),
            started: Instant::now(),
            out: out.clone(),
        })
    }

    /// Where each planned check was written, for the reports that show it.
    pub fn set_cases(&mut self, cases: CaseIndex) {
        self.cases = cases;
        if !self.pending.is_empty() {
            self.kept = Spill::new();
        }
    }

    /// What was run (the selection and shard, and the suites once loaded), for `merge`.
    pub fn run_info(&mut self) -> &mut RunInfo {
        &mut self.run
    }

    /// The coverage of the suites' OpenAPI documents, for the reports that show it.
    pub fn set_coverage(&mut self, coverage: Vec<crate::openapi::Coverage>) {
        self.coverage = coverage;
    }

    /// Keeps what the reports need of `r`, whose check is `planned` (none: a host-wide
    /// finding, reported after the planned checks). Nothing when no report was asked for.
    pub fn keep(&mut self, planned: Option<Planned<'_>>, r: &CheckResult) {
        if self.pending.is_empty() {
            return;
        }
        let meta = planned.map(|p| self.cases.get(p));
        let entry = crate::report::document::entry(r, meta.as_ref(), self.out.redactor());
        self.kept
            .push(planned.map_or(usize::MAX, |p| p.index), entry);
    }

    /// Writes every report from the results kept, in plan order (host-wide findings
    /// last, as they arrived), counted `summary`, and returns `code` (as `write`).
    pub fn write_kept(mut self, summary: Summary, problems: &[RunProblem], code: u8) -> u8 {
        if self.pending.is_empty() {
            return code;
        }
        // Host-wide findings keep the order they arrived in.
        let kept = std::mem::replace(&mut self.kept, Spill::in_memory());
        let results = match kept.finish() {
            Ok(r) => r,
            Err(e) => {
                return self.unwritten(
                    &format!("cannot keep the results for the reports: {e}"),
                    code,
                );
            }
        };
        let doc =
            crate::report::document::with_entries(&self.report(problems, code), results, summary);
        self.write_document(&doc)
    }

    /// The report of no results (those of a run are written from the spill).
    fn report<'a>(&'a self, problems: &'a [RunProblem], code: u8) -> Report<'a> {
        Report {
            results: &[],
            problems,
            redactor: self.out.redactor(),
            elapsed: self.started.elapsed(),
            exit_code: code,
            run: self.run.clone(),
            document: DocumentCache::default(),
            coverage: &self.coverage,
        }
    }

    /// Writes every report of a run that judged nothing (it stopped short: `problems`)
    /// and returns `code`; if one could not be written, a run that would have passed
    /// exits 3 (a gate must not pass on a missing report).
    pub fn write(self, problems: &[RunProblem], code: u8) -> u8 {
        if self.pending.is_empty() {
            return code;
        }
        let doc = self.report(problems, code).into_document();
        self.write_document(&doc)
    }

    /// Writes every report from `doc` (a run's, or shards' merged) and returns its exit
    /// code; if a report could not be written, one that would have passed is 3.
    pub fn write_document(self, doc: &RunDocument) -> u8 {
        let mut code = doc.summary.exit_code;
        for pending in self.pending {
            if let Err(e) = pending.finish(doc, self.out.redactor()) {
                self.out.error(e);
                if code == exit_codes::SUCCESS {
                    code = exit_codes::CHECKS_ERRORED;
                }
            }
        }
        code
    }

    /// No report can be written (`why`): each is named, and a run that would have passed
    /// exits 3.
    fn unwritten(self, why: &str, code: u8) -> u8 {
        for pending in &self.pending {
            self.out.error(format!(
                "cannot write the {} report {}: {why}",
                pending.format().name(),
                pending.path().display()
            ));
        }
        if code == exit_codes::SUCCESS {
            exit_codes::CHECKS_ERRORED
        } else {
            code
        }
    }

    /// Invalid input: each problem as an `<error>` case, and exit 2.
    pub fn invalid(self, problems: &[RunProblem]) -> u8 {
        self.write(problems, exit_codes::INVALID_INPUT)
    }
}

/// The same file under two spellings (`r.xml`, `./r.xml`).
fn same_path(a: &Path, b: &Path) -> bool {
    let norm = |p: &Path| std::path::absolute(p).map(|p| p.components().collect::<PathBuf>());
    match (norm(a), norm(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// A problem with one option (`--tags`), or with what the options selected.
pub fn command_line(what: &str, message: String) -> RunProblem {
    RunProblem {
        name: format!("command line: {what}"),
        kind: INVALID_COMMAND_LINE,
        message,
        detail: String::new(),
    }
}

/// The harness could not run at all (the runtime, the demo, the engine's setup).
pub fn harness(message: String) -> RunProblem {
    RunProblem {
        name: "run".into(),
        kind: HARNESS,
        message,
        detail: String::new(),
    }
}
