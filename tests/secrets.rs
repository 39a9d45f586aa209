//! `secrets:` commands and `basic:` roles (issue 15): the password a command prints (here
//! `cat` of a file the test writes) is sent as RFC 7617 Basic credentials; a server that
//! requires them lets `ops` in and refuses `alice` and the anonymous, and its flawed twin
//! that lets anyone in fails exactly those deny cells. Neither the password nor its
//! encoded header shows in any output; a command that fails stops the run at load (exit
//! 2) at the command, with its stderr; features reach all of it through authspec.yaml.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine;
use common::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUITE: &str = "suite: ops health
target:
  base_url: ${env:API_URL}
secrets:
  ops_password:
    command: [cat, secrets/ops-password.txt]
    timeout: 10s
roles:
  anonymous: {}
  alice:
    bearer: ${env:ALICE_TOKEN}
    proof: GET /me
  ops:
    basic: { username: ops, password: \"${secret:ops_password}\" }
access:
  - request: GET /ops/health
    allow: [ops]
    deny: [anonymous, alice]
";

fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

/// Alice's bearer token (she may read `/me`, which proves it works).
const ALICE: &str = "fake-alice-bearer-token";

/// `/ops/health` for Basic `ops:<password>` only; the flawed twin answers anyone.
async fn api(password: &str, flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", format!("Bearer {ALICE}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("alice"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/ops/health"))
        .and(header("authorization", basic("ops", password).as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let others = if flawed { 200 } else { 401 };
    Mock::given(method("GET"))
        .and(path("/ops/health"))
        .respond_with(ResponseTemplate::new(others).set_body_string("who?"))
        .mount(&server)
        .await;
    server
}

/// A suite directory with the password file the secret's command reads.
fn suite_dir(password: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ops.yaml", SUITE);
    std::fs::create_dir(dir.path().join("secrets")).unwrap();
    write(
        dir.path(),
        "secrets/ops-password.txt",
        &format!("{password}\n"),
    );
    dir
}

fn run(dir: &std::path::Path, server: &MockServer) -> (Run, String) {
    let run = authspec(
        &["run", "ops.yaml", "--junit", "r.xml"],
        &[("API_URL", &server.uri()), ("ALICE_TOKEN", ALICE)],
        dir,
    );
    let junit = std::fs::read_to_string(dir.join("r.xml")).unwrap_or_default();
    (run, junit)
}

fn assert_hidden(password: &str, shown: &[&str]) {
    let header = basic("ops", password);
    for text in shown {
        for piece in [
            &password[..14],
            &password[password.len() - 14..],
            &header[6..30],
        ] {
            assert!(!text.contains(piece), "{piece:?} is shown:\n{text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_basic_role_with_a_commands_password_is_allowed_and_others_refused() {
    let password = fake_secret("ops");
    let dir = suite_dir(&password);
    let server = api(&password, false).await;
    let (run, junit) = run(dir.path(), &server);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert_eq!(junit.matches("<testcase").count(), 3, "{junit}");
    assert_hidden(&password, &[&run.all_output(), &junit]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_lets_anyone_in_fails_the_deny_cells_only() {
    let password = fake_secret("ops");
    let dir = suite_dir(&password);
    let server = api(&password, true).await;
    let (run, junit) = run(dir.path(), &server);
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_eq!(junit.matches("<failure").count(), 2, "{junit}");
    for role in ["anonymous", "alice"] {
        let line = format!("FAIL  ops health › GET /ops/health as {role}: deny");
        assert!(run.stdout.contains(&line), "{line} in\n{}", run.stdout);
    }
    assert!(
        !run.stdout
            .contains("FAIL  ops health › GET /ops/health as ops"),
        "{}",
        run.stdout
    );
    assert_hidden(&password, &[&run.all_output(), &junit]);
}

#[test]
fn a_failing_secret_command_stops_the_run_at_the_command() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ops.yaml", SUITE);
    for command in ["run", "validate"] {
        let run = authspec(
            &[command, "ops.yaml"],
            &[("API_URL", "http://127.0.0.1:9"), ("ALICE_TOKEN", "fake-a")],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{}", run.all_output());
        for says in [
            "ops.yaml:6:14",
            "the command of secret `ops_password` (`cat secrets/ops-password.txt`) failed",
            "No such file or directory",
            "needed by `roles.ops.basic.password`",
        ] {
            assert!(run.stderr.contains(says), "{says:?} in\n{}", run.stderr);
        }
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn a_command_runs_once_however_many_references_use_it() {
    let dir = tempfile::tempdir().unwrap();
    let password = fake_secret("ops");
    // Each run of the script appends a line: one line means one run.
    write(
        dir.path(),
        "print-secret.sh",
        &format!("#!/bin/sh\necho run >> runs.log\necho '{password}'\n"),
    );
    let suite = "suite: once
target:
  base_url: http://127.0.0.1:9
secrets:
  pw:
    command: [sh, print-secret.sh]
roles:
  a:
    basic: { username: a, password: \"${secret:pw}\" }
  b:
    bearer: ${secret:pw}
access:
  - request: GET /x
    headers: { X-Check: \"${secret:pw}\" }
    allow: [a, b]
";
    write(dir.path(), "once.yaml", suite);
    let run = authspec(&["validate", "once.yaml"], &[], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    let runs = std::fs::read_to_string(dir.path().join("runs.log")).unwrap();
    assert_eq!(runs.lines().count(), 1, "{runs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn features_use_the_secrets_and_basic_roles_of_authspec_yaml() {
    let password = fake_secret("ops");
    let server = api(&password, false).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("secrets")).unwrap();
    write(
        dir.path(),
        "secrets/ops-password.txt",
        &format!("{password}\n"),
    );
    write(
        dir.path(),
        "authspec.yaml",
        "target:
  base_url: ${env:API_URL}
secrets:
  ops_password:
    command: [cat, secrets/ops-password.txt]
roles:
  anonymous: {}
  ops:
    basic: { username: ops, password: \"${secret:ops_password}\" }
",
    );
    write(
        dir.path(),
        "ops.feature",
        "Feature: ops health

  Scenario: ops may read the health page
    Given I am \"ops\"
    When I send \"GET /ops/health\"
    Then the response status is 200
    And the response body contains \"ok\"
",
    );
    let run = authspec(
        &["run", "ops.feature"],
        &[("API_URL", &server.uri())],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert_hidden(&password, &[&run.all_output()]);
}
