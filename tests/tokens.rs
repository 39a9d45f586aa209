//! OAuth 2.0 roles and the `tokens` probe against an authorization server and an API
//! started here: tokens are RS256 JWTs minted with jsonwebtoken; `/orders` verifies them
//! (signature, algorithm, issuer, audience, expiry, not-before) and `/legacy/orders` only
//! decodes them. Every mutation must be refused by the first and is accepted by the second.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type Issuer = IssuerKey;

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An authorization server: discovery, JWKS, and a token endpoint for one client.
async fn auth_server(key: &Issuer, client: &str, secret: &str, ttl: u64) -> MockServer {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "issuer": uri, "token_endpoint": format!("{uri}/token"), "jwks_uri": format!("{uri}/jwks"),
        })))
        .mount(&server)
        .await;
    Mock::given(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": [
            {"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig", "n": key.n, "e": key.e}
        ]})))
        .mount(&server)
        .await;
    let basic = format!("Basic {}", STANDARD.encode(format!("{client}:{secret}")));
    let signing = EncodingKey::from_rsa_pem(key.pem.as_bytes()).unwrap();
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |r: &Request| {
            if r.headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic.as_str()) {
                return ResponseTemplate::new(401)
                    .set_body_json(json!({"error": "invalid_client", "error_description": "Client authentication failed"}));
            }
            let form: Vec<(String, String)> = url_pairs(&r.body);
            let scope = form.iter().find(|(k, _)| k == "scope").map(|(_, v)| v.clone()).unwrap_or_default();
            let mut header = Header::new(Algorithm::RS256);
            header.kid = Some("k1".into());
            let claims = json!({"iss": uri, "aud": "orders-api", "sub": "client-1", "scope": scope, "iat": now(), "exp": now() + ttl});
            let token = jsonwebtoken::encode(&header, &claims, &signing).unwrap();
            ResponseTemplate::new(200).set_body_json(json!({"access_token": token, "token_type": "Bearer", "expires_in": ttl}))
        })
        .mount(&server)
        .await;
    server
}

fn url_pairs(body: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            (
                k.to_string(),
                v.replace("%3A", ":").replace('+', " ").replace("%20", " "),
            )
        })
        .collect()
}

/// `/orders` verifies tokens properly; `/legacy/orders` only decodes the claims.
async fn api(key: &Issuer, iss: String) -> MockServer {
    let server = MockServer::start().await;
    let decoding = DecodingKey::from_rsa_components(&key.n, &key.e).unwrap();
    let bearer = |r: &Request| {
        r.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string)
    };
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(move |r: &Request| {
            let mut v = Validation::new(Algorithm::RS256);
            v.set_issuer(&[iss.as_str()]);
            v.set_audience(&["orders-api"]);
            v.validate_nbf = true;
            v.leeway = 0;
            match bearer(r).map(|t| jsonwebtoken::decode::<serde_json::Value>(&t, &decoding, &v)) {
                Some(Ok(_)) => ResponseTemplate::new(200).set_body_json(json!([])),
                _ => ResponseTemplate::new(401),
            }
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/legacy/orders"))
        .respond_with(move |r: &Request| {
            let decoded = bearer(r)
                .and_then(|t| t.split('.').nth(1).map(str::to_string))
                .and_then(|c| URL_SAFE_NO_PAD.decode(c).ok())
                .and_then(|c| serde_json::from_slice::<serde_json::Value>(&c).ok());
            ResponseTemplate::new(if decoded.is_some() { 200 } else { 401 })
        })
        .mount(&server)
        .await;
    server
}

const SUITE: &str = r#"
suite: tokens
target:
  base_url: ${env:API_URL}
auth_servers:
  corp:
    issuer: ${env:ISSUER_URL}
    client_id: ${env:CLIENT_ID}
    client_secret: ${env:CLIENT_SECRET}
roles:
  anonymous: {}
  reader:
    oauth2: { server: corp, grant: client_credentials, scopes: [api:read] }
access:
  - request: GET /orders
    allow: [reader]
    deny: [anonymous]
"#;

struct Setup {
    _auth: MockServer,
    _api: MockServer,
    env: Vec<(String, String)>,
    secret: String,
    key: Issuer,
}

async fn setup(ttl: u64, presented_secret: Option<&str>) -> Setup {
    let key = issuer_key();
    let secret = fake_secret("client");
    let auth = auth_server(&key, "client-1", &secret, ttl).await;
    let api = api(&key, auth.uri()).await;
    let env = vec![
        ("API_URL".to_string(), api.uri()),
        ("ISSUER_URL".to_string(), auth.uri()),
        ("CLIENT_ID".to_string(), "client-1".to_string()),
        (
            "CLIENT_SECRET".to_string(),
            presented_secret.unwrap_or(&secret).to_string(),
        ),
        ("SIGNING_KEY".to_string(), key.pem.clone()),
    ];
    Setup {
        _auth: auth,
        _api: api,
        env,
        secret,
        key,
    }
}

fn env_of(s: &Setup) -> Vec<(&str, &str)> {
    s.env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mutation_is_refused_by_a_verifying_api_and_accepted_by_a_decoding_one() {
    let s = setup(3, None).await;
    let dir = tempfile::tempdir().unwrap();
    let suite = format!(
        "{SUITE}probes:\n  - tokens:\n      as: reader\n      request: GET /orders\n      mutations: all\n      signing_key: ${{env:SIGNING_KEY}}\n  - tokens:\n      as: reader\n      request: GET /legacy/orders\n      mutations: [alg_none, signature_stripped, claims_tampered, wrong_key, expired]\n      max_wait: 10s\n      leeway: 0\n"
    );
    write(dir.path(), "t.yaml", &suite);
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "t.yaml", "--junit", report.to_str().unwrap()],
        &env_of(&s),
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_valid_junit(&report);
    let strict = "starts-with(@name, 'tokens GET /orders as reader: ')";
    assert_eq!(
        count(&report, &format!("//testcase[{strict}]")),
        authspec::mutation::names().len()
    );
    assert_eq!(
        count(&report, &format!("//testcase[{strict}][failure or error]")),
        0,
        "{}",
        run.stdout
    );
    assert_eq!(
        count(&report, &format!("//testcase[{strict}]/skipped")),
        3,
        "truncated and random apply to opaque tokens, weak_secret to HMAC ones"
    );
    assert!(
        run.stdout.contains("the API did not fetch /jwks.json"),
        "{}",
        run.stdout
    );
    let legacy = "starts-with(@name, 'tokens GET /legacy/orders as reader: ')";
    assert_eq!(
        count(&report, &format!("//testcase[{legacy}]/failure")),
        5,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the API accepted a doctored token (alg_none)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the API accepted a doctored token (expired): expired"),
        "{}",
        run.stdout
    );
    assert!(
        xpath(
            &report,
            "string(//testcase[@name='tokens GET /legacy/orders as reader: expired']/system-out)"
        )
        .contains("waited")
    );
    let junit = std::fs::read_to_string(&report).unwrap();
    assert!(
        !run.all_output().contains(&s.secret) && !junit.contains(&s.secret),
        "the client secret leaked"
    );
    assert!(
        !run.all_output().contains("eyJ"),
        "a token reached the output:\n{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_per_role_is_fetched_and_reused() {
    let key = issuer_key();
    let secret = fake_secret("client");
    let auth = auth_server(&key, "client-1", &secret, 3600).await;
    let api = api(&key, auth.uri()).await;
    let dir = tempfile::tempdir().unwrap();
    let suite = r#"
suite: cache
target:
  base_url: ${env:API_URL}
auth_servers:
  corp:
    issuer: ${env:ISSUER_URL}
    client_id: ${env:CLIENT_ID}
    client_secret: ${env:CLIENT_SECRET}
roles:
  reader:
    oauth2: { server: corp, grant: client_credentials, scopes: [api:read] }
  writer:
    oauth2: { server: corp, grant: client_credentials, scopes: [api:read, api:write] }
access:
  - request: GET /orders
    allow: [reader, writer]
  - request: GET /orders?page=2
    allow: [reader, writer]
  - request: GET /orders?page=3
    allow: [reader, writer]
"#;
    write(dir.path(), "c.yaml", suite);
    let env = [
        ("API_URL", api.uri()),
        ("ISSUER_URL", auth.uri()),
        ("CLIENT_ID", "client-1".into()),
        ("CLIENT_SECRET", secret.clone()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = authspec(&["run", "c.yaml"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    let token_requests = auth
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/token")
        .count();
    assert_eq!(token_requests, 2, "one per role");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_endpoint_makes_the_roles_checks_errors_naming_the_server_error() {
    let s = setup(3600, Some("fake-wrong-secret")).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.yaml", SUITE);
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "t.yaml", "--junit", report.to_str().unwrap()],
        &env_of(&s),
        dir.path(),
    );
    // The role's checks are errors and nothing is a finding: exit 3.
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert_eq!(
        count(
            &report,
            "//testcase[@name='GET /orders as reader: allow']/error"
        ),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("invalid_client (401 Unauthorized): Client authentication failed"),
        "{}",
        run.stdout
    );
    assert_eq!(
        count(
            &report,
            "//testcase[@name='GET /orders as anonymous: deny']/failure"
        ),
        0
    );
    assert!(!s.key.pem.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opaque_tokens_get_opaque_mutations_and_skip_jwt_ones() {
    let token = fake_secret("opaque");
    let server = MockServer::start().await;
    let expected = format!("Bearer {token}");
    Mock::given(path("/orders"))
        .respond_with(move |r: &Request| {
            let ok = r.headers.get("authorization").and_then(|v| v.to_str().ok())
                == Some(expected.as_str());
            ResponseTemplate::new(if ok { 200 } else { 401 })
        })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "o.yaml",
        "suite: opaque\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\nprobes:\n  - tokens:\n      as: user\n      request: GET /orders\n      mutations: [alg_none, truncated, random, expired]\n",
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "o.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri()), ("T", &token)],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        count(&report, "//testcase[not(*)]"),
        2,
        "truncated and random refused:\n{}",
        run.stdout
    );
    assert_eq!(
        count(&report, "//testcase/skipped"),
        2,
        "alg_none (opaque) and expired (expiry unknown)"
    );
    assert!(run.stdout.contains("the token is opaque"), "{}", run.stdout);
}

/// An authorization server with a login page: `/authorize` redirects to `/login` with a
/// session cookie, `/login` shows a form with a hidden field, a good password redirects to
/// the redirect URI with a code, and `/token` checks the PKCE verifier.
async fn login_server(key: &Issuer, redirect: &str, password: &str) -> MockServer {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    let server = auth_server(key, "client-1", "unused", 3600).await;
    let uri = server.uri();
    // Discovery with an authorization endpoint (mounted first, so it wins).
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "issuer": uri, "token_endpoint": format!("{uri}/code-token"), "jwks_uri": format!("{uri}/jwks"),
            "authorization_endpoint": format!("{uri}/authorize"),
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    // tx -> (challenge, state); code -> challenge
    let txs: Arc<Mutex<HashMap<String, (String, String)>>> = Arc::default();
    let codes: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let (t, red) = (txs.clone(), redirect.to_string());
    Mock::given(path("/authorize"))
        .respond_with(move |r: &Request| {
            let q: HashMap<String, String> = r.url.query_pairs().into_owned().collect();
            if q.get("code_challenge_method").map(String::as_str) != Some("S256")
                || q.get("redirect_uri") != Some(&red)
            {
                return ResponseTemplate::new(400).set_body_string("bad authorization request");
            }
            let tx = format!("tx{}", t.lock().unwrap().len());
            t.lock().unwrap().insert(
                tx.clone(),
                (q["code_challenge"].clone(), q["state"].clone()),
            );
            ResponseTemplate::new(302)
                .insert_header("Location", "/login")
                .insert_header("Set-Cookie", format!("sid={tx}; Path=/").as_str())
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/login"))
        .respond_with(|r: &Request| {
            let cookie = r.headers.get("cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let Some(tx) = cookie.strip_prefix("sid=") else {
                return ResponseTemplate::new(403).set_body_string("no session");
            };
            ResponseTemplate::new(200).set_body_raw(
                format!(r#"<html><form method="post" action="/login"><input type="hidden" name="tx" value="{tx}"><input name="login"><input type="password" name="password"><button type="submit" name="go" value="1">Sign in</button></form></html>"#),
                "text/html",
            )
        })
        .mount(&server)
        .await;
    let (t, c, red, pw) = (
        txs.clone(),
        codes.clone(),
        redirect.to_string(),
        password.to_string(),
    );
    Mock::given(method("POST"))
        .and(path("/login"))
        .respond_with(move |r: &Request| {
            let form: HashMap<String, String> = url_pairs(&r.body).into_iter().collect();
            let tx = form.get("tx").cloned().unwrap_or_default();
            let entry = t.lock().unwrap().get(&tx).cloned();
            match entry {
                Some((challenge, state)) if form.get("password") == Some(&pw) && form.get("login").map(String::as_str) == Some("alice") => {
                    let code = format!("code-{tx}");
                    c.lock().unwrap().insert(code.clone(), challenge);
                    ResponseTemplate::new(302).insert_header("Location", format!("{red}?code={code}&state={state}").as_str())
                }
                _ => ResponseTemplate::new(200).set_body_raw(
                    format!(r#"<p>Invalid login</p><form method="post" action="/login"><input type="hidden" name="tx" value="{tx}"><input name="login"><input type="password" name="password"></form>"#),
                    "text/html",
                ),
            }
        })
        .mount(&server)
        .await;
    let signing = EncodingKey::from_rsa_pem(key.pem.as_bytes()).unwrap();
    let (c, iss) = (codes.clone(), uri.clone());
    Mock::given(method("POST"))
        .and(path("/code-token"))
        .respond_with(move |r: &Request| {
            let form: HashMap<String, String> = url_pairs(&r.body).into_iter().collect();
            let challenge = c.lock().unwrap().remove(form.get("code").map(String::as_str).unwrap_or(""));
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            let computed = URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes()).as_ref());
            if challenge.as_deref() != Some(computed.as_str()) {
                return ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant", "error_description": "PKCE verification failed"}));
            }
            let mut header = Header::new(Algorithm::RS256);
            header.kid = Some("k1".into());
            let claims = json!({"iss": iss, "aud": "orders-api", "sub": "alice", "iat": now(), "exp": now() + 3600});
            let token = jsonwebtoken::encode(&header, &claims, &signing).unwrap();
            ResponseTemplate::new(200).set_body_json(json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600, "refresh_token": "fake-refresh-1"}))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorization_code_with_pkce_logs_in_through_the_form() {
    let key = issuer_key();
    let redirect = "http://127.0.0.1:9/callback";
    let password = fake_secret("alice-pw");
    let auth = login_server(&key, redirect, &password).await;
    let api = api(&key, auth.uri()).await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.yaml",
        r#"
suite: code
target:
  base_url: ${env:API_URL}
auth_servers:
  corp:
    issuer: ${env:ISSUER_URL}
    client_id: client-1
roles:
  alice:
    oauth2:
      server: corp
      grant: authorization_code
      redirect_uri: ${env:REDIRECT_URI}
      scopes: [openid, api:read]
      login:
        fields:
          login: ${env:ALICE_LOGIN}
          password: ${env:ALICE_PASSWORD}
access:
  - request: GET /orders
    allow: [alice]
  - request: GET /orders?page=2
    allow: [alice]
"#,
    );
    let env = |pw: &str| {
        vec![
            ("API_URL".to_string(), api.uri()),
            ("ISSUER_URL".to_string(), auth.uri()),
            ("REDIRECT_URI".to_string(), redirect.to_string()),
            ("ALICE_LOGIN".to_string(), "alice".to_string()),
            ("ALICE_PASSWORD".to_string(), pw.to_string()),
        ]
    };
    let good = env(&password);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let run = authspec(&["run", "a.yaml"], &good, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    let logins = auth
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/login" && r.method.as_str() == "POST")
        .count();
    assert_eq!(logins, 1, "one login for the role, reused by both checks");
    assert!(!run.all_output().contains(&password));

    let bad = env("fake-wrong-password");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let run = authspec(&["run", "a.yaml"], &bad, dir.path());
    assert_eq!(run.code, 3, "a login that fails makes errors, not findings");
    assert!(
        run.stdout
            .contains(&format!("the login got stuck at {}/login", auth.uri())),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("PASS"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzzing_finds_the_lax_endpoint_and_a_seed_replays_the_same_finding() {
    let s = setup(3600, None).await;
    let dir = tempfile::tempdir().unwrap();
    let suite = format!(
        "{SUITE}probes:\n  - tokens:\n      as: reader\n      request: GET /orders\n      mutations: [alg_none]\n      fuzz: 40\n  - tokens:\n      as: reader\n      request: GET /legacy/orders\n      mutations: [alg_none]\n      fuzz: 40\n"
    );
    write(dir.path(), "f.yaml", &suite);
    let finding = |run: &Run| {
        run.stdout
            .lines()
            .find(|l| l.contains("the API accepted a token whose signature no longer matches"))
            .map(str::to_string)
    };
    let first = authspec(&["run", "f.yaml", "--seed", "7"], &env_of(&s), dir.path());
    let second = authspec(&["run", "f.yaml", "--seed", "7"], &env_of(&s), dir.path());
    assert_eq!(first.code, 1, "{}", first.stdout);
    assert!(
        first
            .stdout
            .contains("PASS  tokens › tokens GET /orders as reader: fuzz"),
        "{}",
        first.stdout
    );
    assert!(
        first
            .stdout
            .contains("FAIL  tokens › tokens GET /legacy/orders as reader: fuzz"),
        "{}",
        first.stdout
    );
    assert!(
        first.stdout.contains("replay with --seed 7"),
        "{}",
        first.stdout
    );
    assert!(finding(&first).is_some());
    assert_eq!(
        finding(&first),
        finding(&second),
        "the same seed, the same smallest finding"
    );
}

/// A doctored token refused with 401 whose answer leaks says so: "refused (401 …), but
/// the response leaks …", never "was not refused"; the sound twin refuses it cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_that_leaks_is_reported_as_a_refusal_that_leaks() {
    let seg = |s: &str| URL_SAFE_NO_PAD.encode(s);
    let token = format!(
        "{}.{}.{}",
        seg(r#"{"alg":"HS256","typ":"JWT"}"#),
        seg(&format!(r#"{{"sub":"{}"}}"#, fake_secret("sub"))),
        seg("fake-signature")
    );
    for flawed in [true, false] {
        let server = MockServer::start().await;
        let genuine = format!("Bearer {token}");
        Mock::given(path("/orders"))
            .respond_with(move |r: &Request| {
                let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok());
                if auth == Some(genuine.as_str()) {
                    return ResponseTemplate::new(200).set_body_string("[]");
                }
                let body = if flawed {
                    "Traceback (most recent call last):\n  File \"/app/auth.py\", line 9, in check\nValueError: bad token"
                } else {
                    "{\"error\": \"invalid_token\"}"
                };
                ResponseTemplate::new(401).set_body_string(body)
            })
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "t.yaml",
            "suite: t\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\nprobes:\n  - tokens:\n      as: user\n      request: GET /orders\n      mutations: [alg_none]\n",
        );
        let run = authspec(
            &["run", "t.yaml"],
            &[("API_URL", &server.uri()), ("T", &token)],
            dir.path(),
        );
        if flawed {
            assert_eq!(run.code, 1, "{}", run.stdout);
            assert!(
                run.stdout
                    .contains("a doctored token (alg_none) was refused (401 Unauthorized), but the response leaks Python stack trace"),
                "{}",
                run.stdout
            );
            assert!(!run.stdout.contains("was not refused"), "{}", run.stdout);
        } else {
            assert_eq!(run.code, 0, "{}", run.stdout);
        }
    }
}
