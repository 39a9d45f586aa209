//! Issue 14's "done when": one API in two builds, run with the same suite. Both send a
//! version banner (`Server: Werkzeug/2.2.3 Python/3.11.7`), log users in with
//! `{"auth_token": <JWT>}` and issue 60 s HS256 tokens. The flawed build has two seeded
//! flaws: it ignores `exp`, and its admin listing takes any user's token. The report must
//! tell the builds apart: the flawed one fails exactly its two flaws plus the one banner
//! check; the patched twin fails the banner check and nothing else; neither has an error
//! or a skip (the suite gives the HS secret, so `expired` is minted, not waited for).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BANNER: &str = "Werkzeug/2.2.3 Python/3.11.7";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A 60 s token for `sub`, as the login hands out; each one new (`jti`).
fn token(secret: &str, sub: &str) -> String {
    let claims = json!({"sub": sub, "role": "user", "iat": now(), "exp": now() + 60, "jti": fake_secret("jti")});
    let key = EncodingKey::from_secret(secret.as_bytes());
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap()
}

fn with_banner(t: ResponseTemplate) -> ResponseTemplate {
    t.insert_header("Server", BANNER)
}

/// The API; `flawed` seeds its two flaws.
async fn api(secret: &str, flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    let s = secret.to_string();
    Mock::given(method("POST"))
        .and(path("/login"))
        .respond_with(move |r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let sub = body["login"].as_str().unwrap_or("nobody");
            with_banner(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"auth_token": token(&s, sub), "expires_in": 60})),
            )
        })
        .mount(&server)
        .await;
    let decoding = DecodingKey::from_secret(secret.as_bytes());
    // The subject of a genuine token, or `None`: the flawed build skips the `exp` check.
    let subject = move |r: &Request| {
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_exp = !flawed;
        v.leeway = 0;
        let t = r
            .headers
            .get("authorization")?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")?;
        let data = jsonwebtoken::decode::<Value>(t, &decoding, &v).ok()?;
        data.claims["sub"].as_str().map(str::to_string)
    };
    let me = subject.clone();
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(move |r: &Request| match me(r) {
            Some(sub) => {
                with_banner(ResponseTemplate::new(200).set_body_json(json!({"name": sub})))
            }
            None => with_banner(ResponseTemplate::new(401)),
        })
        .mount(&server)
        .await;
    let orders = subject.clone();
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(move |r: &Request| match orders(r) {
            Some(_) => with_banner(ResponseTemplate::new(200).set_body_json(json!([{"id": 1}]))),
            None => with_banner(ResponseTemplate::new(401)),
        })
        .mount(&server)
        .await;
    let admin = subject;
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(move |r: &Request| match (admin(r), flawed) {
            (None, _) => with_banner(ResponseTemplate::new(401)),
            // Only an admin may list users; the flawed build checks no role.
            (Some(_), true) => {
                with_banner(ResponseTemplate::new(200).set_body_json(json!([{"name": "alice"}])))
            }
            (Some(_), false) => with_banner(ResponseTemplate::new(403)),
        })
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: shop
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
  alice:
    bearer: ${env:ALICE_TOKEN}
    proof: GET /me
access:
  - request: GET /orders
    allow: [alice]
    deny: [anonymous]
  - request: GET /admin/users
    deny: [alice, anonymous]
scenarios:
  - name: log in and list my orders
    steps:
      - as: anonymous
        request: POST /login
        json: { login: alice }
        capture: { tok: $.auth_token }
        expect: { status: 200 }
      - as: anonymous
        request: GET /orders
        headers: { authorization: 'Bearer {{tok}}' }
        expect: { status: 200 }
probes:
  - tokens:
      as: alice
      request: GET /orders
      mutations: [alg_none, signature_stripped, wrong_key, claims_tampered, expired, missing_exp]
      signing_key: ${env:SIGNING_KEY}
";

/// The names of the failed test cases, sorted, and the number of errors and skips.
async fn failures(flawed: bool) -> (Vec<String>, usize, String) {
    let secret = fake_secret("hs");
    let server = api(&secret, flawed).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "shop.yaml", SUITE);
    let report = dir.path().join("r.xml");
    let alice = token(&secret, "alice");
    let run = authspec(
        &["run", "shop.yaml", "--junit", report.to_str().unwrap()],
        &[
            ("API_URL", &server.uri()),
            ("ALICE_TOKEN", &alice),
            ("SIGNING_KEY", &secret),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_valid_junit(&report);
    for s in [&secret, &alice] {
        assert!(!run.all_output().contains(s.as_str()));
    }
    let n = count(&report, "//testcase[failure]");
    let mut names: Vec<String> = (1..=n)
        .map(|i| {
            xpath(
                &report,
                &format!("string((//testcase[failure])[{i}]/@name)"),
            )
        })
        .collect();
    names.sort();
    let unjudged = count(&report, "//testcase[error or skipped]");
    (names, unjudged, run.stdout)
}

fn banner_check(stdout: &str) -> String {
    let at = stdout.find("leakage 127.0.0.1:").unwrap();
    stdout[at..]
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flawed_api_fails_exactly_its_seeded_flaws_and_the_twin_only_the_banner() {
    let (flawed, unjudged, stdout) = failures(true).await;
    assert_eq!(unjudged, 0, "{stdout}");
    let banner = banner_check(&stdout);
    assert!(banner.ends_with(": version_banner"), "{banner}");
    let mut seeded = vec![
        "GET /admin/users as alice: deny".to_string(),
        "tokens GET /orders as alice: expired".to_string(),
        banner.clone(),
    ];
    seeded.sort();
    assert_eq!(flawed, seeded, "{stdout}");

    let (sound, unjudged, stdout) = failures(false).await;
    assert_eq!(unjudged, 0, "{stdout}");
    assert_eq!(sound, vec![banner_check(&stdout)], "{stdout}");
}
