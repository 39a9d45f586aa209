//! The JUnit XML report (Jenkins xUnit `junit-10.xsd`): one `<testsuite>` per suite file,
//! one `<testcase>` per check, failures as `<failure>`, checks that could not run as
//! `<error>`. Written with junit-report; every string sanitized first.

use junit_report::{Duration, ReportBuilder, TestCase, TestCaseBuilder, TestSuiteBuilder};
use std::io::Write;

use super::{cdata_text, xml_text};
use crate::results::{CheckResult, Outcome};

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
            b.set_trace(&cdata_text(&f.detail));
            b
        }
        Outcome::Error(f) => {
            let mut b =
                TestCaseBuilder::error(&name, time, "authspec.error", &xml_text(&f.message));
            b.set_trace(&cdata_text(&f.detail));
            b
        }
        Outcome::Skipped(reason) => {
            TestCaseBuilder::skipped_with_cause(&name, "authspec.skipped", &xml_text(reason))
        }
    };
    // No `file` attribute: junit-10.xsd does not allow it on <testcase>; the failure
    // detail's `-->` line names the file instead.
    case.set_classname(&xml_text(&r.suite));
    if !r.warnings.is_empty() {
        let text: Vec<String> = r.warnings.iter().map(|w| format!("warning: {w}")).collect();
        case.set_system_out(&cdata_text(&text.join("\n")));
    }
    case.build()
}
