//! One token request per OAuth 2.0 role per run, however many checks use the role and
//! however many run at once: the token endpoint started here counts what it is asked,
//! and the API accepts only tokens it issued. The twin is an endpoint whose tokens expire
//! at once: then every check needs a token of its own, and the counter sees each.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use common::{authspec, fake_secret, write};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ROLES: [&str; 3] = ["reader", "writer", "auditor"];
const ENTRIES: usize = 40;

/// A token endpoint issuing opaque tokens that live `ttl` seconds, and an API that
/// answers 200 to a token it issued and 401 to anything else.
async fn servers(ttl: u64) -> (MockServer, MockServer) {
    let issued: Arc<Mutex<HashSet<String>>> = Arc::default();
    let auth = MockServer::start().await;
    let minted = issued.clone();
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |_: &Request| {
            let mut issued = minted.lock().unwrap();
            let token = format!("fake-issued-token-{:06}", issued.len());
            issued.insert(token.clone());
            ResponseTemplate::new(200).set_body_json(
                json!({"access_token": token, "token_type": "Bearer", "expires_in": ttl}),
            )
        })
        .mount(&auth)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(move |r: &Request| {
            let token = r
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::to_string);
            let known = token.is_some_and(|t| issued.lock().unwrap().contains(&t));
            ResponseTemplate::new(if known { 200 } else { 401 }).set_body_json(json!([]))
        })
        .mount(&api)
        .await;
    (auth, api)
}

fn suite() -> String {
    let mut s = String::from(
        "suite: token requests\ntarget:\n  base_url: ${env:API_URL}\nauth_servers:\n  corp:\n    \
         token_endpoint: ${env:TOKEN_URL}\n    client_id: ${env:CLIENT_ID}\n    \
         client_secret: ${env:CLIENT_SECRET}\nroles:\n",
    );
    for role in ROLES {
        s.push_str(&format!(
            "  {role}:\n    oauth2: {{ server: corp, grant: client_credentials, scopes: [api:{role}] }}\n"
        ));
    }
    s.push_str("access:\n");
    for i in 0..ENTRIES {
        s.push_str(&format!(
            "  - request: GET /orders?page={i}\n    allow: [{}]\n",
            ROLES.join(", ")
        ));
    }
    s
}

/// Runs the suite with 8 checks at once; the token requests the endpoint received.
async fn token_requests(ttl: u64) -> usize {
    let (auth, api) = servers(ttl).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.yaml", &suite());
    let secret = fake_secret("client");
    let (token_url, api_url) = (format!("{}/token", auth.uri()), api.uri());
    let dir_path = dir.path().to_path_buf();
    let run = tokio::task::spawn_blocking(move || {
        let env = [
            ("API_URL", api_url.as_str()),
            ("TOKEN_URL", token_url.as_str()),
            ("CLIENT_ID", "client-1"),
            ("CLIENT_SECRET", secret.as_str()),
        ];
        authspec(&["run", "t.yaml", "--jobs", "8"], &env, &dir_path)
    })
    .await
    .unwrap();
    let cells = ENTRIES * ROLES.len();
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(
        run.stdout.contains(&format!("{cells} passed")),
        "{}",
        run.stdout
    );
    auth.received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/token")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_asks_for_one_token_in_a_run_of_many_concurrent_checks() {
    assert_eq!(token_requests(3600).await, ROLES.len(), "one per role");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_that_expires_at_once_is_asked_for_again_by_each_check() {
    assert_eq!(token_requests(0).await, ENTRIES * ROLES.len());
}
