//! Issue 15's acceptance file, unchanged, against a notes API of the test's own in two
//! builds. Both register users, log them in with `{"auth_token": <HS256 JWT>}` (60 s),
//! keep notes owned by users, guard `/ops/health` with HTTP Basic. The flawed build has
//! four seeded flaws: any logged-in user reads any note, the login says whether the user
//! or the password was wrong, its JWT key is `secret`, and nothing limits failed logins.
//! The sound twin has none. The run must fail exactly the checks of those flaws against
//! the first and pass against the second, and no password, token, note secret or
//! certificate key may appear in any report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Failed logins a user name may have before the sound build answers 429. Above what
/// the suite's other checks send for one name (the scenario's one try, the enumeration
/// probe's tries), so only the rate-limit burst, which runs last, reaches it.
const FAILED_LOGINS_ALLOWED: usize = 15;

#[derive(Default)]
struct State {
    users: HashMap<String, String>,
    notes: Vec<(String, Value)>,
    failures: HashMap<String, usize>,
    /// Every token handed out: none may appear in any output.
    issued: Vec<String>,
}

struct NotesApi {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap_or_default()
}

fn message(status: u16, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "message": text }))
}

/// The user a request's bearer token names, when the token verifies.
fn user(r: &Request, key: &[u8]) -> Option<String> {
    let auth = r.headers.get("authorization")?.to_str().ok()?;
    let token = auth.strip_prefix("Bearer ")?;
    let claims = jsonwebtoken::decode::<Value>(
        token,
        &DecodingKey::from_secret(key),
        &Validation::new(Algorithm::HS256),
    )
    .ok()?
    .claims;
    Some(claims["sub"].as_str()?.to_string())
}

impl NotesApi {
    async fn start(flawed: bool, ops_password: &str) -> Self {
        let key: Arc<Vec<u8>> = Arc::new(if flawed {
            b"secret".to_vec()
        } else {
            fake_secret("notes-jwt-key").into_bytes()
        });
        let state = Arc::new(Mutex::new(State::default()));
        let server = MockServer::start().await;

        let s = state.clone();
        Mock::given(method("POST"))
            .and(path("/auth/register"))
            .respond_with(move |r: &Request| {
                let b = body(r);
                let (Some(name), Some(pw)) = (b["username"].as_str(), b["password"].as_str())
                else {
                    return message(400, "username and password required");
                };
                let mut st = s.lock().unwrap();
                if st.users.contains_key(name) {
                    return message(409, "taken");
                }
                st.users.insert(name.to_string(), pw.to_string());
                ResponseTemplate::new(201).set_body_json(json!({ "username": name }))
            })
            .mount(&server)
            .await;

        let (s, k) = (state.clone(), key.clone());
        Mock::given(method("POST"))
            .and(path("/auth/login"))
            .respond_with(move |r: &Request| {
                let b = body(r);
                let name = b["username"].as_str().unwrap_or_default().to_string();
                let pw = b["password"].as_str().unwrap_or_default();
                let mut st = s.lock().unwrap();
                let known = st.users.get(&name).cloned();
                if known.as_deref() == Some(pw) {
                    let claims = json!({ "sub": name, "iat": now(), "exp": now() + 60 });
                    let token = jsonwebtoken::encode(
                        &Header::new(Algorithm::HS256),
                        &claims,
                        &EncodingKey::from_secret(&k),
                    )
                    .unwrap();
                    st.issued.push(token.clone());
                    return ResponseTemplate::new(200).set_body_json(json!({ "auth_token": token }));
                }
                if flawed {
                    return match known {
                        None => message(401, "no such user"),
                        Some(_) => message(401, "wrong password"),
                    };
                }
                // Counted per name tried, known or not: a limit only known users hit
                // would itself say which names exist.
                let n = st.failures.entry(name).or_default();
                *n += 1;
                if *n > FAILED_LOGINS_ALLOWED {
                    return message(429, "too many attempts").insert_header("retry-after", "60");
                }
                message(401, "invalid username or password")
            })
            .mount(&server)
            .await;

        let k = key.clone();
        Mock::given(method("GET"))
            .and(path("/me"))
            .respond_with(move |r: &Request| match user(r, &k) {
                Some(name) => ResponseTemplate::new(200).set_body_json(json!({ "username": name })),
                None => message(401, "log in first"),
            })
            .mount(&server)
            .await;

        let (s, k) = (state.clone(), key.clone());
        Mock::given(method("POST"))
            .and(path("/notes"))
            .respond_with(move |r: &Request| {
                let Some(owner) = user(r, &k) else {
                    return message(401, "log in first");
                };
                let mut st = s.lock().unwrap();
                st.notes.push((owner, body(r)));
                ResponseTemplate::new(201).set_body_json(json!({ "id": st.notes.len() }))
            })
            .mount(&server)
            .await;

        let (s, k) = (state.clone(), key.clone());
        Mock::given(method("GET"))
            .and(path_regex(r"^/notes/[^/]+$"))
            .respond_with(move |r: &Request| {
                let Some(reader) = user(r, &k) else {
                    return message(401, "log in first");
                };
                let id: usize = r.url.path()["/notes/".len()..].parse().unwrap_or(0);
                let st = s.lock().unwrap();
                match id.checked_sub(1).and_then(|i| st.notes.get(i)) {
                    Some((owner, note)) if flawed || *owner == reader => {
                        ResponseTemplate::new(200).set_body_json(note)
                    }
                    _ => message(404, "no such note"),
                }
            })
            .mount(&server)
            .await;

        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("ops:{ops_password}"))
        );
        Mock::given(method("GET"))
            .and(path("/ops/health"))
            .respond_with(move |r: &Request| {
                let auth = r.headers.get("authorization").and_then(|v| v.to_str().ok());
                if auth == Some(expected.as_str()) {
                    ResponseTemplate::new(200).set_body_json(json!({ "status": "ok" }))
                } else {
                    message(401, "operators only").insert_header("www-authenticate", "Basic")
                }
            })
            .mount(&server)
            .await;

        Self { server, state }
    }
}

/// The suite's own directory: the file unchanged, the ops password where its
/// `secrets:` command reads it, the admin's client certificate where `${file:…}` finds
/// it. Returns the key PEM (a secret: no output may hold it).
fn suite_dir(dir: &Path, ops_password: &str) -> String {
    std::fs::copy(
        repo_root().join("tests/acceptance/notes.yaml"),
        dir.join("notes.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    std::fs::write(dir.join("secrets/ops-password.txt"), format!("{ops_password}\n")).unwrap();
    std::fs::create_dir_all(dir.join("certs")).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["admin.notes.test".to_string()]).unwrap();
    let cert = params.self_signed(&key).unwrap();
    std::fs::write(dir.join("certs/admin.crt"), cert.pem()).unwrap();
    std::fs::write(dir.join("certs/admin.key"), key.serialize_pem()).unwrap();
    key.serialize_pem()
}

struct Outcome {
    code: i32,
    failed: Vec<String>,
    errors: Vec<String>,
    skipped: Vec<String>,
    /// Console and every report, as written.
    output: String,
    issued: Vec<String>,
}

async fn run(flawed: bool) -> (Outcome, Vec<String>) {
    let ops_password = fake_secret("ops");
    let api = NotesApi::start(flawed, &ops_password).await;
    let dir = tempfile::tempdir().unwrap();
    let key_pem = suite_dir(dir.path(), &ops_password);
    let secrets = [
        fake_secret("alice"),
        fake_secret("bob"),
        fake_secret("note"),
        fake_secret("admin"),
    ];
    let url = api.server.uri();
    let env = [
        ("NOTES_API_URL", url.as_str()),
        ("ALICE_PASSWORD", secrets[0].as_str()),
        ("BOB_PASSWORD", secrets[1].as_str()),
        ("NOTE_SECRET", secrets[2].as_str()),
        ("ADMIN_TOKEN", secrets[3].as_str()),
    ];
    let d = dir.path();
    let out = |f: &str| d.join(f).to_str().unwrap().to_string();
    let (junit, json, sarif, html) = (out("r.xml"), out("r.json"), out("r.sarif"), out("r.html"));
    let run = authspec(
        &[
            "run", "notes.yaml", "--junit", &junit, "--json", &json, "--sarif", &sarif, "--html",
            &html,
        ],
        &env,
        d,
    );
    let report = d.join("r.xml");
    assert_valid_junit(&report);
    let names = |kind: &str| -> Vec<String> {
        let n = count(&report, &format!("//testcase[{kind}]"));
        let mut v: Vec<String> = (1..=n)
            .map(|i| xpath(&report, &format!("string((//testcase[{kind}])[{i}]/@name)")))
            .collect();
        v.sort();
        v
    };
    let mut output = run.all_output();
    for f in [&junit, &json, &sarif, &html] {
        output.push_str(&std::fs::read_to_string(f).unwrap());
    }
    let mut secrets: Vec<String> = secrets.to_vec();
    secrets.push(ops_password);
    secrets.push(key_pem);
    let issued = api.state.lock().unwrap().issued.clone();
    (
        Outcome {
            code: run.code,
            failed: names("failure"),
            errors: names("error"),
            skipped: names("skipped"),
            output,
            issued,
        },
        secrets,
    )
}

/// No secret of the run, no line of the key, no token the API issued, nor a third of
/// one (its signature), appears in any output.
fn assert_nothing_leaks(o: &Outcome, secrets: &[String]) {
    for s in secrets {
        for line in s.lines().filter(|l| l.len() > 20 && !l.starts_with("-----")) {
            assert!(!o.output.contains(line), "a secret line leaked: {line}");
        }
    }
    assert!(!o.issued.is_empty(), "the API issued no token");
    for t in &o.issued {
        let signature = t.rsplit('.').next().unwrap();
        assert!(!o.output.contains(signature), "an issued token leaked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sound_notes_api_passes_every_check() {
    let (o, secrets) = run(false).await;
    assert_eq!(o.code, 0, "{}", o.output);
    assert!(o.failed.is_empty(), "{:?}", o.failed);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(o.skipped.is_empty(), "{:?}", o.skipped);
    assert_nothing_leaks(&o, &secrets);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flawed_notes_api_fails_exactly_its_four_flaws() {
    let (o, secrets) = run(true).await;
    assert_eq!(o.code, 1, "{}", o.output);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let failed = o.failed.join("\n");
    for flaw in [
        "another user's note is not readable",
        "login does not say which part was wrong",
        "weak_secret",
        "same_body",
        "rate_limit",
    ] {
        assert_eq!(
            o.failed.iter().filter(|n| n.contains(flaw)).count(),
            1,
            "{flaw} in:\n{failed}"
        );
    }
    assert_eq!(o.failed.len(), 5, "{failed}");
    assert!(o.output.contains("se****"), "the weak key is named masked");
    assert_nothing_leaks(&o, &secrets);
}
