//! The result of one check — its outcome, duration, warnings and measurements — and
//! the counts of a run with the exit code they mean.

use std::sync::Arc;
use std::time::Duration;

use super::error::CheckError;
use super::finding::Finding;

#[derive(Clone, Debug)]
pub struct CheckResult {
    /// Stable id (file, entry, role), for filtering and reports.
    pub id: String,
    pub suite: Arc<str>,
    pub file: Arc<str>,
    pub name: String,
    pub outcome: Outcome,
    pub duration: Duration,
    /// Things the reader of the report must know even when the check passed (a
    /// weakened suite setting, a replay the scheme does not forbid).
    pub warnings: Vec<String>,
    /// Measurements worth reporting on any outcome (the request a rate limit began at).
    pub info: Vec<String>,
    /// The finding a waiver accepted (the outcome is then `Skipped`), so reports show it
    /// as suppressed rather than gone.
    pub waived: Option<Box<WaivedFinding>>,
}

/// A finding a waiver accepted, and the waiver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaivedFinding {
    pub finding: Finding,
    pub reason: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub expires: String,
    /// `file:line:column` of the waiver.
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// A security expectation does not hold: a finding.
    Fail(Finding),
    /// The check could not prove anything (transport failure, vacuous deny): never a pass.
    Error(CheckError),
    Skipped(String),
}

impl Outcome {
    /// The one line under the check's name, for a failure or an error.
    pub fn message(&self) -> Option<&str> {
        match self {
            Outcome::Fail(f) => Some(&f.message),
            Outcome::Error(e) => Some(&e.message),
            Outcome::Pass | Outcome::Skipped(_) => None,
        }
    }

    /// The detail block, for a failure or an error.
    pub fn detail(&self) -> Option<String> {
        match self {
            Outcome::Fail(f) => Some(f.detail()),
            Outcome::Error(e) => Some(e.detail()),
            Outcome::Pass | Outcome::Skipped(_) => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail(_) => "FAIL",
            Outcome::Error(_) => "ERROR",
            Outcome::Skipped(_) => "SKIP",
        }
    }
}

/// Counts of a run, and the exit code they mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(results: &[CheckResult]) -> Self {
        let mut s = Summary::default();
        for r in results {
            s.add(&r.outcome);
        }
        s
    }

    /// Counts one more check that ended in `outcome`.
    pub fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail(_) => self.failed += 1,
            Outcome::Error(_) => self.errors += 1,
            Outcome::Skipped(_) => self.skipped += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.errors + self.skipped
    }

    /// 1 when anything failed (a finding outweighs an error), else 3 when anything could
    /// not be judged, else 0: a skip proves nothing wrong.
    pub fn exit_code(&self) -> u8 {
        if self.failed > 0 {
            crate::exit_codes::CHECKS_FAILED
        } else if self.errors > 0 {
            crate::exit_codes::CHECKS_ERRORED
        } else {
            crate::exit_codes::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_is_1_an_error_alone_is_3_and_skips_are_0() {
        let mut s = Summary {
            passed: 3,
            skipped: 2,
            ..Summary::default()
        };
        assert_eq!(s.exit_code(), crate::exit_codes::SUCCESS);
        s.errors = 1;
        assert_eq!(s.exit_code(), crate::exit_codes::CHECKS_ERRORED);
        assert_eq!(s.exit_code(), 3);
        s.failed = 1;
        assert_eq!(s.exit_code(), crate::exit_codes::CHECKS_FAILED);
        assert_eq!(s.exit_code(), 1);
        s.errors = 0;
        assert_eq!(s.exit_code(), 1);
    }
}
