//! The JUnit XML report (Jenkins xUnit `junit-10.xsd`): one `<testsuite>` per suite file,
//! one `<testcase>` per check, failures as `<failure>`, checks that could not run as
//! `<error>`. Written with junit-report; every string sanitized first.

use junit_report::{Duration, ReportBuilder, TestCase, TestCaseBuilder, TestSuiteBuilder};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{cdata_text, xml_text};
use crate::results::{CheckResult, Outcome};

/// A report being written: a temporary file beside the target, renamed over it when the
/// run completes, so an interrupted run never leaves an empty or half report.
pub struct PendingReport {
    path: PathBuf,
    temp: PathBuf,
    file: File,
}

impl PendingReport {
    pub fn create(path: &Path) -> Result<Self, (PathBuf, std::io::Error)> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&temp).map_err(|e| (path.to_path_buf(), e))?;
        Ok(Self {
            path: path.to_path_buf(),
            temp,
            file,
        })
    }

    pub fn finish(self, results: &[CheckResult]) -> Result<(), String> {
        let fail = |e: String| {
            let _ = std::fs::remove_file(&self.temp);
            format!("cannot write the JUnit report {}: {e}", self.path.display())
        };
        let mut sink = BufWriter::new(&self.file);
        write(results, &mut sink).map_err(|e| fail(e.to_string()))?;
        sink.flush().map_err(|e| fail(e.to_string()))?;
        drop(sink);
        std::fs::rename(&self.temp, &self.path).map_err(|e| fail(e.to_string()))
    }
}

impl Drop for PendingReport {
    fn drop(&mut self) {
        // After a successful rename this finds nothing; otherwise it cleans up.
        let _ = std::fs::remove_file(&self.temp);
    }
}

pub fn write(results: &[CheckResult], sink: impl Write) -> Result<(), junit_report::Error> {
    let mut report = ReportBuilder::new();
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
        let mut suite = TestSuiteBuilder::new(&xml_text(&suite_name));
        for r in cases {
            suite.add_testcase(testcase(r));
        }
        report.add_testsuite(suite.build());
    }
    report.build().write_xml(sink)
}

fn testcase(r: &CheckResult) -> TestCase {
    let name = xml_text(&r.name);
    let time = Duration::try_from(r.duration).unwrap_or(Duration::ZERO);
    let mut case = match &r.outcome {
        Outcome::Pass => TestCaseBuilder::success(&name, time),
        Outcome::Fail(f) => {
            let mut b =
                TestCaseBuilder::failure(&name, time, "authspec.finding", &xml_text(&f.message));
            b.set_trace(&cdata_text(&f.detail()));
            b
        }
        Outcome::Error(e) => {
            let mut b =
                TestCaseBuilder::error(&name, time, "authspec.error", &xml_text(&e.message));
            b.set_trace(&cdata_text(&e.detail()));
            b
        }
        Outcome::Skipped(reason) => {
            TestCaseBuilder::skipped_with_cause(&name, "authspec.skipped", &xml_text(reason))
        }
    };
    // No `file` attribute: junit-10.xsd does not allow it on <testcase>; the failure
    // detail's `-->` line names the file instead.
    case.set_classname(&xml_text(&r.suite));
    if !r.warnings.is_empty() || !r.info.is_empty() {
        let text: Vec<String> = r
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .chain(r.info.iter().cloned())
            .collect();
        case.set_system_out(&cdata_text(&text.join("\n")));
    }
    case.build()
}
