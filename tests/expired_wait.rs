//! `expired` without a signing key replays a fresh genuine token after its `exp`. Here the
//! authorization server's first token (the positive control's) is valid for an hour and
//! every later one is issued already expired, so no test waits: an API that checks `exp`
//! refuses the replay (pass); one that ignores `exp`, with a leeway the probe's `max_wait`
//! cannot outlast, is an error naming the `max_wait` that would judge it (it used to pass
//! with a warning); once the token is past the leeway too, it is a finding.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A JWT the API only decodes (its signature is fake): `exp` is what matters here.
fn jwt(n: u32, exp: i64) -> String {
    let seg = |v: serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.{}",
        seg(json!({"alg": "HS256", "typ": "JWT"})),
        seg(json!({"sub": "client-1", "jti": n, "exp": exp})),
        URL_SAFE_NO_PAD.encode(fake_secret("sig"))
    )
}

/// The first token lives an hour; later ones expired `expired_ago` seconds ago.
async fn auth_server(expired_ago: i64) -> MockServer {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"issuer": uri, "token_endpoint": format!("{uri}/token")})),
        )
        .mount(&server)
        .await;
    let issued = Arc::new(Mutex::new(0u32));
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |_: &Request| {
            let mut n = issued.lock().unwrap();
            *n += 1;
            let exp = if *n == 1 {
                now() + 3600
            } else {
                now() - expired_ago
            };
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": jwt(*n, exp), "token_type": "Bearer"}))
        })
        .mount(&server)
        .await;
    server
}

/// `/orders` accepts any decodable token; the sound one refuses a past `exp`.
async fn api(checks_exp: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(move |r: &Request| {
            let exp = r
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .and_then(|t| t.split('.').nth(1))
                .and_then(|c| URL_SAFE_NO_PAD.decode(c).ok())
                .and_then(|c| serde_json::from_slice::<serde_json::Value>(&c).ok())
                .and_then(|c| c["exp"].as_i64());
            match exp {
                Some(exp) if !checks_exp || exp > now() => {
                    ResponseTemplate::new(200).set_body_json(json!([]))
                }
                _ => ResponseTemplate::new(401),
            }
        })
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: expiry
target:
  base_url: ${env:API_URL}
auth_servers:
  corp:
    issuer: ${env:ISSUER_URL}
    client_id: client-1
    client_secret: ${env:CLIENT_SECRET}
roles:
  reader:
    oauth2: { server: corp, grant: client_credentials }
probes:
  - tokens:
      as: reader
      request: GET /orders
      mutations: [expired]
      max_wait: 5s
      leeway: 60s
";

/// The exit code, the one case's element (`failure`, `error`, … or empty) and message.
async fn expired(checks_exp: bool, expired_ago: i64) -> (i32, String, String) {
    let auth = auth_server(expired_ago).await;
    let api = api(checks_exp).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.yaml", SUITE);
    let report = dir.path().join("r.xml");
    let secret = fake_secret("client");
    let run = authspec(
        &["run", "t.yaml", "--junit", report.to_str().unwrap()],
        &[
            ("API_URL", &api.uri()),
            ("ISSUER_URL", &auth.uri()),
            ("CLIENT_SECRET", &secret),
        ],
        dir.path(),
    );
    assert!(!run.all_output().contains(&secret));
    assert_eq!(count(&report, "//testcase"), 1, "{}", run.all_output());
    (
        run.code,
        xpath(
            &report,
            "name(//testcase/*[self::failure or self::error or self::skipped])",
        ),
        xpath(
            &report,
            "string(//testcase/*[self::failure or self::error or self::skipped]/@message)",
        ),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_ignoring_exp_within_a_leeway_max_wait_cannot_outlast_is_an_error() {
    let (code, element, message) = expired(false, 30).await;
    assert_eq!((code, element.as_str()), (3, "error"), "{message}");
    assert!(message.contains("expired could not be judged"), "{message}");
    // 30 s after `exp`, a 60 s leeway and a 2 s margin: about 32 s more from the start.
    let wanted: u32 = message
        .split("`max_wait: ")
        .nth(1)
        .and_then(|r| r.split("s` would judge it").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no max_wait in {message}"));
    assert!((30..=34).contains(&wanted), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_checking_exp_passes_and_one_ignoring_it_past_the_leeway_fails() {
    let (code, element, message) = expired(true, 30).await;
    assert_eq!((code, element.as_str()), (0, ""), "{message}");
    let (code, element, message) = expired(false, 100).await;
    assert_eq!((code, element.as_str()), (1, "failure"), "{message}");
    assert!(message.contains("past a 60 s leeway"), "{message}");
}
