//! `revoked_token_refused` against authorization servers started here: one that answers
//! RFC 7009 `unsupported_token_type` (it does not revoke JWT access tokens) makes the case
//! skipped with the server's reason; any other refusal of revocation or introspection is
//! an error that shows the server's `error` and `error_description`; a server that
//! revokes and then reports the token inactive passes.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// How the server answers revocation and introspection.
#[derive(Clone, Copy)]
enum Mode {
    /// Revokes, then reports the token inactive.
    Sound,
    /// `400 {"error": "unsupported_token_type", …}` on revocation.
    Unsupported,
    /// `400 {"error": "invalid_request", …}` on revocation.
    RevocationBroken,
    /// `401 {"error": "invalid_client", …}` on introspection.
    IntrospectionBroken,
}

async fn provider(mode: Mode) -> MockServer {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "issuer": uri, "token_endpoint": format!("{uri}/token"),
            "revocation_endpoint": format!("{uri}/revoke"),
            "introspection_endpoint": format!("{uri}/introspect"),
        })))
        .mount(&server)
        .await;
    let issued = Arc::new(Mutex::new(0u32));
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |_: &Request| {
            let mut n = issued.lock().unwrap();
            *n += 1;
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": fake_secret(&format!("access-{n}")),
                "token_type": "Bearer", "expires_in": 600,
            }))
        })
        .mount(&server)
        .await;
    let revoked = Arc::new(Mutex::new(false));
    let r = revoked.clone();
    Mock::given(method("POST"))
        .and(path("/revoke"))
        .respond_with(move |_: &Request| match mode {
            Mode::Unsupported => ResponseTemplate::new(400).set_body_json(json!({
                "error": "unsupported_token_type",
                "error_description": "access tokens are self-contained JWTs",
            })),
            Mode::RevocationBroken => ResponseTemplate::new(400).set_body_json(json!({
                "error": "invalid_request", "error_description": "token_type_hint is not allowed",
            })),
            Mode::Sound | Mode::IntrospectionBroken => {
                *r.lock().unwrap() = true;
                ResponseTemplate::new(200)
            }
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/introspect"))
        .respond_with(move |_: &Request| match mode {
            Mode::IntrospectionBroken => ResponseTemplate::new(401).set_body_json(json!({
                "error": "invalid_client", "error_description": "introspection needs another client",
            })),
            _ => ResponseTemplate::new(200)
                .set_body_json(json!({ "active": !*revoked.lock().unwrap() })),
        })
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: revocation
target:
  base_url: ${env:ISSUER_URL}
auth_servers:
  corp:
    issuer: ${env:ISSUER_URL}
    client_id: client-1
    client_secret: ${env:CLIENT_SECRET}
roles:
  reader:
    oauth2: { server: corp, grant: client_credentials }
probes:
  - oauth:
      server: corp
      as: [reader]
      checks: [revoked_token_refused]
";

/// The run's exit code and the JUnit file's one test case, as (element, message).
async fn case(mode: Mode) -> (i32, String, String, String) {
    let server = provider(mode).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "o.yaml", SUITE);
    let report = dir.path().join("r.xml");
    let secret = fake_secret("client");
    let run = authspec(
        &["run", "o.yaml", "--junit", report.to_str().unwrap()],
        &[("ISSUER_URL", &server.uri()), ("CLIENT_SECRET", &secret)],
        dir.path(),
    );
    assert!(!run.all_output().contains(&secret));
    assert_eq!(count(&report, "//testcase"), 1, "{}", run.all_output());
    let element = xpath(
        &report,
        "name(//testcase/*[self::failure or self::error or self::skipped])",
    );
    let message = xpath(
        &report,
        "string(//testcase/*[self::failure or self::error or self::skipped]/@message)",
    );
    (run.code, element, message, run.stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsupported_token_type_is_a_skip_with_the_servers_reason() {
    let (code, element, message, stdout) = case(Mode::Unsupported).await;
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(element, "skipped", "{stdout}");
    assert!(
        message.contains("unsupported_token_type")
            && message.contains("access tokens are self-contained JWTs"),
        "{message}"
    );
    // The sound twin revokes: the case is judged, and passes.
    let (code, element, _, stdout) = case(Mode::Sound).await;
    assert_eq!((code, element.as_str()), (0, ""), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_revocation_or_introspection_is_an_error_with_the_servers_error() {
    let (code, element, message, stdout) = case(Mode::RevocationBroken).await;
    assert_eq!((code, element.as_str()), (3, "error"), "{stdout}");
    assert!(
        message.contains("revocation was refused: invalid_request (400 Bad Request): token_type_hint is not allowed"),
        "{message}"
    );
    let (code, element, message, stdout) = case(Mode::IntrospectionBroken).await;
    assert_eq!((code, element.as_str()), (3, "error"), "{stdout}");
    assert!(
        message.contains(
            "introspection was refused: invalid_client (401 Unauthorized): introspection needs another client"
        ),
        "{message}"
    );
}
