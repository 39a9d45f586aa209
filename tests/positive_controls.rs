//! Positive controls that hold at the time of the deny. A refusal judged after the `exp`
//! of the role's JWT is an error naming when it expired (a token whose `exp` is already
//! past stands in for one that expires mid-run, so nothing waits). A role's `proof:` runs
//! once more after its last deny, one request per role whatever the number of denies:
//! when the credentials stopped working (the proof now fails), every deny judged since
//! is an error; when they still work, the denies pass.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A JWT of alice with this `exp` (the API does not verify signatures).
fn jwt(exp: i64) -> String {
    let seg = |v: serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.{}",
        seg(json!({"alg": "HS256", "typ": "JWT"})),
        seg(json!({"sub": "alice", "exp": exp})),
        URL_SAFE_NO_PAD.encode(fake_secret("sig"))
    )
}

/// `/orders` takes any bearer token; `/admin…` refuses it (403). `/me`, alice's proof,
/// answers 200 `proof_passes` times and 401 after (the credentials stopped working).
async fn api(proof_passes: usize) -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/admin"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let proofs = Arc::new(AtomicUsize::new(0));
    let n = proofs.clone();
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(move |_: &Request| {
            if n.fetch_add(1, Ordering::SeqCst) < proof_passes {
                ResponseTemplate::new(200).set_body_json(json!({"name": "alice"}))
            } else {
                ResponseTemplate::new(401)
            }
        })
        .mount(&server)
        .await;
    (server, proofs)
}

fn run(
    suite: &str,
    server: &MockServer,
    token: &str,
) -> (Run, std::path::PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", suite);
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "s.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri()), ("ALICE_TOKEN", token)],
        dir.path(),
    );
    assert!(!run.all_output().contains(token), "{}", run.all_output());
    (run, report, dir)
}

const EXPIRING: &str = "suite: expiring
target:
  base_url: ${env:API_URL}
roles:
  alice:
    bearer: ${env:ALICE_TOKEN}
access:
  - request: GET /orders
    allow: [alice]
  - request: GET /admin
    deny: [alice]
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deny_judged_after_the_tokens_exp_is_an_error() {
    let (server, _) = api(usize::MAX).await;
    let exp = now() - 30;
    let (run, report, _dir) = run(EXPIRING, &server, &jwt(exp));
    assert_eq!(run.code, 3, "{}", run.stdout);
    let when = time::OffsetDateTime::from_unix_timestamp(exp).unwrap();
    let at = format!(
        "{}T{:02}:{:02}:{:02}Z",
        when.date(),
        when.hour(),
        when.minute(),
        when.second()
    );
    let message = xpath(
        &report,
        "string(//testcase[contains(@name, 'GET /admin')]/error/@message)",
    );
    assert_eq!(
        message,
        format!("vacuous deny: alice's token expired at {at}")
    );
    // The sound twin: the same run with a token that outlives it passes.
    let (run, report, _dir) = self::run(EXPIRING, &server, &jwt(now() + 3600));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(count(&report, "//testcase[not(*)]"), 2, "{}", run.stdout);
}

const PROVEN: &str = "suite: proven
target:
  base_url: ${env:API_URL}
roles:
  alice:
    bearer: ${env:ALICE_TOKEN}
    proof: GET /me
access:
  - request: GET /admin
    deny: [alice]
  - request: GET /admin/users
    deny: [alice]
  - request: GET /admin/keys
    deny: [alice]
scenarios:
  - name: alice cannot reach the audit log
    steps:
      - as: alice
        request: GET /admin/audit
        expect: { access: deny }
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denies_of_a_role_whose_proof_fails_after_them_are_errors() {
    // The proof passes once (before the denies), then the credentials stop working.
    let (server, proofs) = api(1).await;
    let (run, report, _dir) = run(PROVEN, &server, &fake_secret("alice"));
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert_eq!(count(&report, "//testcase"), 4, "{}", run.stdout);
    assert_eq!(
        count(
            &report,
            "//testcase/error[@message=\"vacuous deny: alice's credentials stopped working during the run\"]"
        ),
        4,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "its proof `GET /me` passed before the denies and answered 401 Unauthorized after them"
        ),
        "{}",
        run.stdout
    );
    // One proof before the denies and one after: not one per deny.
    assert_eq!(proofs.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denies_of_a_role_whose_proof_still_passes_after_them_pass() {
    let (server, proofs) = api(usize::MAX).await;
    let (run, report, _dir) = run(PROVEN, &server, &fake_secret("alice"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(count(&report, "//testcase[not(*)]"), 4, "{}", run.stdout);
    assert_eq!(proofs.load(Ordering::SeqCst), 2);
}
