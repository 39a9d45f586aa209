//! Probe `enumeration` end to end: for each case a login that leaks (a status, a message,
//! a header only one branch sends) fails exactly that case, and its sound twin, which
//! echoes the username back and sends volatile values, passes; a login that answers
//! unknown accounts slower gets a timing warning, not a failure. Findings show both
//! answers, and the password never. Bad probes are exit 2 with file:line:column; the
//! Gherkin table step runs the same probe.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[derive(Clone, Copy, PartialEq)]
enum Flaw {
    None,
    Status,
    Message,
    Header,
    /// Every answer is 503: the server, not the account, answers.
    Down,
    /// Only unknown accounts hit a rate limit (429).
    LimitedUnknown,
    /// Unknown accounts are answered this much later.
    Slow(u64),
}

/// A login: accounts named `alice-…` exist, no password is right. It echoes the username
/// back and sends a fresh request id, timestamp and cookie on every answer, as real ones
/// do; `flaw` is what tells the two branches apart.
async fn login(flaw: Flaw) -> MockServer {
    let server = MockServer::start().await;
    let n = AtomicU64::new(0);
    Mock::given(method("POST"))
        .and(path("/auth/login"))
        .respond_with(move |r: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let user = body["username"].as_str().unwrap_or_default().to_string();
            let known = user.starts_with("alice-");
            let id = n.fetch_add(1, Ordering::SeqCst);
            let message = match (flaw, known) {
                (Flaw::Message, false) => format!("no account named {user}"),
                (Flaw::Message, true) => format!("wrong password for {user}"),
                _ => format!("invalid username or password for {user}"),
            };
            let status = match (flaw, known) {
                (Flaw::Status, false) => 404,
                (Flaw::Down, _) => 503,
                (Flaw::LimitedUnknown, false) => 429,
                _ => 401,
            };
            let mut t = ResponseTemplate::new(status)
                .insert_header("x-request-id", format!("req-{id:08}").as_str())
                .insert_header("set-cookie", format!("sid={id:016x}; HttpOnly").as_str())
                .set_body_json(serde_json::json!({
                    "error": message,
                    "request_id": format!("{id:032x}"),
                    "timestamp": format!("2026-12-02T10:00:{:02}Z", id % 60),
                }));
            if flaw == Flaw::Header && known {
                t = t.insert_header("x-account-locked-after", "3");
            }
            if let (Flaw::Slow(ms), false) = (flaw, known) {
                t = t.set_delay(Duration::from_millis(ms));
            }
            t
        })
        .mount(&server)
        .await;
    server
}

const SUITE: &str = r#"suite: login
target:
  base_url: ${env:API_URL}
probes:
  - enumeration:
      request: POST /auth/login
      unknown: { json: { username: "nobody-{{run.id}}", password: "${env:ALICE_PASSWORD}" } }
      wrong_secret: { json: { username: "alice-{{run.id}}", password: not-her-password } }
      tries: 3
      threshold: 150ms
"#;

const CASES: [&str; 4] = ["same_status", "same_body", "same_headers", "timing"];

/// Each case's outcome (`pass`, `failure`, `error`, `skipped`) in case order, and the
/// console output.
fn run(
    dir: &std::path::Path,
    file: &str,
    api: &MockServer,
    password: &str,
) -> (i32, Vec<String>, String, String) {
    let run = authspec(
        &["run", file, "--junit", "r.xml", "--json", "r.json"],
        &[("API_URL", &api.uri()), ("ALICE_PASSWORD", password)],
        dir,
    );
    let report = dir.join("r.xml");
    let outcomes = CASES
        .iter()
        .map(|case| {
            let at = format!("//testcase[contains(@name, ': {case}')]");
            assert_eq!(count(&report, &at), 1, "{case}: {}", run.stdout);
            ["failure", "error", "skipped"]
                .into_iter()
                .find(|o| count(&report, &format!("{at}/{o}")) == 1)
                .unwrap_or("pass")
                .to_string()
        })
        .collect();
    let reports = format!(
        "{}\n{}",
        std::fs::read_to_string(&report).unwrap(),
        std::fs::read_to_string(dir.join("r.json")).unwrap()
    );
    (run.code, outcomes, run.all_output(), reports)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_leak_fails_its_case_and_the_echoing_twin_passes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let password = fake_secret("alice-password");
    for (flaw, expected, says) in [
        (Flaw::None, ["pass", "pass", "pass", "pass"], None),
        (
            Flaw::Status,
            ["failure", "pass", "pass", "pass"],
            Some("an unknown account is answered 404 Not Found, a wrong secret 401 Unauthorized"),
        ),
        (
            Flaw::Message,
            ["pass", "failure", "pass", "pass"],
            Some("no account named"),
        ),
        (
            Flaw::Header,
            ["pass", "pass", "failure", "pass"],
            Some("header x-account-locked-after: unknown (absent) / wrong_secret 3"),
        ),
        // A server error or a rate limit tells nothing apart, alike or not.
        (
            Flaw::Down,
            ["error", "error", "error", "error"],
            Some("cannot compare"),
        ),
        (
            Flaw::LimitedUnknown,
            ["error", "error", "error", "error"],
            Some("cannot compare: the unknown request was answered 429"),
        ),
    ] {
        let api = login(flaw).await;
        let (code, outcomes, out, reports) = run(dir.path(), "s.yaml", &api, &password);
        assert_eq!(outcomes, expected, "{out}");
        let want = match flaw {
            Flaw::None => 0,
            Flaw::Down | Flaw::LimitedUnknown => 3,
            _ => 1,
        };
        assert_eq!(code, want, "{out}");
        assert!(!out.contains(&password), "{out}");
        assert!(!reports.contains(&password), "{reports}");
        if let Some(says) = says {
            assert!(out.contains(says), "{out}");
            if want == 3 {
                continue;
            }
            // Both answers are shown.
            assert!(out.contains("unknown → 40"), "{out}");
            assert!(out.contains("wrong_secret → 401 Unauthorized"), "{out}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slower_branch_is_a_timing_warning_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let api = login(Flaw::Slow(600)).await;
    let (code, outcomes, out, reports) =
        run(dir.path(), "s.yaml", &api, &fake_secret("alice-password"));
    assert_eq!(code, 0, "{out}");
    assert_eq!(outcomes, ["pass"; 4], "{out}");
    assert!(out.contains("the unknown variant is"), "{out}");
    assert!(
        out.contains("slower, more than the 150 ms threshold"),
        "{out}"
    );
    assert!(
        reports.contains("slower, more than the 150 ms threshold"),
        "{reports}"
    );

    // The twin without the delay says the medians, and warns of nothing.
    let api = login(Flaw::None).await;
    let (_, _, out, reports) = run(dir.path(), "s.yaml", &api, &fake_secret("alice-password"));
    assert!(!out.contains("slower"), "{out}");
    assert!(
        reports.contains("median answer time over 3 tries each"),
        "{reports}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gherkin_table_step_runs_the_same_probe() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target:\n  base_url: ${env:API_URL}\n",
    );
    write(
        dir.path(),
        "login.feature",
        r#"Feature: login
  Scenario: login does not tell accounts apart
    Then the enumeration probe passes with:
      | request      | POST /auth/login                                                                  |
      | unknown      | { json: { username: "nobody-{{run.id}}", password: "${env:ALICE_PASSWORD}" } } |
      | wrong_secret | { json: { username: "alice-{{run.id}}", password: not-her-password } }          |
      | tries        | 3                                                                                 |
      | threshold    | 150ms                                                                             |
"#,
    );
    let password = fake_secret("alice-password");
    for (flaw, expected) in [
        (Flaw::None, ["pass", "pass", "pass", "pass"]),
        (Flaw::Message, ["pass", "failure", "pass", "pass"]),
    ] {
        let api = login(flaw).await;
        let (_, outcomes, out, _) = run(dir.path(), "login.feature", &api, &password);
        assert_eq!(outcomes, expected, "{out}");
    }
    let steps = authspec(&["steps"], &[], dir.path());
    assert!(
        steps.stdout.contains("the enumeration probe passes with:"),
        "{}",
        steps.stdout
    );
}

#[test]
fn bad_enumeration_probes_are_exit_2_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("API_URL", "http://127.0.0.1:9"),
        ("ALICE_PASSWORD", "fake-password-for-validation"),
    ];
    let without_unknown = SUITE.replace(
        "      unknown: { json: { username: \"nobody-{{run.id}}\", password: \"${env:ALICE_PASSWORD}\" } }\n",
        "",
    );
    let unknown_field = SUITE.replace("tries: 3", "trys: 3");
    let variant_field = SUITE.replace("{ json: { username: \"alice", "{ jsn: { username: \"alice");
    let empty = SUITE.replace(
        "{ json: { username: \"alice-{{run.id}}\", password: not-her-password } }",
        "{}",
    );
    let no_unit = SUITE.replace("threshold: 150ms", "threshold: 150");
    for (name, suite, at, says) in [
        (
            "without unknown",
            without_unknown,
            "s.yaml:9:7",
            "missing field `unknown`",
        ),
        ("unknown field", unknown_field, "s.yaml:9:7", "trys"),
        ("unknown variant field", variant_field, "s.yaml:8:", "jsn"),
        (
            "empty variant",
            empty,
            "s.yaml:8:",
            "`wrong_secret` sends nothing",
        ),
        (
            "threshold without a unit",
            no_unit,
            "s.yaml:10:",
            "50ms, 0.2s",
        ),
    ] {
        write(dir.path(), "s.yaml", &suite);
        let run = authspec(&["validate", "s.yaml"], &env, dir.path());
        let out = run.all_output();
        assert_eq!(run.code, 2, "{name}: {out}");
        assert!(out.contains(at), "{name}: {out}");
        assert!(out.contains(says), "{name}: {out}");
        assert!(!out.contains("panicked"), "{name}: {out}");
    }
}
