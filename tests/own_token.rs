//! The caller's own token is not a leak: a login returning `{"auth_token": <jwt>}`
//! (captured and then sent as the bearer token; a nested JWT the step captures too) and
//! a token endpoint returning `access_token`
//! pass; the flawed twin, whose `/users` listing carries other users' JWTs, fails on that
//! listing only.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine;
use common::*;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A JWT assembled from harmless parts (no scanner trips on the source), for `sub`.
fn jwt(sub: &str) -> String {
    let seg = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        seg(r#"{"alg":"HS256","typ":"JWT"}"#),
        seg(&format!(r#"{{"sub":"{sub}","n":"{}"}}"#, fake_secret(sub))),
        seg("fake-signature")
    )
}

async fn api(flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    let json = |v: serde_json::Value| ResponseTemplate::new(200).set_body_json(v);
    Mock::given(method("POST"))
        .and(path("/login"))
        // `profile.session` is no token field of a credential exchange: only the capture
        // makes it the caller's own.
        .respond_with(json(serde_json::json!({
            "auth_token": jwt("alice"),
            "profile": { "session": jwt("alice-session") },
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(json(
            serde_json::json!({ "access_token": jwt("alice"), "token_type": "Bearer" }),
        ))
        .mount(&server)
        .await;
    let users = if flawed {
        serde_json::json!({ "users": [{ "name": "bob", "token": jwt("bob") }] })
    } else {
        serde_json::json!({ "users": [{ "name": "bob" }] })
    };
    Mock::given(method("GET"))
        .and(path("/users"))
        .and(header_exists("authorization"))
        .respond_with(json(users))
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: own tokens
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
scenarios:
  - name: login then list users
    steps:
      - as: anonymous
        request: POST /login
        json: { login: alice }
        capture: { tok: $.auth_token, session: $.profile.session }
      - as: anonymous
        request: GET /users
        headers: { authorization: 'Bearer {{tok}}' }
  - name: token endpoint
    as: anonymous
    request: POST /oauth/token
    body: grant_type=client_credentials
";

async fn run(flawed: bool) -> (Run, std::path::PathBuf, tempfile::TempDir) {
    let server = api(flawed).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "s.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri())],
        dir.path(),
    );
    (run, report, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_and_a_token_endpoint_delivering_the_callers_token_pass() {
    let (run, report, _dir) = run(false).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(count(&report, "//testcase[not(*)]"), 2, "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_users_tokens_in_a_listing_fail_that_step_only() {
    let (run, report, _dir) = run(true).await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    let message = xpath(
        &report,
        "string(//testcase[@name='login then list users']/failure/@message)",
    );
    assert!(
        message.contains("GET /users") && message.contains("secret_format"),
        "{message}\n{}",
        run.stdout
    );
    assert_eq!(
        count(&report, "//testcase[@name='token endpoint'][not(*)]"),
        1,
        "{}",
        run.stdout
    );
}
