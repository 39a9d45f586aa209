//! Host-wide findings end to end: a server that sends a version banner on every response
//! gets one `leakage <host:port>: version_banner` check, with how many responses showed
//! it, and no other check fails for it (a scenario's later steps still run); a stack
//! trace in one body stays on the check whose response carried it. Its sound twin, the
//! same API without the banner, gets no banner check at all.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BANNER: &str = "Werkzeug/2.2.3 Python/3.11.7";

/// The orders API; with `banner`, every response carries `Server: Werkzeug/…`.
async fn api(banner: bool) -> MockServer {
    let server = MockServer::start().await;
    let answer = |status: u16, body: &str| {
        let t = ResponseTemplate::new(status).set_body_string(body.to_string());
        if banner {
            t.insert_header("Server", BANNER)
        } else {
            t
        }
    };
    let authed = [
        ("/orders", r#"[{"id": 1}]"#, 200),
        ("/orders/1", r#"{"id": 1, "item": "gadget"}"#, 200),
        (
            "/boom",
            "Traceback (most recent call last):\n  File \"/app/views.py\", line 12, in boom\nKeyError: 'id'",
            500,
        ),
    ];
    for (p, body, status) in authed {
        Mock::given(method("GET"))
            .and(path(p))
            .and(header_exists("authorization"))
            .respond_with(answer(status, body))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .respond_with(answer(401, r#"{"error": "unauthorized"}"#))
        .with_priority(5)
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: banners
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
  reader:
    bearer: ${env:T}
access:
  - request: GET /orders
    allow: [reader]
    deny: [anonymous]
  - request: GET /orders/1
    allow: [reader]
scenarios:
  - name: an order reads back
    steps:
      - as: reader
        request: GET /orders
        expect: { status: 200 }
      - as: reader
        request: GET /orders/1
        expect: { json: { $.item: gadget } }
  - name: errors
    as: reader
    request: GET /boom
    expect: { status: 500 }
";

async fn run(banner: bool) -> (Run, std::path::PathBuf, tempfile::TempDir, String) {
    let server = api(banner).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "s.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri()), ("T", &fake_secret("reader"))],
        dir.path(),
    );
    assert_valid_junit(&report);
    let host = server.uri().trim_start_matches("http://").to_string();
    (run, report, dir, host)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banner_on_every_response_is_one_check_and_fails_nothing_else() {
    let (run, report, _dir, host) = run(true).await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    let name = format!("leakage {host}: version_banner");
    assert_eq!(
        count(&report, &format!("//testcase[@name='{name}'][failure]")),
        1,
        "{}",
        run.stdout
    );
    assert_eq!(
        count(&report, "//testcase[contains(@name, 'version_banner')]"),
        1
    );
    let message = xpath(
        &report,
        &format!("string(//testcase[@name='{name}']/failure/@message)"),
    );
    assert!(message.contains(BANNER), "{message}");
    // Every request the suite sends answers with the banner: 3 cells, 3 scenario steps.
    assert!(message.contains("on 6 responses"), "{message}");
    let text = xpath(
        &report,
        &format!("string(//testcase[@name='{name}']/failure)"),
    );
    assert!(text.contains("request:") && text.contains(&host), "{text}");
    // The body leak stays on its check; every other check passes.
    assert_eq!(count(&report, "//testcase[failure]"), 2, "{}", run.stdout);
    let boom = xpath(
        &report,
        "string(//testcase[@name='errors']/failure/@message)",
    );
    assert!(boom.contains("stack_trace"), "{boom}");
    assert!(!boom.contains("version_banner"), "{boom}");
    assert_eq!(count(&report, "//testcase[not(*)]"), 4, "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sound_twin_has_no_banner_check() {
    let (run, report, _dir, _) = run(false).await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(count(&report, "//testcase[contains(@name, 'leakage')]"), 0);
    assert_eq!(count(&report, "//testcase[failure]"), 1, "{}", run.stdout);
    assert_eq!(count(&report, "//testcase[@name='errors'][failure]"), 1);
    assert_eq!(count(&report, "//testcase"), 5, "{}", run.stdout);
}
