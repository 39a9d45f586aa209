//! No credential of the run reaches any output: a hostile server echoes every secret it
//! receives (in bodies, headers, next to a cut point) and none survives into stdout,
//! stderr or the JUnit file.

mod common;

use common::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Echoes the request's credentials back, padded so the token straddles the point where
/// excerpts are cut.
fn echo(req: &Request) -> ResponseTemplate {
    let auth = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let key = req
        .headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let query = req.url.query().unwrap_or("");
    let body = format!("key={key} query={query} {}{auth} leaked", "x".repeat(178));
    ResponseTemplate::new(200)
        .insert_header("x-echo", auth)
        .set_body_string(body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_echoed_by_the_server_never_reach_any_output() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(echo).mount(&server).await;
    let bearer = fake_secret("bearer");
    let header_key = fake_secret("hkey");
    let query_key = fake_secret("qkey");
    let file_token = fake_secret("file");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "token.txt", &format!("{file_token}\n"));
    write(
        dir.path(),
        "echo.yaml",
        r#"
suite: echo
target:
  base_url: ${env:API_URL}
roles:
  user:
    bearer: ${env:USER_TOKEN}
  partner:
    api_key: { header: X-Api-Key, value: "${env:HEADER_KEY}" }
  legacy:
    api_key: { query: api_key, value: "${env:QUERY_KEY}" }
  filed:
    bearer: ${file:token.txt}
access:
  - request: GET /things
    deny: [user, partner, legacy, filed]
scenarios:
  - name: echo does not leak
    as: user
    request: GET /things
    expect:
      status: 500
      body_not_contains: leaked
      headers: { x-echo: nothing }
"#,
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "echo.yaml", "--junit", report.to_str().unwrap()],
        &[
            ("API_URL", &server.uri()),
            ("USER_TOKEN", &bearer),
            ("HEADER_KEY", &header_key),
            ("QUERY_KEY", &query_key),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase[failure]"), 5);
    let junit = std::fs::read_to_string(&report).unwrap();
    let out = run.all_output();
    for secret in [&bearer, &header_key, &query_key, &file_token] {
        // Not whole, and not a cut-off piece of it either.
        let piece = &secret[..secret.len() - 6];
        assert!(!out.contains(piece), "a secret reached the console:\n{out}");
        assert!(!junit.contains(piece), "a secret reached the JUnit file");
    }
    for marker in [
        "«redacted:user.bearer»",
        "«redacted:partner.api_key»",
        "«redacted:legacy.api_key»",
    ] {
        assert!(
            out.contains(marker) || junit.contains(marker),
            "{marker} missing:\n{out}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encoded_and_embedded_secrets_are_redacted_too() {
    let server = MockServer::start().await;
    // Echo the whole URL and a JSON-escaped copy of the Authorization header.
    Mock::given(any())
        .respond_with(|req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let body = serde_json::json!({ "url": req.url.to_string(), "auth": auth }).to_string();
            ResponseTemplate::new(500).set_body_string(body)
        })
        .mount(&server)
        .await;
    let key = format!("{}+/=x", fake_secret("qkey"));
    let token = format!("{}\"/\\", fake_secret("tok"));
    let hook = fake_secret("hook");
    let trace = fake_secret("trace");
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s.yaml",
        r#"
suite: encoded
target:
  base_url: "${env:API_URL}/hooks/${env:HOOK}"
roles:
  legacy:
    api_key: { query: key, value: "${env:QKEY}" }
  user:
    bearer: ${env:TOKEN}
access:
  - request: GET /a
    headers: { X-Trace: "${env:TRACE}" }
    allow: [legacy, user]
scenarios:
  - name: no expectation still needs a 2xx
    as: user
    request: GET /b
"#,
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "s.yaml", "--junit", report.to_str().unwrap()],
        &[
            ("API_URL", &server.uri()),
            ("HOOK", &hook),
            ("QKEY", &key),
            ("TOKEN", &token),
            ("TRACE", &trace),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stdout.contains(
            "status: expected 2xx (no `status` given, and nothing the body must hold), got 500"
        ),
        "{}",
        run.stdout
    );
    let junit = std::fs::read_to_string(&report).unwrap();
    let out = run.all_output();
    for secret in [&key, &token, &hook] {
        let piece = &secret[..20];
        assert!(
            !out.contains(piece) && !junit.contains(piece),
            "{piece} leaked:\n{out}"
        );
    }
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent.iter().any(|r| r
            .headers
            .get("x-trace")
            .is_some_and(|v| v.as_bytes() == trace.as_bytes())),
        "the reference was resolved"
    );
}

/// A token the API hands out (not one of the run's) is never readable in a report: a
/// login that answers with a live `accessToken`, shown in a failure's excerpt, prints as
/// its kind and length. Its sound twin, a body without a token, shows its text as is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_the_api_hands_out_are_masked_in_every_output() {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let b64 = |s: &str| URL_SAFE_NO_PAD.encode(s);
    let jwt = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(r#"{"sub":"someone-else","exp":4102444800}"#),
        b64(&fake_secret("sig"))
    );
    let server = MockServer::start().await;
    let body = serde_json::json!({ "accessToken": jwt, "user": "someone-else" }).to_string();
    Mock::given(wiremock::matchers::path("/login"))
        .respond_with(ResponseTemplate::new(500).set_body_string(body))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/plain"))
        .respond_with(ResponseTemplate::new(500).set_body_string(r#"{"user":"someone-else"}"#))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s.yaml",
        "suite: handed out\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\n\
         access:\n  - request: POST /login\n    allow: [anonymous]\n  - request: GET /plain\n    allow: [anonymous]\n",
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "s.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri())],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    let junit = std::fs::read_to_string(&report).unwrap();
    let out = run.all_output();
    let signature = jwt.rsplit('.').next().unwrap();
    for text in [&out, &junit] {
        assert!(!text.contains(&jwt[..40]), "the token is readable:\n{text}");
        assert!(
            !text.contains(signature),
            "its signature is readable:\n{text}"
        );
        assert!(
            text.contains(&format!("«jwt, {} chars»", jwt.len())),
            "no marker:\n{text}"
        );
        // The sound twin: a body without a credential is shown as it is.
        assert!(text.contains(r#"{"user":"someone-else"}"#), "{text}");
    }
}
