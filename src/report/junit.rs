//! The JUnit XML report (Jenkins xUnit `junit-10.xsd`), indented: one `<testsuite>` per
//! suite file (with its `file`), one `<testcase>` per check with its real time (skipped
//! ones too); failures as `<failure>` and checks that could not run as `<error>`, each
//! with a `type` naming its kind (`authspec.finding.access`, `authspec.error.harness`), so
//! a viewer can tell a finding from a harness failure without reading the text; and, in a
//! `<testsuite name="authspec">`, one `<error>` case per reason the run stopped short.
//! Written with quick-xml from the run's `RunDocument` (or the one `authspec merge` made
//! of shards'); every string sanitized, then redacted, last.
//!
//! junit-10.xsd allows no `file` or `line` on `<testcase>`, so by default the file is the
//! suite's `file` attribute and the line is in the failure's `-->` line; with
//! `--junit-locations` each case also carries them, as GitLab and pytest's reports do.

use std::io::Write;

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesDecl, Event};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::document::{
    CoverageEntry, ErrorKindEntry, OutcomeEntry, ResultEntry, Results, RunDocument, RunProblemEntry,
};
use super::entries::{Glance, Status};
use super::{cdata_text, xml_clean};
use crate::redact::Redactor;
use crate::results::{ErrorKind, FindingKind};

pub use super::run::{Report, RunProblem};

/// The suite name and class name of the cases about the run itself.
pub const RUN_SUITE: &str = "authspec";

type Xml<W> = Writer<W>;

pub fn write(report: &Report<'_>, sink: impl Write) -> std::io::Result<()> {
    render(report.document(), report.redactor, false, sink)
}

/// The JUnit file of `doc` (a run's, or shards' merged); `locations`: `file` and `line`
/// on each case written in a suite.
pub fn render(
    doc: &RunDocument,
    redactor: &Redactor,
    locations: bool,
    sink: impl Write,
) -> std::io::Result<()> {
    let text = Text {
        redactor,
        locations,
    };
    let mut w = Writer::new_with_indent(sink, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    // One pass for the counts each `<testsuite>` opens with, and where its cases are:
    // the entries may be read back from a file, one at a time, so none is held.
    let mut files: Vec<FileCases> = Vec::new();
    let mut all = Tally::default();
    for (i, r) in doc.results.glances().enumerate() {
        let r = r?;
        all.add(&r);
        let at = match files.iter().position(|f| f.file == r.file) {
            Some(at) => at,
            None => {
                files.push(FileCases {
                    file: r.file.clone(),
                    suite: r.suite.clone(),
                    cases: Vec::new(),
                    tally: Tally::default(),
                });
                files.len() - 1
            }
        };
        files[at].cases.push(i);
        files[at].tally.add(&r);
    }
    let timestamp = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default();
    let problems = doc.problems.len();
    w.create_element("testsuites")
        .with_attributes([
            ("name", RUN_SUITE),
            ("tests", &(all.total + problems).to_string()),
            ("failures", &all.failed.to_string()),
            ("errors", &(all.errors + problems).to_string()),
            ("time", &seconds(all.time)),
        ])
        .write_inner_content(|w| {
            for (id, cases) in files.iter().enumerate() {
                let coverage = doc.coverage.iter().find(|c| c.file == cases.file);
                suite(w, id, cases, &doc.results, coverage, &timestamp, text)?;
            }
            if !doc.problems.is_empty() {
                run_problems(w, files.len(), &doc.problems, &timestamp, text)?;
            }
            Ok(())
        })?;
    w.get_mut().write_all(b"\n")
}

/// The cases of one suite file: their positions in the document, and how they ended.
struct FileCases {
    file: String,
    /// The suite's name, from its first case.
    suite: String,
    cases: Vec<usize>,
    tally: Tally,
}

/// How the cases of a `<testsuite>` ended.
#[derive(Default)]
struct Tally {
    total: usize,
    failed: usize,
    errors: usize,
    skipped: usize,
    /// The sum of the cases' times.
    time: f64,
}

impl Tally {
    fn add(&mut self, r: &Glance) {
        self.total += 1;
        self.time += r.duration_seconds;
        match r.status {
            Status::Pass => {}
            Status::Fail => self.failed += 1,
            Status::Error => self.errors += 1,
            Status::Skipped => self.skipped += 1,
        }
    }
}

fn suite<W: Write>(
    w: &mut Xml<W>,
    id: usize,
    cases: &FileCases,
    results: &Results,
    coverage: Option<&CoverageEntry>,
    timestamp: &str,
    text: Text<'_>,
) -> std::io::Result<()> {
    let name = text.attr(&cases.suite);
    let s = &cases.tally;
    w.create_element("testsuite")
        .with_attributes([
            ("id", id.to_string().as_str()),
            ("name", &name),
            ("package", &format!("testsuite/{name}")),
            ("tests", &s.total.to_string()),
            ("errors", &s.errors.to_string()),
            ("failures", &s.failed.to_string()),
            ("skipped", &s.skipped.to_string()),
            ("hostname", "localhost"),
            ("timestamp", timestamp),
            ("time", &seconds(s.time)),
            ("file", &text.attr(&cases.file)),
        ])
        .write_inner_content(|w| {
            let mut reader = results.reader();
            for &i in &cases.cases {
                testcase(w, &*reader.get(i)?, text)?;
            }
            // The suite's OpenAPI coverage, uncovered operations listed, as every report
            // shows it (with or without a `coverage.min` check).
            if let Some(c) = coverage {
                let lines = super::coverage::lines(c).join("\n");
                w.create_element("system-out")
                    .write_cdata_content(BytesCData::new(
                        text.cdata(&format!("OpenAPI coverage of {}: {lines}", c.spec)),
                    ))?;
            }
            Ok(())
        })?;
    Ok(())
}

fn run_problems<W: Write>(
    w: &mut Xml<W>,
    id: usize,
    problems: &[RunProblemEntry],
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
                    outcome(w, "error", &p.kind, &p.message, &p.detail, text)
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
/// secret after the redactor has looked. `locations`: cases carry `file` and `line`.
#[derive(Clone, Copy)]
struct Text<'a> {
    redactor: &'a Redactor,
    locations: bool,
}

impl Text<'_> {
    fn attr(self, s: &str) -> String {
        self.redactor.redact(&xml_clean(s))
    }

    fn cdata(self, s: &str) -> String {
        // Markers hold no `]]>`, so splitting before redaction stays valid.
        self.redactor.redact(&cdata_text(s))
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

/// The `<error type>` of an error kind, as the document names it.
fn error_entry_type(kind: ErrorKindEntry) -> &'static str {
    match kind {
        ErrorKindEntry::Harness => "authspec.error.harness",
        ErrorKindEntry::VacuousDeny => "authspec.error.vacuous_deny",
        ErrorKindEntry::Vacuous => "authspec.error.vacuous",
        ErrorKindEntry::SuiteUnavailable => "authspec.error.suite_unavailable",
        ErrorKindEntry::Internal => "authspec.error.internal",
        ErrorKindEntry::Skipped => "authspec.error.skipped",
    }
}

/// The `<skipped type>`.
pub const SKIPPED_TYPE: &str = "authspec.skipped";

fn testcase<W: Write>(w: &mut Xml<W>, r: &ResultEntry, text: Text<'_>) -> std::io::Result<()> {
    let name = text.attr(&r.name);
    let classname = text.attr(&r.suite);
    let time = r.duration_seconds.to_string();
    let mut el = w.create_element("testcase").with_attributes([
        ("name", name.as_str()),
        ("time", time.as_str()),
        ("classname", classname.as_str()),
    ]);
    let location = r
        .location
        .as_ref()
        .filter(|_| text.locations)
        .map(|l| (text.attr(&l.file), l.line.to_string()));
    if let Some((file, line)) = &location {
        el = el.with_attributes([("file", file.as_str()), ("line", line.as_str())]);
    }
    let out: Vec<String> = r
        .warnings
        .iter()
        .map(|w| format!("warning: {w}"))
        .chain(r.info.iter().cloned())
        .collect();
    if matches!(r.outcome, OutcomeEntry::Pass) && out.is_empty() {
        el.write_empty()?;
        return Ok(());
    }
    el.write_inner_content(|w| {
        match &r.outcome {
            OutcomeEntry::Pass => {}
            OutcomeEntry::Fail { finding: f } => outcome(
                w,
                "failure",
                finding_type(f.kind),
                &f.message,
                &f.evidence.text,
                text,
            )?,
            OutcomeEntry::Error { error: e } => outcome(
                w,
                "error",
                error_entry_type(e.kind),
                &e.message,
                &e.evidence.text,
                text,
            )?,
            OutcomeEntry::Skipped { reason, .. } => {
                outcome(w, "skipped", SKIPPED_TYPE, reason, "", text)?
            }
        }
        if !out.is_empty() {
            w.create_element("system-out")
                .write_cdata_content(BytesCData::new(text.cdata(&out.join("\n"))))?;
        }
        Ok(())
    })?;
    Ok(())
}
