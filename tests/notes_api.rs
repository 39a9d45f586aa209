//! The notes API of issue 15's acceptance file (`common/notes_api.rs`) behaves as its
//! table says, flawed and sound variant alike; and authspec reaches its client-certificate
//! admin listener with a role's certificate, and proves that listener requires one.
#![allow(clippy::unwrap_used)]

mod common;
#[path = "common/notes_api.rs"]
mod notes_api;

use common::*;
use notes_api::{NotesApi, Options, Variant};
use serde_json::{Value, json};

fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

async fn post(url: &str, body: Value, token: Option<&str>) -> (u16, Value) {
    let mut r = client().post(url).json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let res = r.send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

async fn get(url: &str, token: &str) -> (u16, Value) {
    let res = client().get(url).bearer_auth(token).send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flawed_and_the_sound_notes_api_differ_exactly_as_documented() {
    for variant in [Variant::Flawed, Variant::Sound] {
        let api = NotesApi::start(Options {
            login_limit: 3,
            ..Options::new(variant, "fake-ops-password", "fake-admin-token")
        })
        .await;
        let url = api.url();
        let who = |name: &str| json!({ "username": name, "password": format!("fake-{name}-pw") });
        assert_eq!(
            post(&format!("{url}/auth/register"), who("alice"), None)
                .await
                .0,
            201
        );
        assert_eq!(
            post(&format!("{url}/auth/register"), who("bob"), None)
                .await
                .0,
            201
        );
        assert_eq!(
            post(&format!("{url}/auth/register"), who("bob"), None)
                .await
                .0,
            409
        );
        let login_url = format!("{url}/auth/login");
        let login = |body: Value| post(&login_url, body, None);
        let alice = login(who("alice")).await.1["auth_token"]
            .as_str()
            .unwrap()
            .to_string();
        let bob = login(who("bob")).await.1["auth_token"]
            .as_str()
            .unwrap()
            .to_string();

        // The token's key: `secret` in the flawed variant only.
        let weak = jsonwebtoken::decode::<Value>(
            &alice,
            &jsonwebtoken::DecodingKey::from_secret(b"secret"),
            &jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256),
        );
        assert_eq!(weak.is_ok(), variant == Variant::Flawed, "{variant:?}");
        assert_eq!(
            get(&format!("{url}/me"), &alice).await,
            (200, json!({ "username": "alice" }))
        );
        assert_eq!(get(&format!("{url}/me"), "not-a-token").await.0, 401);

        // Notes: the owner reads hers; bob reads it only in the flawed variant.
        let (status, note) = post(
            &format!("{url}/notes"),
            json!({ "title": "t", "body": "fake-note-secret" }),
            Some(&alice),
        )
        .await;
        assert_eq!(status, 201);
        let note_url = format!("{url}/notes/{}", note["id"]);
        assert_eq!(get(&note_url, &alice).await.0, 200);
        let (status, body) = get(&note_url, &bob).await;
        match variant {
            Variant::Flawed => assert_eq!(
                (status, body["body"].clone()),
                (200, json!("fake-note-secret"))
            ),
            Variant::Sound => assert_eq!(status, 404),
        }

        // Login errors: two messages, or one.
        let unknown = login(json!({ "username": "nobody", "password": "x" })).await;
        let wrong = login(json!({ "username": "alice", "password": "x" })).await;
        assert_eq!((unknown.0, wrong.0), (401, 401));
        assert_eq!(
            unknown.1["message"] == wrong.1["message"],
            variant == Variant::Sound,
            "{unknown:?} {wrong:?}"
        );
        // Failed logins: after `login_limit` (3) of one user name, 429 in the sound one.
        let mut statuses = Vec::new();
        for _ in 0..3 {
            statuses.push(
                login(json!({ "username": "alice", "password": "x" }))
                    .await
                    .0,
            );
        }
        match variant {
            Variant::Flawed => assert_eq!(statuses, [401, 401, 401]),
            Variant::Sound => assert_eq!(statuses, [401, 401, 429]),
        }

        // Basic on /ops/health.
        let health = |user: &str, pw: &str| {
            client()
                .get(format!("{url}/ops/health"))
                .basic_auth(user, Some(pw))
                .send()
        };
        assert_eq!(
            health("ops", "fake-ops-password").await.unwrap().status(),
            200
        );
        assert_eq!(health("ops", "wrong").await.unwrap().status(), 401);
    }
}

/// The admin listener through authspec: the admin role's certificate and token get in,
/// a role without a certificate gets no answer, and the tls probe proves the listener
/// requires one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authspec_reaches_the_admin_listener_with_a_role_certificate() {
    let token = fake_secret("admin");
    let api = NotesApi::start(Options::new(Variant::Sound, "fake-ops-password", &token)).await;
    let dir = tempfile::tempdir().unwrap();
    api.write_fixtures(dir.path(), "fake-ops-password");
    write(
        dir.path(),
        "admin.yaml",
        &format!(
            "suite: admin listener\ntarget:\n  base_url: {}\n  tls: {{ ca_file: certs/server-ca.pem }}\nroles:\n  anonymous: {{}}\n  admin:\n    bearer: ${{env:ADMIN_TOKEN}}\n    client_cert: {{ cert: \"${{file:certs/admin.crt}}\", key: \"${{file:certs/admin.key}}\" }}\nscenarios:\n  - name: the admin lists users\n    as: admin\n    request: GET /admin/users\n    expect: {{ status: 200 }}\n  - name: without a certificate nothing answers\n    as: anonymous\n    request: GET /admin/users\n    expect: {{ status: 401 }}\nprobes:\n  - tls: {{ client_cert_required: true }}\n",
            api.admin_url()
        ),
    );
    let report = dir.path().join("a.xml");
    let run = authspec(
        &["run", "admin.yaml", "--junit", report.to_str().unwrap()],
        &[("ADMIN_TOKEN", token.as_str())],
        dir.path(),
    );
    let log = run.all_output();
    let case = |name: &str, tail: &str| {
        count(
            &report,
            &format!("//testcase[contains(@name, '{name}')]{tail}"),
        )
    };
    assert_eq!(
        case("the admin lists users", "[not(failure) and not(error)]"),
        1,
        "{log}"
    );
    assert_eq!(
        case("without a certificate nothing answers", "[error]"),
        1,
        "{log}"
    );
    assert_eq!(
        case(": client_cert_required", "[not(failure) and not(error)]"),
        1,
        "{log}"
    );
    assert!(!log.contains(&token), "{log}");
    for line in api
        .admin_key_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
    {
        assert!(!log.contains(line), "{log}");
    }
}
