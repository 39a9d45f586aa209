//! The JUnit file is what a CI gate trusts: control characters, `]]>` and XML fragments
//! pushed through every text field must neither break it nor forge results in it; nor
//! may they break the JSON, the SARIF or the HTML report (no markup of a server's reaches
//! the page as markup).

mod common;

use std::sync::Arc;
use std::time::Duration;

use authspec::redact::Redactor;
use authspec::report::{DocumentCache, html, json, junit, sarif};
use authspec::results::{CheckError, CheckResult, ErrorKind, Evidence, Finding, Outcome, rule};
use common::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const HOSTILE: &str = "esc\u{1b}[31m nul\u{0} bel\u{7} ]]><testcase name=\"forged\"/><![CDATA[ </failure></testcase><testcase name=\"forged2\"/> \u{FFFE}";

fn result(name: &str, outcome: Outcome) -> CheckResult {
    CheckResult {
        id: "id".into(),
        suite: Arc::from(format!("suite {HOSTILE}")),
        file: Arc::from(format!("file {HOSTILE}")),
        name: format!("{name} {HOSTILE}"),
        outcome,
        duration: Duration::from_millis(3),
        warnings: vec![format!("warning {HOSTILE}")],
        info: vec![format!("info {HOSTILE}")],
        waived: None,
    }
}

#[test]
fn every_text_field_survives_hostile_content() {
    let evidence = || Evidence {
        notes: vec![format!("detail {HOSTILE}\nline two ]]>")],
        ..Evidence::default()
    };
    let finding = || Finding::of(&rule::ACCESS_DENY, format!("message {HOSTILE}"), evidence());
    let error = || {
        CheckError::new(
            ErrorKind::Internal,
            format!("message {HOSTILE}"),
            evidence(),
        )
    };
    let results = vec![
        result("pass", Outcome::Pass),
        result("fail", Outcome::Fail(finding())),
        result("error", Outcome::Error(error())),
        result("skip", Outcome::Skipped(format!("reason {HOSTILE}"))),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.xml");
    let problems = vec![junit::RunProblem {
        name: format!("suite {HOSTILE}"),
        kind: "authspec.invalid_suite",
        message: format!("message {HOSTILE}"),
        detail: format!("detail {HOSTILE}"),
    }];
    let report = junit::Report {
        results: &results,
        problems: &problems,
        redactor: &Redactor::new(),
        elapsed: Duration::from_millis(12),
        exit_code: 1,
        run: Default::default(),
        document: DocumentCache::default(),
        coverage: &[],
    };
    junit::write(&report, std::fs::File::create(&path).unwrap()).unwrap();
    hostile_json_sarif_and_html(&report, dir.path());
    assert_valid_junit(&path);
    assert_eq!(count(&path, "//testcase"), 5);
    assert_eq!(
        count(&path, "//testcase[contains(@name, 'forged')]"),
        5,
        "only as text inside real names"
    );
    assert_eq!(count(&path, "//testcase[@name='forged']"), 0);
    assert_eq!(count(&path, "//failure"), 1);
    assert_eq!(count(&path, "//error"), 2);
    assert_eq!(
        count(&path, "//testsuite[@name='authspec']/testcase[error]"),
        1
    );
    assert_eq!(count(&path, "//skipped"), 1);
    // A type per kind: a finding's is not an error's; a skipped case keeps its time.
    assert_eq!(
        count(&path, "//failure[@type='authspec.finding.access']"),
        1
    );
    assert_eq!(
        count(&path, "//testcase/error[@type='authspec.error.internal']"),
        1
    );
    assert_eq!(xpath(&path, "string(//testcase[skipped]/@time)"), "0.003");
    assert_eq!(count(&path, "//testcase/system-out"), 4);
    // The text survives (minus forbidden characters), `]]>` included.
    let detail = xpath(&path, "string(//failure)");
    assert!(
        detail.contains("]]><testcase name=\"forged\"/>"),
        "{detail}"
    );
    assert!(!detail.contains('\u{1b}'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_response_body_cannot_break_the_report() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(HOSTILE))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "h.yaml",
        "suite: hostile\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\naccess:\n  - request: GET /x\n    deny: [anonymous]\nscenarios:\n  - name: body\n    as: anonymous\n    request: GET /y\n    expect: { body_not_contains: forged }\n",
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "h.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri())],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase"), 2);
    assert_eq!(count(&report, "//testcase[failure]"), 2);
    assert!(
        !run.stdout.contains('\u{1b}'),
        "raw escape sequences from a server reach the terminal"
    );
}

/// The same hostile results in the other formats: JSON and SARIF parse, hold no control
/// character, and keep the text; the HTML page holds no tag or attribute of the hostile
/// text, only its escaped form.
#[allow(clippy::unwrap_used)]
fn hostile_json_sarif_and_html(report: &junit::Report<'_>, dir: &std::path::Path) {
    let mut out = Vec::new();
    json::write(report, &mut out).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["results"].as_array().unwrap().len(), 4);
    let text = doc.to_string();
    assert!(
        !text.contains("\\u001b") && !text.contains("\\u0000"),
        "{text}"
    );
    assert!(text.contains("]]><testcase name=\\\"forged\\\"/>"));

    let mut out = Vec::new();
    sarif::write(report, &mut out).unwrap();
    let log: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 1);

    let mut out = Vec::new();
    html::write(report, &mut out).unwrap();
    let page = String::from_utf8(out).unwrap();
    std::fs::write(dir.join("hostile.html"), &page).unwrap();
    assert!(!page.contains("<testcase"), "raw markup in the page");
    assert!(!page.contains("<![CDATA["), "raw markup in the page");
    assert!(page.contains("&lt;testcase name=&quot;forged&quot;/&gt;"));
    assert!(!page.contains('\u{1b}') && !page.contains('\u{0}'));
    assert_eq!(page.matches("<article ").count(), 4);
    // Errors and skips are styled apart from failures.
    for class in ["check pass", "check fail", "check error", "check skipped"] {
        assert_eq!(
            page.matches(&format!("<article class=\"{class}\"")).count(),
            1,
            "{class}"
        );
    }
    assert!(page.contains(".check.error{border:2px dashed"));
    assert_eq!(
        page.matches("<script>").count(),
        1,
        "only our own inline script"
    );
}
