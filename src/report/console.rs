//! The terminal reporter: one line per check as it finishes (with a counter when stdout
//! is a terminal), then every failure and error in full and the counts. Every line passes
//! through the redactor last.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;

use crate::redact::Redactor;
use crate::results::{CheckResult, Outcome, Summary};

/// Like `println!`, but redacted, and a closed stdout (`authspec run | head`) is not a
/// panic: the run goes on and the report is still written.
macro_rules! say {
    ($self:ident, $($arg:tt)*) => {{
        let line = $self.redactor.redact(&format!($($arg)*));
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }};
}

pub struct Console {
    color: bool,
    progress: bool,
    /// `--quiet`: no line per check; failures, errors, warnings and counts only.
    quiet: bool,
    total: usize,
    done: usize,
    redactor: Arc<Redactor>,
    /// The counts so far.
    counts: Summary,
    /// What the summary prints in full (failures and errors; warnings), with each
    /// result's place: the plan's, then arrival (results arrive as checks finish).
    bad: Vec<((usize, usize), CheckResult)>,
    /// Each warning once, at the first place it was given: a suite setting's warning
    /// comes with each of its checks, 100,000 times in a large matrix.
    /// (The place is the result's, then the warning's among its own.)
    warnings: HashMap<String, (usize, usize, usize)>,
}

impl Console {
    pub fn new(total: usize, redactor: Arc<Redactor>) -> Self {
        let tty = std::io::stdout().is_terminal();
        Self {
            color: tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            progress: tty,
            quiet: false,
            total,
            done: 0,
            redactor,
            counts: Summary::default(),
            bad: Vec::new(),
            warnings: HashMap::new(),
        }
    }

    /// `--color` (`None`: auto, as `new` decides) and `--quiet`.
    pub fn styled(mut self, color: Option<bool>, quiet: bool) -> Self {
        if let Some(color) = color {
            self.color = color;
        }
        self.quiet = quiet;
        self
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn label(&self, outcome: &Outcome) -> String {
        let code = match outcome {
            Outcome::Pass => "32",
            Outcome::Fail(_) => "1;31",
            Outcome::Error(_) => "1;33",
            Outcome::Skipped(_) => "36",
        };
        self.paint(&format!("{:<5}", outcome.label()), code)
    }

    /// Shows `r` and keeps what the summary needs of it; `index` is its check's place in
    /// the plan (none for a host-wide finding).
    pub fn on_result(&mut self, index: Option<usize>, r: &CheckResult) {
        let place = (index.unwrap_or(usize::MAX), self.done);
        self.counts.add(&r.outcome);
        if matches!(r.outcome, Outcome::Fail(_) | Outcome::Error(_)) {
            self.bad.push((place, r.clone()));
        }
        for (k, w) in r.warnings.iter().enumerate() {
            let here = (place.0, place.1, k);
            let at = self
                .warnings
                .entry(format!("{}: {w}", r.suite))
                .or_insert(here);
            *at = (*at).min(here);
        }
        self.done += 1;
        // Host-wide findings are checks the run found, beyond the plan's count.
        self.total = self.total.max(self.done);
        if self.quiet {
            return;
        }
        let counter = if self.progress {
            let width = self.total.to_string().len();
            format!("[{:>width$}/{}] ", self.done, self.total)
        } else {
            String::new()
        };
        let why = match &r.outcome {
            Outcome::Fail(f) => format!("\n        {}", f.message),
            Outcome::Error(e) => format!("\n        {}", e.message),
            Outcome::Skipped(reason) => format!(" ({reason})"),
            Outcome::Pass if r.info.is_empty() => String::new(),
            Outcome::Pass => format!("\n        {}", r.info.join("; ")),
        };
        say!(
            self,
            "{counter}{} {} › {} {}{why}",
            self.label(&r.outcome),
            r.suite,
            r.name,
            self.paint(&format!("({})", millis(r.duration)), "2"),
        );
    }

    /// Each suite's OpenAPI coverage and what no check touched; shown even when quiet.
    pub fn coverage(&self, all: &[crate::openapi::Coverage]) {
        if all.is_empty() {
            return;
        }
        say!(self, "\n{}", self.paint("OpenAPI coverage:", "1"));
        for c in all {
            let min = c.min.map(|m| format!(", minimum {m}%")).unwrap_or_default();
            say!(self, "  {} ({}): {}{min}", c.suite, c.spec, c.headline());
            for m in c.uncovered() {
                say!(self, "    not covered: {m}");
            }
        }
    }

    /// The counts of every result shown so far.
    pub fn counts(&self) -> Summary {
        self.counts
    }

    /// Every failure and error in full, in plan order, the warnings, and the counts.
    pub fn summary(&mut self, elapsed: Duration) {
        self.bad.sort_by_key(|(place, _)| *place);
        let bad: Vec<&CheckResult> = self.bad.iter().map(|(_, r)| r).collect();
        if !bad.is_empty() {
            say!(self, "\n{}", self.paint("Failures and errors:", "1"));
        }
        for r in bad {
            let (Some(message), Some(detail)) = (r.outcome.message(), r.outcome.detail()) else {
                continue;
            };
            say!(
                self,
                "\n{} {} › {}\n  {}",
                self.label(&r.outcome),
                r.suite,
                r.name,
                message
            );
            for line in detail.lines() {
                say!(self, "    {line}");
            }
        }
        let mut notes: Vec<(&(usize, usize, usize), &String)> =
            self.warnings.iter().map(|(note, at)| (at, note)).collect();
        notes.sort();
        let notes: Vec<&String> = notes.into_iter().map(|(_, note)| note).collect();
        if !notes.is_empty() {
            say!(self, "\n{}", self.paint("Warnings:", "1;33"));
            for n in &notes {
                say!(self, "  {n}");
            }
        }
        let s = self.counts;
        let counts = format!(
            "{} checks: {} passed, {} failed, {} errors, {} skipped in {:.2} s",
            s.total(),
            s.passed,
            s.failed,
            s.errors,
            s.skipped,
            elapsed.as_secs_f64()
        );
        let code = if s.exit_code() == 0 { "1;32" } else { "1;31" };
        say!(self, "\n{}", self.paint(&counts, code));
    }
}

fn millis(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}
