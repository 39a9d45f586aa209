//! The run's JUnit report from the command line's side: opened first (the path checked,
//! an earlier report removed), then written with the results, or with why the run
//! stopped short as `<error>` cases, whatever the exit code.

use std::path::{Path, PathBuf};

use super::args::SuiteArgs;
use super::diagnostics::INVALID_COMMAND_LINE;
use super::inputs;
use super::output::Out;
use crate::exit_codes;
use crate::report::junit::{Report, RunProblem};
use crate::report::pending::PendingReport;
use crate::results::CheckResult;

/// `<error type>` of a run stopped by a signal.
pub const INTERRUPTED: &str = "authspec.interrupted";
/// `<error type>` of a harness failure that stopped the whole run.
pub const HARNESS: &str = "authspec.harness";

/// The `--junit` report of this run, if one was asked for.
pub struct RunReport {
    pending: Option<PendingReport>,
    out: Out,
}

impl RunReport {
    /// Before anything else: a path that cannot take the report is a command-line error
    /// (printed; `Err` holds the exit code), and no report of an earlier run survives.
    /// `also` are inputs besides the suites' (the `--upstream-ca` files).
    pub fn open(
        path: Option<&Path>,
        suites: &SuiteArgs,
        also: &[PathBuf],
        out: &Out,
    ) -> Result<Self, u8> {
        let pending = match path {
            None => None,
            Some(path) => {
                let mut inputs = inputs::all(suites);
                inputs.extend_from_slice(also);
                match PendingReport::create(path, &inputs) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        out.error(e);
                        return Err(exit_codes::INVALID_INPUT);
                    }
                }
            }
        };
        Ok(Self {
            pending,
            out: out.clone(),
        })
    }

    /// Writes the report and returns `code`, or 1 if the report could not be written.
    pub fn write(self, results: &[CheckResult], problems: &[RunProblem], code: u8) -> u8 {
        let Some(pending) = self.pending else {
            return code;
        };
        let report = Report {
            results,
            problems,
            redactor: self.out.redactor(),
        };
        match pending.finish(&report) {
            Ok(()) => code,
            Err(e) => {
                self.out.error(e);
                exit_codes::CHECKS_FAILED
            }
        }
    }

    /// Invalid input: each problem as an `<error>` case, and exit 2.
    pub fn invalid(self, problems: &[RunProblem]) -> u8 {
        self.write(&[], problems, exit_codes::INVALID_INPUT)
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
