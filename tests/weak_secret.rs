//! Mutation `weak_secret` end to end: an HS256 token signed with a well-known key fails,
//! naming the key masked and never in full in any report; the forged token's verdict
//! tells an API that trusts the key from one that does not; a random key passes; an
//! RS256 token is skipped; `wordlist:` adds a key found only there.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn token(alg: Algorithm, key: &EncodingKey) -> String {
    let claims = json!({"sub": "alice", "scope": "notes:read", "exp": 4_000_000_000u64});
    jsonwebtoken::encode(&Header::new(alg), &claims, key).unwrap()
}

fn bearer(r: &Request) -> Option<String> {
    let h = r.headers.get("authorization")?.to_str().ok()?;
    h.strip_prefix("Bearer ").map(str::to_string)
}

/// An API that verifies HS256 tokens with `key`: it takes any token signed with it.
async fn trusting(key: &str) -> MockServer {
    let key = key.to_string();
    let server = MockServer::start().await;
    Mock::given(path("/me"))
        .respond_with(move |r: &Request| {
            let mut v = Validation::new(Algorithm::HS256);
            v.required_spec_claims.clear();
            let ok = bearer(r).is_some_and(|t| {
                jsonwebtoken::decode::<serde_json::Value>(
                    &t,
                    &DecodingKey::from_secret(key.as_bytes()),
                    &v,
                )
                .is_ok()
            });
            ResponseTemplate::new(if ok { 200 } else { 401 })
        })
        .mount(&server)
        .await;
    server
}

/// An API that looks the token up (a session store): only the genuine one is taken,
/// whoever can sign.
async fn looking_up(genuine: String) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/me"))
        .respond_with(move |r: &Request| {
            ResponseTemplate::new(if bearer(r).as_deref() == Some(&genuine) {
                200
            } else {
                401
            })
        })
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: weak keys
target:
  base_url: ${env:API_URL}
roles:
  alice:
    bearer: ${env:TOKEN}
probes:
  - tokens:
      as: alice
      request: GET /me
      mutations: [weak_secret]
";

struct Reports {
    run: Run,
    junit: String,
    json: String,
    sarif: String,
}

fn run_with(suite: &str, api: &MockServer, token: &str, files: &[(&str, &str)]) -> Reports {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", suite);
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    let run = authspec(
        &[
            "run", "s.yaml", "--junit", "r.xml", "--json", "r.json", "--sarif", "r.sarif",
        ],
        &[("API_URL", &api.uri()), ("TOKEN", token)],
        dir.path(),
    );
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap_or_default();
    Reports {
        junit: read("r.xml"),
        json: read("r.json"),
        sarif: read("r.sarif"),
        run,
    }
}

/// Whether `word` occurs in `text` with no letter, digit or `_` on either side.
fn as_a_word(text: &str, word: &str) -> bool {
    let inner = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(i, _)| {
        !inner(text[..i].chars().next_back()) && !inner(text[i + word.len()..].chars().next())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_well_known_key_fails_masked_and_the_forged_token_verdict_follows_the_api() {
    let genuine = token(Algorithm::HS256, &EncodingKey::from_secret(b"secret"));

    let lax = trusting("secret").await;
    let r = run_with(SUITE, &lax, &genuine, &[]);
    assert_eq!(r.run.code, 1, "{}", r.run.stdout);
    let out = r.run.all_output();
    assert!(out.contains("se****"), "{out}");
    assert!(
        out.contains("the API accepted a token forged with it"),
        "{out}"
    );
    for (what, text) in [
        ("console", &out),
        ("junit", &r.junit),
        ("json", &r.json),
        ("sarif", &r.sarif),
    ] {
        assert!(!text.is_empty(), "{what} is empty");
        // The key is a secret of the run now: redacted wherever it stands as a word of
        // its own; inside another word (the mutation `weak_secret`) it is not the key.
        assert!(
            !as_a_word(&text.to_ascii_lowercase(), "secret"),
            "{what} shows the key:\n{text}"
        );
        assert!(
            text.contains("weak_secret"),
            "{what} masks the mutation's name"
        );
        assert!(!text.contains(&genuine), "{what} shows the token");
    }

    let strict = looking_up(genuine.clone()).await;
    let r = run_with(SUITE, &strict, &genuine, &[]);
    assert_eq!(
        r.run.code, 1,
        "a weak key fails even where forgeries are refused"
    );
    let out = r.run.all_output();
    assert!(out.contains("se****"), "{out}");
    assert!(
        out.contains("the API refused the tokens forged with it"),
        "{out}"
    );
    assert!(!out.contains("accepted a token forged"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distinctive_default_never_shows_and_a_random_key_passes() {
    let key = "your-256-bit-secret";
    let genuine = token(Algorithm::HS256, &EncodingKey::from_secret(key.as_bytes()));
    let api = trusting("your-256-bit-secret").await;
    let r = run_with(SUITE, &api, &genuine, &[]);
    assert_eq!(r.run.code, 1, "{}", r.run.stdout);
    let out = r.run.all_output();
    assert!(out.contains("yo****"), "{out}");
    for text in [&out, &r.junit, &r.json, &r.sarif] {
        assert!(!text.contains(key), "{text}");
        assert!(!text.contains("256-bit"), "{text}");
    }

    let strong = fake_secret("hs-key");
    let leaked: &'static str = Box::leak(strong.clone().into_boxed_str());
    let genuine = token(
        Algorithm::HS256,
        &EncodingKey::from_secret(strong.as_bytes()),
    );
    let api = trusting(leaked).await;
    let r = run_with(SUITE, &api, &genuine, &[]);
    assert_eq!(r.run.code, 0, "{}", r.run.stdout);
    assert!(
        r.run.stdout.contains("well-known secrets signs the token"),
        "{}",
        r.run.stdout
    );
    assert!(!r.junit.contains("<failure"), "{}", r.junit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_rs256_token_is_skipped_with_why() {
    let issuer = issuer_key();
    let genuine = token(
        Algorithm::RS256,
        &EncodingKey::from_rsa_pem(issuer.pem.as_bytes()).unwrap(),
    );
    let api = looking_up(genuine.clone()).await;
    let r = run_with(SUITE, &api, &genuine, &[]);
    assert_eq!(r.run.code, 0, "{}", r.run.stdout);
    assert!(r.run.stdout.contains("RS256, not HMAC"), "{}", r.run.stdout);
    assert!(r.junit.contains("<skipped"), "{}", r.junit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wordlist_adds_a_key_the_bundled_list_lacks() {
    let key = fake_secret("org-key");
    let genuine = token(Algorithm::HS256, &EncodingKey::from_secret(key.as_bytes()));
    let api = looking_up(genuine.clone()).await;
    let with_list = SUITE.replace(
        "mutations: [weak_secret]",
        "mutations: [weak_secret]\n      wordlist: ${file:keys.txt}",
    );
    let list = format!("#!comment: keys that leaked before\nnot-this-one\n{key}\n");
    let r = run_with(&with_list, &api, &genuine, &[("keys.txt", &list)]);
    assert_eq!(r.run.code, 1, "{}", r.run.stdout);
    let out = r.run.all_output();
    assert!(out.contains("found in `wordlist:`"), "{out}");
    assert!(out.contains("fa****"), "{out}");
    for text in [&out, &r.junit, &r.json, &r.sarif] {
        assert!(!text.contains(&key), "{text}");
        // The other candidates of the list are no secret of the run.
        assert!(!text.contains("«redacted:wordlist"), "{text}");
    }
    // Without the wordlist the same key is not found.
    let r = run_with(SUITE, &api, &genuine, &[]);
    assert_eq!(r.run.code, 0, "{}", r.run.stdout);
}

#[test]
fn a_wordlist_written_literally_or_missing_is_a_suite_error() {
    let dir = tempfile::tempdir().unwrap();
    for (wordlist, says) in [
        ("keys.txt", "`wordlist` is a reference"),
        ("${file:missing.txt}", "missing.txt"),
    ] {
        let suite = SUITE.replace(
            "mutations: [weak_secret]",
            &format!("mutations: [weak_secret]\n      wordlist: {wordlist}"),
        );
        write(dir.path(), "s.yaml", &suite);
        let run = authspec(
            &["validate", "s.yaml"],
            &[
                ("API_URL", "http://127.0.0.1:9"),
                ("TOKEN", &fake_secret("tok")),
            ],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{}", run.all_output());
        let out = run.all_output();
        assert!(out.contains(says), "{out}");
        assert!(out.contains("s.yaml:12:"), "{out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feature_lists_weak_secret_like_any_mutation() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target:\n  base_url: ${env:API_URL}\nroles:\n  alice:\n    bearer: ${env:TOKEN}\n",
    );
    write(
        dir.path(),
        "keys.feature",
        "Feature: keys\n  Scenario: the signing key is no default\n    Then the tokens probe passes with:\n      | as        | alice               |\n      | request   | GET /me             |\n      | mutations | weak_secret         |\n      | wordlist  | ${file:keys.txt}    |\n",
    );
    write(dir.path(), "keys.txt", "fake-candidate-1\n");
    for key in ["changeme", "fake-candidate-1"] {
        let api = trusting(key).await;
        let genuine = token(Algorithm::HS256, &EncodingKey::from_secret(key.as_bytes()));
        let run = authspec(
            &["run", "keys.feature"],
            &[("API_URL", &api.uri()), ("TOKEN", &genuine)],
            dir.path(),
        );
        assert_eq!(run.code, 1, "{}", run.all_output());
        assert!(
            run.stdout.contains(&format!("{}****", &key[..2])),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout
                .contains("the API accepted a token forged with it"),
            "{}",
            run.stdout
        );
        assert!(!run.all_output().contains(key), "{}", run.all_output());
    }
}
