//! The `oauth` probe against a provider started here, in two modes: a correct one, on
//! which every check must pass (a false alarm is a bug), and a flawed one (no client
//! authentication, scope and lifetime inflation, reusable codes and refresh tokens,
//! optional or plain PKCE, prefix-matched redirect URIs, revocation ignored), on which
//! every check must fail.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// An authorization in progress: (challenge, method, state, redirect, scope).
type Tx = (Option<String>, Option<String>, String, String, String);

#[derive(Default)]
struct State {
    n: usize,
    txs: HashMap<String, Tx>,
    /// code -> (challenge, method, scope, used)
    codes: HashMap<String, (Option<String>, Option<String>, String, bool)>,
    /// refresh -> (scope, used)
    refresh: HashMap<String, (String, bool)>,
    revoked: HashSet<String>,
}

fn form(body: &[u8]) -> HashMap<String, String> {
    let url = reqwest::Url::parse(&format!(
        "http://form.invalid/?{}",
        String::from_utf8_lossy(body)
    ))
    .unwrap();
    url.query_pairs().into_owned().collect()
}

fn oauth_error(status: u16, error: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "error": error }))
}

/// Access tokens are RS256 JWTs for `audience`, living `ttl` seconds (a day when flawed).
async fn provider(
    flawed: bool,
    secret: &str,
    redirect: &str,
    key: &IssuerKey,
    audience: &str,
    ttl: u64,
) -> MockServer {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "issuer": uri, "token_endpoint": format!("{uri}/token"), "authorization_endpoint": format!("{uri}/authorize"),
            "revocation_endpoint": format!("{uri}/revoke"), "introspection_endpoint": format!("{uri}/introspect"),
            "jwks_uri": format!("{uri}/jwks"),
        })))
        .mount(&server)
        .await;
    Mock::given(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": [
            {"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig", "n": key.n, "e": key.e}
        ]})))
        .mount(&server)
        .await;
    let signing = jsonwebtoken::EncodingKey::from_rsa_pem(key.pem.as_bytes()).unwrap();
    let (iss, aud) = (uri.clone(), audience.to_string());
    let ttl = if flawed { 86_400 } else { ttl };
    // `expires_in: 0` tests the token cache (never fresh), not expiry: the token itself
    // stays valid a minute, so a second that ends between minting and use (a loaded CI
    // machine) is no 401.
    let exp_in = if ttl == 0 { 60 } else { ttl };
    let mint = move |n: usize, scope: &str| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some("k1".into());
        let claims = json!({"iss": iss, "aud": aud, "sub": format!("subject-{n}"), "scope": scope, "iat": now, "exp": now + exp_in, "jti": n});
        jsonwebtoken::encode(&header, &claims, &signing).unwrap()
    };
    let state: Arc<Mutex<State>> = Arc::default();
    let (st, registered) = (state.clone(), redirect.to_string());
    Mock::given(path("/authorize"))
        .respond_with(move |r: &Request| {
            let q: HashMap<String, String> = r.url.query_pairs().into_owned().collect();
            let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
            let redirect_ok = if flawed { redirect.starts_with(&registered) } else { redirect == registered };
            if !redirect_ok {
                return ResponseTemplate::new(400).set_body_string("invalid redirect_uri");
            }
            let (challenge, method) = (q.get("code_challenge").cloned(), q.get("code_challenge_method").cloned());
            if !flawed && (challenge.is_none() || method.as_deref() != Some("S256")) {
                let to = format!("{redirect}?error=invalid_request&state={}", q.get("state").cloned().unwrap_or_default());
                return ResponseTemplate::new(302).insert_header("Location", to.as_str());
            }
            let mut s = st.lock().unwrap();
            s.n += 1;
            let tx = format!("tx{}", s.n);
            let scope = q.get("scope").cloned().unwrap_or_default();
            s.txs.insert(tx.clone(), (challenge, method, q.get("state").cloned().unwrap_or_default(), redirect, scope));
            ResponseTemplate::new(200).set_body_raw(
                format!(r#"<form method="post" action="/login"><input type="hidden" name="tx" value="{tx}"><input name="login"><input type="password" name="password"></form>"#),
                "text/html",
            )
        })
        .mount(&server)
        .await;
    let st = state.clone();
    Mock::given(method("POST"))
        .and(path("/login"))
        .respond_with(move |r: &Request| {
            let f = form(&r.body);
            let mut s = st.lock().unwrap();
            let Some((challenge, method, state, redirect, scope)) = s.txs.get(&f["tx"]).cloned()
            else {
                return ResponseTemplate::new(400);
            };
            if f.get("password").map(String::as_str) != Some("fake-alice-password") {
                return ResponseTemplate::new(200).set_body_string("<p>wrong password</p>");
            }
            s.n += 1;
            let code = format!("code{}", s.n);
            s.codes
                .insert(code.clone(), (challenge, method, scope, false));
            ResponseTemplate::new(302).insert_header(
                "Location",
                format!("{redirect}?code={code}&state={state}").as_str(),
            )
        })
        .mount(&server)
        .await;
    let (st, basic) = (
        state.clone(),
        format!("Basic {}", STANDARD.encode(format!("client-1:{secret}"))),
    );
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |r: &Request| {
            let authed = r.headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(basic.as_str());
            if !authed && !flawed {
                return oauth_error(401, "invalid_client");
            }
            let f = form(&r.body);
            let mut s = st.lock().unwrap();
            s.n += 1;
            let n = s.n;
            let issue = |s: &mut State, scope: String, refresh: bool| {
                let mut body = json!({"access_token": mint(n, &scope), "token_type": "Bearer", "expires_in": ttl, "scope": scope});
                if refresh {
                    let rt = format!("rt-{n}");
                    s.refresh.insert(rt.clone(), (scope, false));
                    body["refresh_token"] = json!(rt);
                }
                ResponseTemplate::new(200).set_body_json(body)
            };
            match f.get("grant_type").map(String::as_str) {
                Some("client_credentials") => {
                    let scope = f.get("scope").cloned().unwrap_or_default();
                    let scope = if flawed { format!("{scope} admin") } else { scope };
                    issue(&mut s, scope, false)
                }
                Some("authorization_code") => {
                    let Some((challenge, method, scope, used)) = s.codes.get(&f["code"]).cloned() else {
                        return oauth_error(400, "invalid_grant");
                    };
                    if !flawed {
                        let verifier = f.get("code_verifier").cloned().unwrap_or_default();
                        let computed = URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes()).as_ref());
                        if used || method.as_deref() != Some("S256") || challenge.as_deref() != Some(computed.as_str()) {
                            return oauth_error(400, "invalid_grant");
                        }
                    }
                    s.codes.get_mut(&f["code"]).unwrap().3 = true;
                    issue(&mut s, scope, true)
                }
                Some("refresh_token") => {
                    let Some((scope, used)) = s.refresh.get(&f["refresh_token"]).cloned() else {
                        return oauth_error(400, "invalid_grant");
                    };
                    let asked = f.get("scope").cloned().unwrap_or(scope.clone());
                    if !flawed {
                        if used {
                            return oauth_error(400, "invalid_grant");
                        }
                        if asked.split_whitespace().any(|a| !scope.split_whitespace().any(|o| o == a)) {
                            return oauth_error(400, "invalid_scope");
                        }
                        s.refresh.get_mut(&f["refresh_token"]).unwrap().1 = true;
                    }
                    issue(&mut s, asked, true)
                }
                _ => oauth_error(400, "unsupported_grant_type"),
            }
        })
        .mount(&server)
        .await;
    let st = state.clone();
    Mock::given(method("POST"))
        .and(path("/revoke"))
        .respond_with(move |r: &Request| {
            st.lock()
                .unwrap()
                .revoked
                .insert(form(&r.body)["token"].clone());
            ResponseTemplate::new(200)
        })
        .mount(&server)
        .await;
    let st = state.clone();
    Mock::given(method("POST"))
        .and(path("/introspect"))
        .respond_with(move |r: &Request| {
            let active = flawed || !st.lock().unwrap().revoked.contains(&form(&r.body)["token"]);
            ResponseTemplate::new(200).set_body_json(json!({ "active": active }))
        })
        .mount(&server)
        .await;
    server
}

const SUITE: &str = r#"
suite: oauth
target:
  base_url: ${env:ISSUER_URL}
auth_servers:
  corp:
    issuer: ${env:ISSUER_URL}
    client_id: client-1
    client_secret: ${env:CLIENT_SECRET}
roles:
  reader:
    oauth2: { server: corp, grant: client_credentials, scopes: [api:read] }
  alice:
    oauth2:
      server: corp
      grant: authorization_code
      redirect_uri: ${env:REDIRECT_URI}
      scopes: [openid, offline_access, api:read]
      login:
        fields:
          login: alice
          password: ${env:ALICE_PASSWORD}
probes:
  - oauth:
      server: corp
      as: [reader, alice]
      max_token_lifetime: 1h
      checks: all
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correct_provider_passes_every_check_and_a_flawed_one_fails_every_check() {
    let secret = fake_secret("client");
    let redirect = "http://127.0.0.1:9/cb";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "o.yaml", SUITE);
    for flawed in [false, true] {
        let server = provider(flawed, &secret, redirect, &issuer_key(), "orders-api", 600).await;
        let report = dir.path().join("r.xml");
        let env = [
            ("ISSUER_URL", server.uri()),
            ("CLIENT_SECRET", secret.clone()),
            ("REDIRECT_URI", redirect.to_string()),
            ("ALICE_PASSWORD", "fake-alice-password".to_string()),
        ];
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let run = authspec(
            &["run", "o.yaml", "--junit", report.to_str().unwrap()],
            &env,
            dir.path(),
        );
        assert!(run.code < 2, "{}", run.all_output());
        assert_valid_junit(&report);
        assert_eq!(count(&report, "//testcase"), 12, "{}", run.stdout);
        if flawed {
            assert_eq!(run.code, 1);
            assert_eq!(count(&report, "//testcase[failure]"), 12, "{}", run.stdout);
        } else {
            assert_eq!(
                run.code, 0,
                "a false alarm on a correct provider:\n{}",
                run.stdout
            );
            assert_eq!(
                count(&report, "//testcase[not(failure or error or skipped)]"),
                12,
                "every check ran and passed:\n{}",
                run.stdout
            );
        }
        assert!(!run.all_output().contains(&secret));
    }
}

/// The orders API: `/orders` verifies RS256 tokens of the provider (issuer, audience,
/// expiry) and their scope (read to list, write to create); `/legacy/orders` only decodes.
async fn orders_api(key: &IssuerKey, issuer: String, audience: &str) -> MockServer {
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    let server = MockServer::start().await;
    let decoding = DecodingKey::from_rsa_components(&key.n, &key.e).unwrap();
    let aud = audience.to_string();
    Mock::given(path("/orders"))
        .respond_with(move |r: &Request| {
            let token = r
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            let mut v = Validation::new(Algorithm::RS256);
            v.set_issuer(&[issuer.as_str()]);
            v.set_audience(&[aud.as_str()]);
            v.validate_nbf = true;
            v.leeway = 0;
            let Some(Ok(data)) =
                token.map(|t| jsonwebtoken::decode::<serde_json::Value>(t, &decoding, &v))
            else {
                return ResponseTemplate::new(401);
            };
            let scope = data.claims["scope"].as_str().unwrap_or("").to_string();
            let needed = if r.method.as_str() == "POST" {
                "api:write"
            } else {
                "api:read"
            };
            if !scope.split_whitespace().any(|s| s == needed) {
                return ResponseTemplate::new(403);
            }
            ResponseTemplate::new(if r.method.as_str() == "POST" {
                201
            } else {
                200
            })
            .set_body_json(json!([]))
        })
        .mount(&server)
        .await;
    Mock::given(path("/legacy/orders"))
        .respond_with(|r: &Request| {
            let claims = r
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .and_then(|t| t.split('.').nth(1).map(str::to_string))
                .and_then(|c| URL_SAFE_NO_PAD.decode(c).ok());
            ResponseTemplate::new(if claims.is_some() { 200 } else { 401 })
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_acceptance_file_runs_unchanged_with_the_expected_outcome() {
    let key = issuer_key();
    let secret = fake_secret("client");
    let redirect = "http://127.0.0.1:9/callback";
    // Short-lived tokens, so `expired` can wait for one to expire.
    let provider = provider(
        false,
        &secret,
        redirect,
        &key,
        "https://orders.example.test",
        3,
    )
    .await;
    let api = orders_api(&key, provider.uri(), "https://orders.example.test").await;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.xml");
    let suite = repo_root().join("tests/acceptance/tokens.yaml");
    let env = [
        ("API_URL", api.uri()),
        ("ISSUER_URL", provider.uri()),
        ("CLIENT_ID", "client-1".to_string()),
        ("CLIENT_SECRET", secret.clone()),
        ("API_RESOURCE", "https://orders.example.test".to_string()),
        ("REDIRECT_URI", redirect.to_string()),
        ("ALICE_LOGIN", "alice".to_string()),
        ("ALICE_PASSWORD", "fake-alice-password".to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = authspec(
        &[
            "run",
            suite.to_str().unwrap(),
            "--junit",
            report.to_str().unwrap(),
        ],
        &env,
        dir.path(),
    );
    assert!(run.code < 2, "{}", run.all_output());
    assert_valid_junit(&report);
    let out = &run.stdout;
    // Every access cell passes.
    assert_eq!(
        count(
            &report,
            "//testcase[contains(@name, ': allow') or contains(@name, ': deny')][failure or error]"
        ),
        0,
        "{out}"
    );
    assert_eq!(
        count(
            &report,
            "//testcase[contains(@name, ': allow') or contains(@name, ': deny')]"
        ),
        8
    );
    // Every mutation on /orders passes (or is skipped with its reason: no signing key, not opaque).
    let strict = "//testcase[starts-with(@name, 'tokens GET /orders as reader: ')]";
    assert_eq!(
        count(&report, &format!("{strict}[failure or error]")),
        0,
        "{out}"
    );
    assert_eq!(
        count(&report, &format!("{strict}[not(skipped)]")),
        11,
        "{out}"
    );
    // On /legacy/orders all five are failures.
    assert_eq!(
        count(
            &report,
            "//testcase[starts-with(@name, 'tokens GET /legacy/orders as reader: ')]/failure"
        ),
        5,
        "{out}"
    );
    // Every oauth check that runs passes.
    assert_eq!(
        count(&report, "//testcase[starts-with(@name, 'oauth corp: ')]"),
        12
    );
    assert_eq!(
        count(
            &report,
            "//testcase[starts-with(@name, 'oauth corp: ')][failure or error]"
        ),
        0,
        "{out}"
    );
    assert_eq!(run.code, 1, "the legacy endpoint's findings fail the run");
    let junit = std::fs::read_to_string(&report).unwrap();
    for secret in [secret.as_str(), "fake-alice-password", "eyJ"] {
        assert!(
            !run.all_output().contains(secret) && !junit.contains(secret),
            "{secret} reached an output"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_cached_token_is_renewed_with_its_refresh_token_not_a_new_login() {
    let key = issuer_key();
    let secret = fake_secret("client");
    let redirect = "http://127.0.0.1:9/callback";
    // `expires_in: 0`: the cached token is never fresh, so each later use must refresh.
    let provider = provider(false, &secret, redirect, &key, "orders-api", 0).await;
    let api = orders_api(&key, provider.uri(), "orders-api").await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "r.yaml",
        "suite: refresh\ntarget:\n  base_url: ${env:API_URL}\nauth_servers:\n  corp:\n    issuer: ${env:ISSUER_URL}\n    client_id: client-1\n    client_secret: ${env:CLIENT_SECRET}\nroles:\n  alice:\n    oauth2:\n      server: corp\n      grant: authorization_code\n      redirect_uri: ${env:REDIRECT_URI}\n      scopes: [offline_access, api:read]\n      login: { fields: { login: alice, password: \"${env:ALICE_PASSWORD}\" } }\naccess:\n  - request: GET /orders\n    allow: [alice]\n  - request: GET /legacy/orders\n    allow: [alice]\n",
    );
    let env = [
        ("API_URL", api.uri()),
        ("ISSUER_URL", provider.uri()),
        ("CLIENT_SECRET", secret),
        ("REDIRECT_URI", redirect.to_string()),
        ("ALICE_PASSWORD", "fake-alice-password".to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = authspec(&["run", "r.yaml", "--jobs", "1"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    let requests = provider.received_requests().await.unwrap();
    let logins = requests.iter().filter(|r| r.url.path() == "/login").count();
    let refreshes = requests
        .iter()
        .filter(|r| {
            r.url.path() == "/token"
                && String::from_utf8_lossy(&r.body).contains("grant_type=refresh_token")
        })
        .count();
    assert_eq!(logins, 1, "one login");
    assert_eq!(refreshes, 1, "the second check refreshed the token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusal_checks_are_errors_not_passes_when_even_a_correct_request_gets_no_code() {
    let secret = fake_secret("client");
    let provider = provider(
        false,
        &secret,
        "http://127.0.0.1:9/registered",
        &issuer_key(),
        "orders-api",
        600,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "o.yaml", SUITE);
    let report = dir.path().join("r.xml");
    // A redirect URI the provider does not know: nothing can get a code.
    let env = [
        ("ISSUER_URL", provider.uri()),
        ("CLIENT_SECRET", secret),
        ("REDIRECT_URI", "http://127.0.0.1:9/not-registered".into()),
        ("ALICE_PASSWORD", "fake-alice-password".into()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = authspec(
        &["run", "o.yaml", "--junit", report.to_str().unwrap()],
        &env,
        dir.path(),
    );
    // Errors only (nothing judged wrong): exit 3.
    assert_eq!(run.code, 3, "{}", run.stdout);
    for check in ["pkce_required", "pkce_plain_refused", "redirect_uri_exact"] {
        let name = format!("oauth corp: {check}");
        assert_eq!(
            count(&report, &format!("//testcase[@name='{name}']/error")),
            1,
            "{name} must be vacuous:\n{}",
            run.stdout
        );
    }
}
