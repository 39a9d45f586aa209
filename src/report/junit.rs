//! The JUnit XML report (Jenkins xUnit `junit-10.xsd`), indented: one `<testsuite>` per
//! suite file (with its `file`), one `<testcase>` per check with its real time (skipped
//! ones too); failures as `<failure>` and checks that could not run as `<error>`, each
//! with a `type` naming its kind (`authspec.finding.access`, `authspec.error.harness`), so
//! a viewer can tell a finding from a harness failure without reading the text; and, in a
//! `<testsuite name="authspec">`, one `<error>` case per reason the run stopped short.
//! Written with quick-xml; every string sanitized, then redacted, last.
//!
//! junit-10.xsd allows no `file` or `line` on `<testcase>`, so the file is the suite's
//! `file` attribute and the line is in the failure's `-->` line.

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, Event};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{cdata_text, xml_text};
use crate::redact::Redactor;
use crate::results::{CheckResult, ErrorKind, FindingKind, Outcome, Summary};

pub use super::run::{Report, RunProblem};

/// The suite name and class name of the cases about the run itself.
pub const RUN_SUITE: &str = "authspec";

type Xml<W> = Writer<W>;

pub fn write(report: &Report<'_>, sink: impl Write) -> std::io::Result<()> {
    let text = Text(report.redactor);
    let mut w = Writer::new_with_indent(sink, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut files: Vec<&str> = Vec::new();
    for r in report.results {
        if !files.contains(&&*r.file) {
            files.push(&r.file);
        }
    }
    let all = Summary::of(report.results);
    let total_time: f64 = report
        .results
        .iter()
        .map(|r| r.duration.as_secs_f64())
        .sum();
    let timestamp = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default();
    let problems = report.problems.len();
    w.create_element("testsuites")
        .with_attributes([
            ("name", RUN_SUITE),
            ("tests", &(all.total() + problems).to_string()),
            ("failures", &all.failed.to_string()),
            ("errors", &(all.errors + problems).to_string()),
            ("time", &seconds(total_time)),
        ])
        .write_inner_content(|w| {
            for (id, file) in files.iter().enumerate() {
                let cases: Vec<&CheckResult> = report
                    .results
                    .iter()
                    .filter(|r| &*r.file == *file)
                    .collect();
                suite(w, id, file, &cases, &timestamp, text)?;
            }
            if !report.problems.is_empty() {
                run_problems(w, files.len(), report.problems, &timestamp, text)?;
            }
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

fn suite<W: Write>(
    w: &mut Xml<W>,
    id: usize,
    file: &str,
    cases: &[&CheckResult],
    timestamp: &str,
    text: Text<'_>,
) -> std::io::Result<()> {
    let name = text.attr(cases.first().map_or("", |r| &r.suite));
    let owned: Vec<CheckResult> = cases.iter().map(|r| (*r).clone()).collect();
    let s = Summary::of(&owned);
    let time: f64 = cases.iter().map(|r| r.duration.as_secs_f64()).sum();
    w.create_element("testsuite")
        .with_attributes([
            ("id", id.to_string().as_str()),
            ("name", &name),
            ("package", &format!("testsuite/{name}")),
            ("tests", &s.total().to_string()),
            ("errors", &s.errors.to_string()),
            ("failures", &s.failed.to_string()),
            ("skipped", &s.skipped.to_string()),
            ("hostname", "localhost"),
            ("timestamp", timestamp),
            ("time", &seconds(time)),
            ("file", &text.attr(file)),
        ])
        .write_inner_content(|w| {
            for r in cases {
                testcase(w, r, text)?;
            }
            Ok(())
        })?;
    Ok(())
}

fn run_problems<W: Write>(
    w: &mut Xml<W>,
    id: usize,
    problems: &[RunProblem],
    timestamp: &str,
    text: Text<'_>,
) -> std::io::Result<()> {
    let n = problems.len().to_string();
    w.create_element("testsuite")
        .with_attributes([
            ("id", id.to_string().as_str()),
            ("name", RUN_SUITE),
            ("package", &format!("testsuite/{RUN_SUITE}")),
            ("tests", &n),
            ("errors", &n),
            ("failures", "0"),
            ("skipped", "0"),
            ("hostname", "localhost"),
            ("timestamp", timestamp),
            ("time", "0"),
        ])
        .write_inner_content(|w| {
            for p in problems {
                let case = w.create_element("testcase").with_attributes([
                    ("name", text.attr(&p.name).as_str()),
                    ("time", "0"),
                    ("classname", RUN_SUITE),
                ]);
                case.write_inner_content(|w| {
                    outcome(w, "error", p.kind, &p.message, &p.detail, text)
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

/// `<failure>`, `<error>` or `<skipped>` with its type, message and (when there is one)
/// the detail block as CDATA.
fn outcome<W: Write>(
    w: &mut Xml<W>,
    tag: &str,
    kind: &str,
    message: &str,
    detail: &str,
    text: Text<'_>,
) -> std::io::Result<()> {
    let el = w
        .create_element(tag)
        .with_attributes([("type", kind), ("message", text.attr(message).as_str())]);
    if detail.is_empty() {
        el.write_empty()?;
    } else {
        el.write_cdata_content(BytesCData::new(text.cdata(detail)))?;
    }
    Ok(())
}

/// A sum of durations without float noise (`0.4387661350000003`).
fn seconds(s: f64) -> String {
    // An empty sum is -0.0, which the schema's time pattern refuses.
    let text = format!("{:.9}", if s > 0.0 { s } else { 0.0 });
    text.trim_end_matches('0').trim_end_matches('.').to_string()
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

/// The `<failure type>` of a finding kind.
pub fn finding_type(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Access => "authspec.finding.access",
        FindingKind::Assertion => "authspec.finding.assertion",
        FindingKind::Leak => "authspec.finding.leak",
        FindingKind::Log => "authspec.finding.log",
        FindingKind::Upstream => "authspec.finding.upstream",
        FindingKind::ProbeCase => "authspec.finding.probe",
        FindingKind::Coverage => "authspec.finding.coverage",
    }
}

/// The `<error type>` of an error kind.
pub fn error_type(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Harness(_) => "authspec.error.harness",
        ErrorKind::VacuousDeny => "authspec.error.vacuous_deny",
        ErrorKind::Vacuous => "authspec.error.vacuous",
        ErrorKind::SuiteUnavailable(_) => "authspec.error.suite_unavailable",
        ErrorKind::Internal => "authspec.error.internal",
        ErrorKind::Skipped => "authspec.error.skipped",
    }
}

/// The `<skipped type>`.
pub const SKIPPED_TYPE: &str = "authspec.skipped";

fn testcase<W: Write>(w: &mut Xml<W>, r: &CheckResult, text: Text<'_>) -> std::io::Result<()> {
    let name = text.attr(&r.name);
    let classname = text.attr(&r.suite);
    let time = r.duration.as_secs_f64().to_string();
    let el = w.create_element("testcase").with_attributes([
        ("name", name.as_str()),
        ("time", time.as_str()),
        ("classname", classname.as_str()),
    ]);
    let out: Vec<String> = r
        .warnings
        .iter()
        .map(|w| format!("warning: {w}"))
        .chain(r.info.iter().cloned())
        .collect();
    if matches!(r.outcome, Outcome::Pass) && out.is_empty() {
        el.write_empty()?;
        return Ok(());
    }
    el.write_inner_content(|w| {
        match &r.outcome {
            Outcome::Pass => {}
            Outcome::Fail(f) => outcome(
                w,
                "failure",
                finding_type(f.kind),
                &f.message,
                &f.detail(),
                text,
            )?,
            Outcome::Error(e) => outcome(
                w,
                "error",
                error_type(&e.kind),
                &e.message,
                &e.detail(),
                text,
            )?,
            Outcome::Skipped(reason) => outcome(w, "skipped", SKIPPED_TYPE, reason, "", text)?,
        }
        if !out.is_empty() {
            w.create_element("system-out")
                .write_cdata_content(BytesCData::new(text.cdata(&out.join("\n"))))?;
        }
        Ok(())
    })?;
    Ok(())
}
