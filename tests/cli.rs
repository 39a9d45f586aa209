//! Command-line behaviour: exit codes, unreachable targets, filtering, report paths,
//! scenario captures against a server the test starts.

mod common;

use common::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUITE: &str = r#"
suite: small
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
  user:
    bearer: ${env:USER_TOKEN}
access:
  - request: GET /items
    allow: [user]
    deny: [anonymous]
scenarios:
  - name: create then read
    steps:
      - as: user
        request: POST /items
        json: { name: "{{nothing}}x" }
        expect: { status: 201 }
"#;

async fn correct_api(token: &str) -> MockServer {
    let server = MockServer::start().await;
    let bearer = format!("Bearer {token}");
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/items"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"id": "it-9", "name": "x"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/it-9"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id": "it-9", "name": "x"})),
        )
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    server
}

fn good_suite() -> String {
    SUITE.replace(
        "        json: { name: \"{{nothing}}x\" }\n        expect: { status: 201 }\n",
        "        json: { name: x }\n        expect: { status: 201 }\n        capture: { id: $.id }\n      - as: user\n        request: GET /items/{{id}}\n        expect:\n          status: 200\n          json: { $.name: x }\n",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_checks_pass_exits_0_and_captures_flow_between_steps() {
    let token = fake_secret("user");
    let server = correct_api(&token).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &good_suite());
    let run = authspec(
        &["run", "s.yaml"],
        &[("API_URL", &server.uri()), ("USER_TOKEN", &token)],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(
        run.stdout
            .contains("3 checks: 3 passed, 0 failed, 0 errors, 0 skipped"),
        "{}",
        run.stdout
    );
    let gets = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/items/it-9")
        .count();
    assert_eq!(gets, 1, "the captured id was used in the second step");
}

#[test]
fn unreachable_target_is_an_error_naming_the_request_not_a_pass() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &good_suite());
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "s.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &url), ("USER_TOKEN", "fake-user")],
        dir.path(),
    );
    // Errors and no finding: exit 3, not 1 (nothing was proven wrong) and never 0.
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase[error]"), 3, "{}", run.stdout);
    assert_eq!(count(&report, "//testcase[not(*)]"), 0, "nothing may pass");
    assert!(
        run.stdout.contains(&format!("GET {url}/items")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.to_lowercase().contains("connect"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_runs_matching_checks_and_an_empty_match_exits_2() {
    let token = fake_secret("user");
    let server = correct_api(&token).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &good_suite());
    let env = [("API_URL", server.uri()), ("USER_TOKEN", token)];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = authspec(&["run", "s.yaml", "--filter", "as user"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("1 checks: 1 passed"), "{}", run.stdout);
    let none = authspec(
        &["run", "s.yaml", "--filter", "no such check"],
        &env,
        dir.path(),
    );
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("no check matches --filter"),
        "{}",
        none.stderr
    );
}

#[test]
fn command_line_errors_exit_2_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &good_suite());
    let env = [
        ("API_URL", "http://127.0.0.1:9"),
        ("USER_TOKEN", "fake-user"),
    ];
    let bad_report = authspec(
        &["run", "s.yaml", "--junit", "no/such/dir/r.xml"],
        &env,
        dir.path(),
    );
    assert_eq!(bad_report.code, 2, "{}", bad_report.all_output());
    assert!(
        bad_report
            .stderr
            .contains("cannot write the JUnit report no/such/dir/r.xml")
    );
    assert!(bad_report.stdout.is_empty(), "nothing ran");
    let jobs = authspec(&["run", "s.yaml", "--jobs", "0"], &env, dir.path());
    assert_eq!(jobs.code, 2);
    let missing = authspec(&["run", "nothing-here.yaml"], &env, dir.path());
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("nothing-here.yaml"),
        "{}",
        missing.stderr
    );
    let unknown = authspec(&["frobnicate"], &env, dir.path());
    assert_eq!(unknown.code, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deny_policy_can_widen_the_refusal_statuses() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let suite = "suite: p\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\naccess:\n  - request: GET /secret\n    deny: [anonymous]\n";
    write(dir.path(), "strict.yaml", suite);
    write(
        dir.path(),
        "wide.yaml",
        &suite.replace("roles:", "policy:\n  deny_status: [401, 403, 404]\nroles:"),
    );
    let env = [("API_URL", server.uri())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let strict = authspec(&["run", "strict.yaml"], &env, dir.path());
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(
        strict
            .stdout
            .contains("deny expected (401 or 403), got 404 Not Found"),
        "{}",
        strict.stdout
    );
    let wide = authspec(&["run", "wide.yaml"], &env, dir.path());
    assert_eq!(wide.code, 0, "{}", wide.stdout);
}

#[test]
fn filtering_to_denies_keeps_their_positive_controls_without_reporting_them() {
    let run = authspec(
        &["run", "scenarios/orders.yaml", "--filter", "reader: deny"],
        &[],
        &repo_root(),
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("3 checks: 2 passed, 1 failed, 0 errors"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("vacuous"), "{}", run.stdout);
    assert!(
        !run.stdout.contains(": allow"),
        "support checks are not reported:\n{}",
        run.stdout
    );
}
