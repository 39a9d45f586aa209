//! Probe `rate_limit` on a login endpoint, as issue 15 writes it: a JSON body, no `as:`
//! (the burst carries no credential), `burst: 50`, `expect_within: 20`. A login that
//! refuses the wrong password and starts answering 429 after ten tries passes; its twin
//! that refuses forever without limiting fails. Every request of the burst carries the
//! body and no credential. Also from a Gherkin feature's table.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Run, authspec, write};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A login that refuses every password; with `limit`, the tries after that many are
/// answered 429 with a Retry-After.
async fn login(limit: Option<usize>) -> MockServer {
    let server = MockServer::start().await;
    let tries = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/auth/login"))
        .respond_with(move |_: &Request| {
            let n = tries.fetch_add(1, Ordering::SeqCst) + 1;
            match limit {
                Some(l) if n > l => ResponseTemplate::new(429).insert_header("retry-after", "30"),
                _ => ResponseTemplate::new(401)
                    .set_body_json(serde_json::json!({"message": "invalid credentials"})),
            }
        })
        .mount(&server)
        .await;
    server
}

const YAML: &str = "suite: login limits\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\nprobes:\n  - rate_limit:\n      request: POST /auth/login\n      json: { username: \"alice-{{run.id}}\", password: not-her-password }\n      headers: { X-Client: authspec-test }\n      burst: 50\n      expect_within: 20\n";

async fn probe(server: &MockServer, file: &str, text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), file, text);
    if file.ends_with(".feature") {
        write(
            dir.path(),
            "authspec.yaml",
            "target:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\n",
        );
    }
    let (url, file) = (server.uri(), file.to_string());
    tokio::task::spawn_blocking(move || {
        let run = authspec(&["run", &file], &[("API_URL", url.as_str())], dir.path());
        drop(dir);
        run
    })
    .await
    .unwrap()
}

/// Every request the burst sent carried the body (its `{{run.id}}` filled in) and the
/// header, and no credential.
async fn sent_the_body(server: &MockServer) -> usize {
    let received = server.received_requests().await.unwrap();
    for r in &received {
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        let user = body["username"].as_str().unwrap();
        assert!(user.starts_with("alice-") && !user.contains("{{"), "{user}");
        assert_eq!(body["password"], "not-her-password");
        assert_eq!(r.headers.get("x-client").unwrap(), "authspec-test");
        assert!(r.headers.get("authorization").is_none());
        assert!(r.headers.get("cookie").is_none());
    }
    received.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_limited_after_ten_tries_passes_and_its_unlimited_twin_fails() {
    let limited = login(Some(10)).await;
    let run = probe(&limited, "limits.yaml", YAML).await;
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(
        run.stdout
            .contains("PASS  login limits › rate_limit POST /auth/login"),
        "{}",
        run.stdout
    );
    let sent = sent_the_body(&limited).await;
    assert!((11..=50).contains(&sent), "{sent}");

    let unlimited = login(None).await;
    let run = probe(&unlimited, "limits.yaml", YAML).await;
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stdout
            .contains("no 429 after 50 requests: the endpoint is not rate limited"),
        "{}",
        run.stdout
    );
    assert_eq!(sent_the_body(&unlimited).await, 50);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_limited_before_the_burst_is_an_error_not_a_pass() {
    let server = login(Some(0)).await;
    let run = probe(&server, "limits.yaml", YAML).await;
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert!(
        run.stdout
            .contains("the first request of the burst got 429, before the burst began"),
        "{}",
        run.stdout
    );
}

const FEATURE: &str = "Feature: login limits\n  Scenario: the login is rate limited\n    Then the rate limit probe passes with:\n      | request       | POST /auth/login                                                  |\n      | json          | { username: \"alice-{{run.id}}\", password: not-her-password } |\n      | headers       | { X-Client: authspec-test }                                       |\n      | burst         | 50                                                                |\n      | expect_within | 20                                                                |\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gherkin_table_takes_a_body_and_no_role() {
    let limited = login(Some(10)).await;
    let run = probe(&limited, "limits.feature", FEATURE).await;
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(sent_the_body(&limited).await >= 11);
    let unlimited = login(None).await;
    let run = probe(&unlimited, "limits.feature", FEATURE).await;
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_eq!(sent_the_body(&unlimited).await, 50);
}

/// A login that is down (503), or a path with no login (404): the burst was never
/// judged by a limiter, so the probe is an error, not "not rate limited".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_down_or_missing_endpoint_is_an_error_not_an_unlimited_one() {
    let down = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&down)
        .await;
    let run = probe(&down, "limits.yaml", YAML).await;
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert!(run.stdout.contains("a server error"), "{}", run.stdout);
    assert!(!run.stdout.contains("not rate limited"), "{}", run.stdout);

    // A login that fails under the burst (503 after five tries) is no verdict either.
    let failing = MockServer::start().await;
    let tries = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .respond_with(move |_: &Request| {
            let n = tries.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(if n > 5 { 503 } else { 401 })
        })
        .mount(&failing)
        .await;
    let run = probe(&failing, "limits.yaml", YAML).await;
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert!(
        run.stdout
            .contains("a server error says nothing about rate limiting"),
        "{}",
        run.stdout
    );

    let missing = MockServer::start().await;
    let run = probe(&missing, "limits.yaml", YAML).await;
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert!(run.stdout.contains("no such route"), "{}", run.stdout);
}
