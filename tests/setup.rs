//! `setup:` (issue 15): requests run once, in order, before any check; what they capture
//! every check may use. A sound API registers the user and the checks pass, each
//! reaching the registered user's id; when registering fails (the user exists), every
//! check of the suite is an error naming the setup step, and none is sent. An
//! authspec.yaml's setup runs once for all the features that use it.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wiremock::matchers::{body_partial_json, method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUITE: &str = "suite: notes with a registered user
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
setup:
  - request: POST /auth/register
    json: { username: \"alice-{{run.id}}\", password: \"${env:ALICE_PASSWORD}\" }
    expect: { status: 201 }
    capture: { alice_id: $.id }
  - as: anonymous
    request: POST /users/{{alice_id}}/notes
    json: { title: \"note-{{run.id}}\" }
    capture: { note_id: $.id }
scenarios:
  - name: the note is there
    as: anonymous
    request: GET /users/{{alice_id}}/notes/{{note_id}}
    expect: { status: 200, json: { $.title: \"note-{{run.id}}\" } }
  - name: the user is there
    as: anonymous
    request: GET /users/{{alice_id}}
    expect: { status: 200 }
";

/// Registering answers 409, as for a user that exists (`expect`: it is tried once,
/// and nothing after it is sent).
async fn taken_api() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/register"))
        .and(body_partial_json(
            serde_json::json!({ "password": "fake-alice-pw" }),
        ))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(serde_json::json!({ "error": "user exists" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// The run id the setup sent in the new note's title.
async fn note_title(server: &MockServer) -> Option<String> {
    let requests = server.received_requests().await.unwrap();
    let note = requests
        .iter()
        .find(|r| r.url.path() == "/users/u-17/notes")?;
    let v: serde_json::Value = serde_json::from_slice(&note.body).ok()?;
    Some(v["title"].as_str()?.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_runs_once_before_the_checks_and_they_use_its_captures() {
    let server = MockServer::start().await;
    // The note's title echoed back as the setup wrote it.
    Mock::given(method("POST"))
        .and(path("/auth/register"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({ "id": "u-17" })))
        .expect(1)
        .mount(&server)
        .await;
    let titles = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let seen = titles.clone();
    Mock::given(method("POST"))
        .and(path("/users/u-17/notes"))
        .respond_with(move |r: &wiremock::Request| {
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            *seen.lock().unwrap() = v["title"].as_str().unwrap().to_string();
            ResponseTemplate::new(201).set_body_json(serde_json::json!({ "id": 5 }))
        })
        .expect(1)
        .mount(&server)
        .await;
    let echoed = titles.clone();
    Mock::given(method("GET"))
        .and(path("/users/u-17/notes/5"))
        .respond_with(move |_: &wiremock::Request| {
            let title = echoed.lock().unwrap().clone();
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "title": title }))
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/u-17"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let run = authspec(
        &["run", "s.yaml"],
        &[
            ("API_URL", &server.uri()),
            ("ALICE_PASSWORD", "fake-alice-pw"),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
    let title = titles.lock().unwrap().clone();
    assert!(title.starts_with("note-") && title.len() == 13, "{title}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_setup_makes_every_check_an_error_naming_the_step() {
    let server = taken_api().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let run = authspec(
        &["run", "s.yaml", "--junit", "r.xml"],
        &[
            ("API_URL", &server.uri()),
            ("ALICE_PASSWORD", "fake-alice-pw"),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 3, "{}", run.all_output());
    let report = dir.path().join("r.xml");
    assert_eq!(count(&report, "//testcase/error"), 2, "{}", run.stdout);
    let message = xpath(
        &report,
        "string(//testcase[@name='the note is there']/error/@message)",
    );
    for says in [
        "setup step 1 of 2 (POST /auth/register, s.yaml:7:14) failed",
        "status: expected 201, got 409",
    ] {
        assert!(message.contains(says), "{says:?} in {message}");
    }
    assert_eq!(
        note_title(&server).await,
        None,
        "nothing after the failed step"
    );
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(sent, ["/auth/register"], "no check was sent");
}

#[test]
fn a_setup_capture_is_known_to_checks_and_an_unknown_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let env = [
        ("API_URL", "http://127.0.0.1:9"),
        ("ALICE_PASSWORD", "fake-a"),
    ];
    let run = authspec(&["validate", "s.yaml"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    write(
        dir.path(),
        "s.yaml",
        &SUITE.replace("GET /users/{{alice_id}}\n", "GET /users/{{bob_id}}\n"),
    );
    let run = authspec(&["validate", "s.yaml"], &env, dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.stderr
            .contains("`{{bob_id}}` is not captured by an earlier step")
            && run
                .stderr
                .contains("variables captured so far: alice_id, note_id"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configs_setup_runs_once_for_all_its_features() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/register"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({ "id": "u-17" })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/users/u-17$"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "name": "alice", "id": "u-17" })),
        )
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
setup:
  - request: POST /auth/register
    json: { username: \"alice-{{run.id}}\", password: \"${env:ALICE_PASSWORD}\" }
    capture: { alice_id: $.id }
",
    );
    for name in ["one", "two"] {
        write(
            dir.path(),
            &format!("{name}.feature"),
            &format!(
                "Feature: {name}

  Scenario: the registered user is there
    Given I am anonymous
    When I send \"GET /users/{{{{alice_id}}}}\"
    Then the response status is 200
    And the JSON at \"$.name\" is \"alice\"
    And the JSON at \"$.id\" is \"{{{{alice_id}}}}\"
"
            ),
        );
    }
    let run = authspec(
        &["run", "one.feature", "two.feature"],
        &[
            ("API_URL", &server.uri()),
            ("ALICE_PASSWORD", "fake-alice-pw"),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
}
