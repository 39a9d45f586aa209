//! `signing_key:` as a PEM key, a private JWK or a JWKS (the key of the token's `kid`
//! signs). The API verifies RS256 signatures; the flawed one ignores `exp`, so the
//! minted `expired` token (validly signed, `exp` an hour ago) is accepted there and
//! refused by the sound twin. A key that cannot sign is a validation error (exit 2,
//! file:line:column) and nothing is sent.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An RSA key made for the test: its private JWK (with `kid`) and PKCS#8 PEM.
struct Rsa {
    jwk: Value,
    pem: String,
    n: String,
    e: String,
}

fn rsa(kid: &str) -> Rsa {
    let key = openssl::rsa::Rsa::generate(2048).unwrap();
    let b = |n: &openssl::bn::BigNumRef| URL_SAFE_NO_PAD.encode(n.to_vec());
    let jwk = json!({
        "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
        "n": b(key.n()), "e": b(key.e()), "d": b(key.d()),
        "p": b(key.p().unwrap()), "q": b(key.q().unwrap()),
        "dp": b(key.dmp1().unwrap()), "dq": b(key.dmq1().unwrap()), "qi": b(key.iqmp().unwrap()),
    });
    let pkey = openssl::pkey::PKey::from_rsa(key).unwrap();
    Rsa {
        pem: String::from_utf8(pkey.private_key_to_pem_pkcs8().unwrap()).unwrap(),
        n: jwk["n"].as_str().unwrap().to_string(),
        e: jwk["e"].as_str().unwrap().to_string(),
        jwk,
    }
}

/// `/orders` verifies the RS256 signature with `key`; the flawed API ignores `exp`.
async fn api(key: &Rsa, checks_exp: bool) -> MockServer {
    let server = MockServer::start().await;
    let decoding = DecodingKey::from_rsa_components(&key.n, &key.e).unwrap();
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(move |r: &Request| {
            let mut v = Validation::new(Algorithm::RS256);
            v.validate_exp = checks_exp;
            v.leeway = 0;
            v.validate_aud = false;
            let token = r
                .headers
                .get("authorization")
                .and_then(|h| h.to_str().ok())
                .and_then(|h| h.strip_prefix("Bearer "));
            match token.map(|t| jsonwebtoken::decode::<Value>(t, &decoding, &v)) {
                Some(Ok(_)) => ResponseTemplate::new(200).set_body_json(json!([])),
                _ => ResponseTemplate::new(401),
            }
        })
        .mount(&server)
        .await;
    server
}

fn token(key: &Rsa, kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    let claims = json!({"sub": "alice", "exp": now() + 3600});
    let signing = EncodingKey::from_rsa_pem(key.pem.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, &claims, &signing).unwrap()
}

const SUITE: &str = "suite: signing keys
target:
  base_url: ${env:API_URL}
roles:
  alice:
    bearer: ${env:ALICE_TOKEN}
probes:
  - tokens:
      as: alice
      request: GET /orders
      mutations: [expired, wrong_issuer]
      signing_key: ${env:SIGNING_KEY}
";

fn run(
    api: &MockServer,
    token: &str,
    signing_key: &str,
) -> (Run, std::path::PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "s.yaml", "--junit", report.to_str().unwrap()],
        &[
            ("API_URL", &api.uri()),
            ("ALICE_TOKEN", token),
            ("SIGNING_KEY", signing_key),
        ],
        dir.path(),
    );
    assert!(!run.all_output().contains(token));
    (run, report, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwk_and_a_jwks_by_kid_sign_the_claim_mutations() {
    let key = rsa("k1");
    let decoy = rsa("old");
    let genuine = token(&key, "k1");
    let jwks = json!({"keys": [decoy.jwk, key.jwk]}).to_string();
    for signing_key in [key.jwk.to_string(), jwks, key.pem.clone()] {
        let flawed = api(&key, false).await;
        let (run, report, _dir) = run(&flawed, &genuine, &signing_key);
        assert_eq!(run.code, 1, "{}", run.all_output());
        let expired = "//testcase[@name='tokens GET /orders as alice: expired']";
        assert_eq!(
            count(&report, &format!("{expired}/failure")),
            1,
            "{}",
            run.stdout
        );
        // The API checks no issuer either: `wrong_issuer` was minted, signed and accepted.
        assert_eq!(count(&report, "//testcase[failure]"), 2, "{}", run.stdout);
        let sound = api(&key, true).await;
        let (run, report, _dir) = self::run(&sound, &genuine, &signing_key);
        // The sound twin checks `exp`; it ignores `iss`, which is still a finding.
        assert_eq!(
            count(&report, &format!("{expired}[not(*)]")),
            1,
            "{}",
            run.stdout
        );
        assert_eq!(
            count(&report, "//testcase[skipped or error]"),
            0,
            "{}",
            run.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_that_cannot_sign_is_a_validation_error_and_nothing_is_sent() {
    let key = rsa("k1");
    let genuine = token(&key, "k1");
    let mut public = key.jwk.clone();
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        public.as_object_mut().unwrap().remove(private);
    }
    let public_pem = String::from_utf8(
        openssl::pkey::PKey::public_key_from_pem(
            &openssl::pkey::PKey::private_key_from_pem(key.pem.as_bytes())
                .unwrap()
                .public_key_to_pem()
                .unwrap(),
        )
        .unwrap()
        .public_key_to_pem()
        .unwrap(),
    )
    .unwrap();
    for (signing_key, why) in [
        (
            public.to_string(),
            "the RSA JWK is a public key (no `d`), which cannot sign",
        ),
        (
            public_pem,
            "signing_key is only the verifying half of a key pair (or an X.509 cert): it cannot sign",
        ),
        (
            json!({"keys": [key.jwk, public]}).to_string(),
            "JWKS key `k1`: the RSA JWK is a public key",
        ),
    ] {
        let server = api(&key, true).await;
        let (run, _, _dir) = run(&server, &genuine, &signing_key);
        assert_eq!(run.code, 2, "{}", run.all_output());
        assert!(run.stderr.contains("s.yaml:12:20"), "{}", run.stderr);
        assert!(run.stderr.contains(why), "{}", run.stderr);
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}
