//! The JUnit XML report (Jenkins xUnit `junit-10.xsd`): one `<testsuite>` per suite file,
//! one `<testcase>` per check, failures as `<failure>`, checks that could not run as
//! `<error>`; and, in a `<testsuite name="authspec">`, one `<error>` case per reason the
//! run stopped short (an invalid suite or command line, a signal, a harness failure).
//! Written with junit-report; every string sanitized, then redacted, last.

use junit_report::{Duration, ReportBuilder, TestCase, TestCaseBuilder, TestSuiteBuilder};
use std::io::Write;

use super::{cdata_text, xml_text};
use crate::redact::Redactor;
use crate::results::{CheckResult, Outcome};

/// The suite name and class name of the cases about the run itself.
pub const RUN_SUITE: &str = "authspec";

/// What one report holds.
pub struct Report<'a> {
    /// The checks that finished, in plan order.
    pub results: &'a [CheckResult],
    /// Why the run stopped short, if it did.
    pub problems: &'a [RunProblem],
    pub redactor: &'a Redactor,
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

pub fn write(report: &Report<'_>, sink: impl Write) -> Result<(), junit_report::Error> {
    let text = Text(report.redactor);
    let results = report.results;
    let mut out = ReportBuilder::new();
    let mut files: Vec<&str> = Vec::new();
    for r in results {
        if !files.contains(&&*r.file) {
            files.push(&r.file);
        }
    }
    for file in files {
        let cases: Vec<&CheckResult> = results.iter().filter(|r| &*r.file == file).collect();
        let suite_name = cases
            .first()
            .map(|r| r.suite.to_string())
            .unwrap_or_default();
        let mut suite = TestSuiteBuilder::new(&text.attr(&suite_name));
        for r in cases {
            suite.add_testcase(testcase(r, text));
        }
        out.add_testsuite(suite.build());
    }
    if !report.problems.is_empty() {
        let mut suite = TestSuiteBuilder::new(RUN_SUITE);
        for p in report.problems {
            let mut b = TestCaseBuilder::error(
                &text.attr(&p.name),
                Duration::ZERO,
                p.kind,
                &text.attr(&p.message),
            );
            if !p.detail.is_empty() {
                b.set_trace(&text.cdata(&p.detail));
            }
            b.set_classname(RUN_SUITE);
            suite.add_testcase(b.build());
        }
        out.add_testsuite(suite.build());
    }
    out.build().write_xml(sink)
}

/// Sanitizes, then redacts: removing a forbidden character must not join the pieces of a
/// secret after the redactor has looked.
#[derive(Clone, Copy)]
struct Text<'a>(&'a Redactor);

impl Text<'_> {
    fn attr(self, s: &str) -> String {
        self.0.redact(&xml_text(s))
    }

    fn cdata(self, s: &str) -> String {
        // Markers hold no `]]>`, so splitting before redaction stays valid.
        self.0.redact(&cdata_text(s))
    }
}

fn testcase(r: &CheckResult, text: Text<'_>) -> TestCase {
    let name = text.attr(&r.name);
    let time = Duration::try_from(r.duration).unwrap_or(Duration::ZERO);
    let mut case = match &r.outcome {
        Outcome::Pass => TestCaseBuilder::success(&name, time),
        Outcome::Fail(f) => {
            let mut b =
                TestCaseBuilder::failure(&name, time, "authspec.finding", &text.attr(&f.message));
            b.set_trace(&text.cdata(&f.detail()));
            b
        }
        Outcome::Error(e) => {
            let mut b =
                TestCaseBuilder::error(&name, time, "authspec.error", &text.attr(&e.message));
            b.set_trace(&text.cdata(&e.detail()));
            b
        }
        Outcome::Skipped(reason) => {
            TestCaseBuilder::skipped_with_cause(&name, "authspec.skipped", &text.attr(reason))
        }
    };
    // No `file` attribute: junit-10.xsd does not allow it on <testcase>; the failure
    // detail's `-->` line names the file instead.
    case.set_classname(&text.attr(&r.suite));
    if !r.warnings.is_empty() || !r.info.is_empty() {
        let lines: Vec<String> = r
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .chain(r.info.iter().cloned())
            .collect();
        case.set_system_out(&text.cdata(&lines.join("\n")));
    }
    case.build()
}
