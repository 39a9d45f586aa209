//! Results: what the engine says about each check. Reporters only format these; every
//! string in them has passed through redaction before it leaves the engine.

use std::sync::Arc;
use std::time::Duration;

use crate::redact::Redactor;

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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// A security expectation does not hold: a finding.
    Fail(Finding),
    /// The check could not prove anything (transport failure, vacuous deny): never a pass.
    Error(Finding),
    Skipped(String),
}

/// A one-line message and a multi-line detail: what was expected, what came back, and
/// which request it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub message: String,
    pub detail: String,
}

impl Finding {
    pub fn new(message: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            detail: detail.into(),
        }
    }
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail(_) => "FAIL",
            Outcome::Error(_) => "ERROR",
            Outcome::Skipped(_) => "SKIP",
        }
    }
}

impl CheckResult {
    /// Removes every registered secret from every text of the result.
    pub fn redacted(mut self, redactor: &Redactor) -> Self {
        self.name = redactor.redact(&self.name);
        let f = |x: &mut Finding| {
            x.message = redactor.redact(&x.message);
            x.detail = redactor.redact(&x.detail);
        };
        for w in self.warnings.iter_mut().chain(self.info.iter_mut()) {
            *w = redactor.redact(w);
        }
        match &mut self.outcome {
            Outcome::Fail(x) | Outcome::Error(x) => f(x),
            Outcome::Skipped(reason) => *reason = redactor.redact(reason),
            Outcome::Pass => {}
        }
        self
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
            match r.outcome {
                Outcome::Pass => s.passed += 1,
                Outcome::Fail(_) => s.failed += 1,
                Outcome::Error(_) => s.errors += 1,
                Outcome::Skipped(_) => s.skipped += 1,
            }
        }
        s
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.errors + self.skipped
    }

    pub fn exit_code(&self) -> u8 {
        if self.failed + self.errors > 0 {
            crate::exit_codes::CHECKS_FAILED
        } else {
            crate::exit_codes::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_reaches_message_and_detail() {
        let r = Redactor::new();
        r.add("reader.bearer", "fake-tok-42");
        let result = CheckResult {
            id: "x".into(),
            suite: "s".into(),
            file: "f".into(),
            name: "n".into(),
            outcome: Outcome::Fail(Finding::new("saw fake-tok-42", "body: fake-tok-42")),
            duration: Duration::ZERO,
            warnings: Vec::new(),
            info: Vec::new(),
        }
        .redacted(&r);
        let Outcome::Fail(f) = result.outcome else {
            panic!("not a failure")
        };
        assert!(!f.message.contains("fake-tok-42") && !f.detail.contains("fake-tok-42"));
        assert!(f.detail.contains("«redacted:reader.bearer»"));
    }

    #[test]
    fn errors_and_failures_make_exit_code_1() {
        let mut s = Summary {
            passed: 3,
            ..Summary::default()
        };
        assert_eq!(s.exit_code(), 0);
        s.errors = 1;
        assert_eq!(s.exit_code(), 1);
    }
}
