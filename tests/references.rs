//! References and templates everywhere a value is sent or expected (issue 15): a
//! `${env:…}` in a JSON body (nested), a form, a text body, a path and a query (and a
//! `${random:…}` in a path) is sent resolved, never as written, and never shown, and one
//! in an expected header or body text is compared resolved; `{{capture}}` templates in
//! expectations tell a sound login (one message for both mistakes) from a flawed one;
//! `{{run.id}}` is new on every run; `--env-file` feeds `${env:…}`, the environment
//! winning.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wiremock::matchers::{body_json, body_string, header, method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SENT: &str = "suite: references
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
scenarios:
  - name: every part is sent resolved
    steps:
      - as: anonymous
        request: POST /notes
        json: { title: plain, body: \"${env:NOTE_SECRET}\", tags: [{ k: \"${env:NOTE_SECRET}\" }] }
        expect: { status: 201 }
      - as: anonymous
        request: POST /login
        form: { user: alice, password: \"${env:NOTE_SECRET}\" }
        expect: { status: 200 }
      - as: anonymous
        request: POST /raw
        body: \"secret=${env:NOTE_SECRET}\"
        expect:
          status: 200
          headers: { X-Echo: \"${env:NOTE_SECRET}\" }
          body_contains: \"saved ${env:NOTE_SECRET}\"
      - as: anonymous
        request: GET /items/${random:item}
        expect: { status: 200 }
      - as: anonymous
        request: GET /notes/${env:NOTE_ID}
        query: { q: \"${env:NOTE_ID}\" }
        expect: { status: 200 }
";

/// Answers only what was sent resolved; `echo` also answers the note's text back in
/// a failing response, which output must show redacted.
async fn api(secret: &str, echo: bool) -> MockServer {
    let server = MockServer::start().await;
    let note = serde_json::json!({ "title": "plain", "body": secret, "tags": [{ "k": secret }] });
    let created = if echo {
        ResponseTemplate::new(500)
            .set_body_json(serde_json::json!({ "error": "saved", "body": secret }))
    } else {
        ResponseTemplate::new(201)
    };
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(body_json(note))
        .respond_with(created)
        .mount(&server)
        .await;
    let form = format!("user=alice&password={secret}");
    Mock::given(method("POST"))
        .and(path("/login"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(form))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/raw"))
        .and(body_string(format!("secret={secret}")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-echo", secret)
                .set_body_string(format!("saved {secret}")),
        )
        .mount(&server)
        .await;
    // A run's random value: 32 bytes, base64url.
    Mock::given(method("GET"))
        .and(path_regex("^/items/[A-Za-z0-9_-]{43}$"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // `a/b?c` fills one path segment: percent-encoded, it cannot reach another resource.
    Mock::given(method("GET"))
        .and(path("/notes/a%2Fb%3Fc"))
        .and(query_param("q", "a/b?c"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

fn run_sent(server: &MockServer, secret: &str, dir: &std::path::Path) -> Run {
    write(dir, "s.yaml", SENT);
    authspec(
        &["run", "s.yaml", "--junit", "r.xml"],
        &[
            ("API_URL", &server.uri()),
            ("NOTE_SECRET", secret),
            ("NOTE_ID", "a/b?c"),
        ],
        dir,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_in_json_form_body_path_and_query_are_sent_resolved() {
    let secret = fake_secret("note");
    let server = api(&secret, false).await;
    let dir = tempfile::tempdir().unwrap();
    let run = run_sent(&server, &secret, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    // Nothing went out as written.
    for r in server.received_requests().await.unwrap() {
        let sent = format!("{} {}", r.url, String::from_utf8_lossy(&r.body));
        assert!(!sent.contains("${") && !sent.contains("NOTE_"), "{sent}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resolved_value_answered_back_is_redacted_in_every_output() {
    let secret = fake_secret("note");
    let server = api(&secret, true).await;
    let dir = tempfile::tempdir().unwrap();
    let run = run_sent(&server, &secret, dir.path());
    assert_eq!(run.code, 1, "{}", run.all_output());
    let junit = std::fs::read_to_string(dir.path().join("r.xml")).unwrap();
    assert!(
        run.stdout.contains("status: expected 201, got 500"),
        "{}",
        run.stdout
    );
    for shown in [&run.all_output(), &junit] {
        assert!(shown.contains("«redacted:"), "{shown}");
        for piece in [&secret[..16], &secret[secret.len() - 16..]] {
            assert!(!shown.contains(piece), "the note's text is shown:\n{shown}");
        }
    }
}

const LOGIN: &str = "suite: login messages
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
scenarios:
  - name: login does not say which part was wrong
    steps:
      - as: anonymous
        request: POST /auth/login
        json: { username: \"nobody-{{run.id}}\", password: not-a-password }
        expect: { status: 401 }
        capture: { unknown_user: $.message }
      - as: anonymous
        request: POST /auth/login
        json: { username: \"alice-{{run.id}}\", password: not-her-password }
        expect:
          status: 401
          json: { $.message: \"{{unknown_user}}\" }
          body_not_contains: [\"{{unknown_user}}!\"]
";

/// A login that refuses both mistakes; the flawed one says which part was wrong.
async fn login_api(flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/login"))
        .respond_with(move |r: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let user = body["username"].as_str().unwrap_or_default();
            let message = match (flawed, user.starts_with("nobody-")) {
                (true, true) => "no such user",
                (true, false) => "wrong password",
                (false, _) => "invalid credentials",
            };
            ResponseTemplate::new(401).set_body_json(serde_json::json!({ "message": message }))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_in_an_expectation_passes_one_message_and_fails_two() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", LOGIN);
    let sound = login_api(false).await;
    let run = authspec(&["run", "s.yaml"], &[("API_URL", &sound.uri())], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    let flawed = login_api(true).await;
    let run = authspec(
        &["run", "s.yaml"],
        &[("API_URL", &flawed.uri())],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stdout
            .contains(r#"json $.message: expected "no such user", got "wrong password""#),
        "{}",
        run.stdout
    );
}

/// The user names each run sent, in order.
async fn usernames(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            v["username"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_id_is_one_short_id_per_run_and_new_on_the_next() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", LOGIN);
    let server = login_api(false).await;
    for _ in 0..2 {
        let run = authspec(
            &["run", "s.yaml"],
            &[("API_URL", &server.uri())],
            dir.path(),
        );
        assert_eq!(run.code, 0, "{}", run.all_output());
    }
    let names = usernames(&server).await;
    assert_eq!(names.len(), 4, "{names:?}");
    let id = |n: &str| n.split_once('-').unwrap().1.to_string();
    for n in &names {
        let id = id(n);
        assert!(
            id.len() == 8 && id.chars().all(|c| c.is_ascii_hexdigit()),
            "{n}"
        );
    }
    assert_eq!(id(&names[0]), id(&names[1]), "one id within a run");
    assert_ne!(id(&names[0]), id(&names[2]), "a new id on the next run");
}

const ENV_FILE_SUITE: &str = "suite: env file
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
scenarios:
  - name: register
    as: anonymous
    request: POST /auth/register
    json: { username: alice, password: \"${env:ALICE_PASSWORD}\" }
    expect: { status: 201 }
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_env_file_feeds_references_and_the_environment_wins() {
    let from_file = fake_secret("file");
    let from_env = fake_secret("env");
    let server = MockServer::start().await;
    for (pw, status) in [(&from_file, 201), (&from_env, 409)] {
        Mock::given(method("POST"))
            .and(path("/auth/register"))
            .and(body_json(
                serde_json::json!({ "username": "alice", "password": pw }),
            ))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", ENV_FILE_SUITE);
    write(
        dir.path(),
        "test.env",
        &format!("# made by the test\nALICE_PASSWORD={from_file}\n"),
    );
    let url = server.uri();
    let args = ["run", "s.yaml", "--env-file", "test.env"];
    let run = authspec(&args, &[("API_URL", &url)], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    // Set in the environment too: the environment's value is the one sent.
    let run = authspec(
        &args,
        &[("API_URL", &url), ("ALICE_PASSWORD", &from_env)],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(run.stdout.contains("got 409"), "{}", run.stdout);
    // Without the file the reference does not resolve: nothing is sent.
    let run = authspec(
        &["validate", "--require-env", "s.yaml"],
        &[("API_URL", &url)],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.stderr
            .contains("environment variable ALICE_PASSWORD is not set"),
        "{}",
        run.stderr
    );
    // A file that is not dotenv is a command-line error that shows none of it.
    write(dir.path(), "bad.env", &format!("{from_file}\n"));
    for command in ["run", "validate"] {
        let run = authspec(
            &[command, "s.yaml", "--env-file", "bad.env"],
            &[("API_URL", &url)],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{command}: {}", run.all_output());
        assert!(
            run.stderr.contains("--env-file bad.env: entry 1"),
            "{}",
            run.stderr
        );
        assert!(
            !run.all_output().contains(&from_file[5..]),
            "{}",
            run.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_id_fills_the_base_url_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/tenant-[0-9a-f]{8}/ping$"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s.yaml",
        "suite: tenant per run
target:
  base_url: ${env:API_URL}/tenant-{{run.id}}
roles:
  anonymous: {}
scenarios:
  - name: ping
    as: anonymous
    request: GET /ping
",
    );
    let run = authspec(
        &["run", "s.yaml"],
        &[("API_URL", &server.uri())],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
}

/// The issue's scenario as written: no `status` on either step. The first only
/// captures, the second only compares a JSON value; both judge a 401 by what it holds.
const LOGIN_AS_WRITTEN: &str = "suite: login messages
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
scenarios:
  - name: login does not say which part was wrong
    steps:
      - as: anonymous
        request: POST /auth/login
        json: { username: \"nobody-{{run.id}}\", password: not-a-password }
        capture: { unknown_user: $.message }
      - as: anonymous
        request: POST /auth/login
        json: { username: \"alice-{{run.id}}\", password: not-her-password }
        expect:
          json: { $.message: \"{{unknown_user}}\" }
  - name: an error page holds nothing it must not
    as: anonymous
    request: POST /auth/login
    json: { username: \"nobody\", password: x }
    expect: { body_not_contains: [\"stack trace\"] }
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_judged_by_what_it_captures_or_expects_takes_any_status() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", LOGIN_AS_WRITTEN);
    let report = dir.path().join("r.xml");
    let report_arg = report.to_str().unwrap();
    for flawed in [false, true] {
        let server = login_api(flawed).await;
        let run = authspec(
            &["run", "s.yaml", "--junit", report_arg],
            &[("API_URL", &server.uri())],
            dir.path(),
        );
        assert_eq!(run.code, 1, "{}", run.all_output());
        // Negative expectations alone still need a 2xx: an error page proves nothing.
        assert_eq!(
            count(&report, "//testcase[contains(@name,'error page')]/failure"),
            1,
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("nothing the body must hold), got 401"));
        assert_eq!(
            count(&report, "//testcase[contains(@name,'which part')]/failure"),
            usize::from(flawed),
            "flawed={flawed}: {}",
            run.stdout
        );
    }
}
