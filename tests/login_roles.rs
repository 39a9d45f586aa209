//! `login:` roles against a notes API started here (`login_roles/api.rs`): one login per
//! role per run however many checks use it; a 401 renews the token once and retries
//! once (a second 401 stands, and nothing loops); a JWT whose `exp` has passed is
//! renewed, and never proves a deny; tokens in the body, a header or a cookie; every
//! role its own cookie jar; a failed login makes the role's checks errors naming the
//! answer; the token never reaches any output and is no leak.
#![allow(clippy::unwrap_used)]

#[path = "login_roles/api.rs"]
mod api;
mod common;

use std::path::Path;

use api::{Config, Style};
use common::{Run, authspec, fake_secret, write};

/// Roles `anonymous`, and `alice` and `bob` logging in as `login` says (`{user}` is
/// their name), then `rest`.
fn suite(login: &str, rest: &str) -> String {
    let role = |user: &str| {
        let body = login
            .replace("{user}", user)
            .replace("{USER}", &user.to_uppercase());
        format!("  {user}:\n    login:\n{body}")
    };
    format!(
        "suite: notes\ntarget:\n  base_url: ${{env:API_URL}}\nroles:\n  anonymous: {{}}\n{}{}{rest}",
        role("alice"),
        role("bob"),
    )
}

const JSON_LOGIN: &str = "      request: POST /auth/login\n      json: { username: \"{user}-{{run.id}}\", password: \"${env:{USER}_PASSWORD}\" }\n      token: $.auth_token\n";

struct Env {
    alice: String,
    bob: String,
}

impl Env {
    fn new() -> Self {
        Self {
            alice: fake_secret("alice-password"),
            bob: fake_secret("bob-password"),
        }
    }

    fn users(&self) -> Vec<(&str, &str)> {
        vec![("alice", self.alice.as_str()), ("bob", self.bob.as_str())]
    }
}

async fn run(dir: &Path, yaml: &str, url: &str, env: &Env, args: &[&str]) -> Run {
    write(dir, "notes.yaml", yaml);
    let (dir, url) = (dir.to_path_buf(), url.to_string());
    let (alice, bob) = (env.alice.clone(), env.bob.clone());
    let mut all: Vec<String> = vec![
        "run".into(),
        "notes.yaml".into(),
        "--jobs".into(),
        "8".into(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = all.iter().map(String::as_str).collect();
        let env = [
            ("API_URL", url.as_str()),
            ("ALICE_PASSWORD", alice.as_str()),
            ("BOB_PASSWORD", bob.as_str()),
        ];
        authspec(&args, &env, &dir)
    })
    .await
    .unwrap()
}

/// The logins each user name beginning with `user` made.
fn logins(state: &std::sync::Mutex<api::State>, user: &str) -> usize {
    let st = state.lock().unwrap();
    assert!(
        st.logins.keys().all(|u| !u.contains("{{")),
        "`{{run.id}}` is filled in: {:?}",
        st.logins.keys()
    );
    st.logins
        .iter()
        .filter(|(u, _)| u.starts_with(user))
        .map(|(_, n)| n)
        .sum()
}

fn notes(n: usize, allow: &str, deny: &str) -> String {
    let mut s = String::from("access:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - request: GET /notes/{i}\n    allow: [{allow}]\n    deny: [{deny}]\n"
        ));
    }
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_logs_in_once_for_many_checks_and_its_token_reaches_no_output() {
    let env = Env::new();
    let (server, state) = api::start(Config::new(Style::Json, &env.users())).await;
    let dir = tempfile::tempdir().unwrap();
    let rest = format!(
        "{}  - request: GET /admin\n    deny: [alice, bob]\n",
        notes(30, "alice, bob", "anonymous")
    );
    let run = run(
        dir.path(),
        &suite(JSON_LOGIN, &rest),
        &server.uri(),
        &env,
        &["--junit", "r.xml", "--json", "r.json", "--sarif", "r.sarif"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("92 passed"), "{}", run.stdout);
    assert_eq!(logins(&state, "alice-"), 1, "one login for alice");
    assert_eq!(logins(&state, "bob-"), 1, "one login for bob");
    // The login's answer carries the token: the caller's own, never a leak; and no
    // token or password is in any output.
    let issued: Vec<String> = state
        .lock()
        .unwrap()
        .issued
        .iter()
        .map(|(t, _)| t.clone())
        .collect();
    assert_eq!(issued.len(), 2);
    let mut outputs = vec![run.all_output()];
    for f in ["r.xml", "r.json", "r.sarif"] {
        outputs.push(std::fs::read_to_string(dir.path().join(f)).unwrap());
    }
    for out in &outputs {
        for secret in issued.iter().chain([&env.alice, &env.bob]) {
            assert!(!out.contains(secret.as_str()), "{secret} in\n{out}");
        }
        assert!(!out.contains("secret_canary"), "{out}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_refused_after_some_uses_is_renewed_once_and_the_checks_pass() {
    let env = Env::new();
    let config = Config {
        first_token_uses: Some(5),
        ..Config::new(Style::Json, &env.users())
    };
    let (server, state) = api::start(config).await;
    let dir = tempfile::tempdir().unwrap();
    let run = run(
        dir.path(),
        &suite(JSON_LOGIN, &notes(20, "alice", "anonymous")),
        &server.uri(),
        &env,
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("40 passed"), "{}", run.stdout);
    assert_eq!(logins(&state, "alice-"), 2, "exactly one login again");
    assert_eq!(logins(&state, "bob-"), 0, "bob has no check: no login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_refuses_every_token_fails_the_checks_without_looping() {
    let env = Env::new();
    let config = Config {
        always_401: true,
        ..Config::new(Style::Json, &env.users())
    };
    let (server, state) = api::start(config).await;
    let dir = tempfile::tempdir().unwrap();
    let checks = 10;
    let run = run(
        dir.path(),
        &suite(JSON_LOGIN, &notes(checks, "alice", "anonymous")),
        &server.uri(),
        &env,
        &[],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stdout
            .contains(&format!("{checks} passed, {checks} failed")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("allow expected (2xx), got 401"),
        "{}",
        run.stdout
    );
    // Each allow sent once, and once more after a new login only until a renewed token
    // was refused too (checks in flight at that moment may still retry): bounded, no
    // loop. The anonymous denies send no token and are not retried.
    let st = state.lock().unwrap();
    let sent = st.api_requests;
    assert!(
        (checks + checks + 1..=checks + 2 * checks).contains(&sent),
        "{sent}"
    );
    drop(st);
    let n = logins(&state, "alice-");
    assert!((2..=checks + 1).contains(&n), "{n} logins");
}

/// Alice's denied `GET /admin` (403 for everyone) and her allowed notes, with JWTs that
/// expire `exp_in` seconds after the login.
async fn jwt_run(exp_in: i64) -> (Run, usize) {
    let env = Env::new();
    let config = Config {
        jwt_exp_in: Some(exp_in),
        ..Config::new(Style::Json, &env.users())
    };
    let (server, state) = api::start(config).await;
    let dir = tempfile::tempdir().unwrap();
    let rest = format!(
        "{}  - request: GET /admin\n    deny: [alice]\n",
        notes(5, "alice", "anonymous")
    );
    let run = run(
        dir.path(),
        &suite(JSON_LOGIN, &rest),
        &server.uri(),
        &env,
        &[],
    )
    .await;
    let n = logins(&state, "alice-");
    (run, n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jwt_past_its_exp_is_renewed_and_proves_no_deny() {
    // Sound twin: a JWT for an hour; one login, the deny passes.
    let (run, n) = jwt_run(3600).await;
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("11 passed"), "{}", run.stdout);
    assert_eq!(n, 1);
    // A JWT that has expired when it arrives: every request logs in again (this API
    // does not check `exp`, so the allows pass), and the 403 to an expired token
    // proves nothing: an error, not a pass.
    let (run, n) = jwt_run(-10).await;
    assert_eq!(run.code, 3, "errors only: {}", run.all_output());
    assert!(
        run.stdout.contains("10 passed, 0 failed, 1 errors"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("alice's login token expired"),
        "{}",
        run.stdout
    );
    // Five allows and the deny: each its own login.
    assert_eq!(n, 6, "{n} logins");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_in_a_header_or_a_cookie_is_sent_back_so() {
    for (style, login) in [
        (
            Style::Header,
            "      request: POST /auth/login\n      json: { username: \"{user}-{{run.id}}\", password: \"${env:{USER}_PASSWORD}\" }\n      token: { header: X-Auth-Token }\n      send: { header: X-Auth-Token, prefix: \"\" }\n",
        ),
        (
            Style::Cookie,
            "      request: POST /auth/login\n      json: { username: \"{user}-{{run.id}}\", password: \"${env:{USER}_PASSWORD}\" }\n      token: { cookie: session }\n",
        ),
    ] {
        let env = Env::new();
        let (server, state) = api::start(Config::new(style, &env.users())).await;
        let dir = tempfile::tempdir().unwrap();
        let run = run(
            dir.path(),
            &suite(login, &notes(5, "alice, bob", "anonymous")),
            &server.uri(),
            &env,
            &[],
        )
        .await;
        assert_eq!(run.code, 0, "{}", run.all_output());
        assert!(run.stdout.contains("15 passed"), "{}", run.stdout);
        assert_eq!(logins(&state, "alice-"), 1);
        let issued: Vec<String> = state
            .lock()
            .unwrap()
            .issued
            .iter()
            .map(|(t, _)| t.clone())
            .collect();
        for token in &issued {
            assert!(!run.all_output().contains(token.as_str()));
        }
        if style == Style::Header {
            // The flawed twin of the sending: as a bearer token, this API refuses it.
            let bearer = login.replace("      send: { header: X-Auth-Token, prefix: \"\" }\n", "");
            let yaml = suite(&bearer, &notes(1, "alice", "anonymous"));
            let run = run_again(dir.path(), &yaml, &server.uri(), &env).await;
            assert_eq!(run.code, 1, "{}", run.all_output());
            assert!(
                run.stdout.contains("allow expected (2xx), got 401"),
                "{}",
                run.stdout
            );
        }
    }
}

async fn run_again(dir: &Path, yaml: &str, url: &str, env: &Env) -> Run {
    run(dir, yaml, url, env, &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_sends_only_its_own_cookies() {
    let env = Env::new();
    let config = Config {
        pref_cookie: true,
        ..Config::new(Style::Json, &env.users())
    };
    let (server, _) = api::start(config).await;
    let dir = tempfile::tempdir().unwrap();
    let run = run(
        dir.path(),
        &suite(JSON_LOGIN, &notes(10, "alice, bob", "anonymous")),
        &server.uri(),
        &env,
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.all_output());
    let mut seen = (0, 0, 0);
    for r in server.received_requests().await.unwrap() {
        if r.url.path() == "/auth/login" {
            continue;
        }
        let cookies = r
            .headers
            .get("cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        match api::sent_token(&r, Style::Json) {
            Some(t) if t.contains("-alice-") => {
                assert!(
                    cookies.contains("pref=alice-") && !cookies.contains("pref=bob-"),
                    "{cookies}"
                );
                seen.0 += 1;
            }
            Some(t) if t.contains("-bob-") => {
                assert!(
                    cookies.contains("pref=bob-") && !cookies.contains("pref=alice-"),
                    "{cookies}"
                );
                seen.1 += 1;
            }
            _ => {
                assert!(cookies.is_empty(), "anonymous sends no cookie: {cookies}");
                seen.2 += 1;
            }
        }
    }
    assert_eq!(seen, (10, 10, 10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_login_makes_the_roles_checks_errors_naming_the_answer() {
    let env = Env::new();
    // Bob's password is not the one the API knows: his login is refused.
    let (server, state) = api::start(Config::new(
        Style::Json,
        &[("alice", env.alice.as_str()), ("bob", "another-password")],
    ))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let rest = format!(
        "{}  - request: GET /admin\n    deny: [bob]\n",
        notes(5, "alice, bob", "anonymous")
    );
    let run = run(
        dir.path(),
        &suite(JSON_LOGIN, &rest),
        &server.uri(),
        &env,
        &[],
    )
    .await;
    assert_eq!(run.code, 3, "errors only: {}", run.all_output());
    assert!(
        run.stdout.contains("10 passed, 0 failed, 6 errors"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "role bob could not obtain a token from its login `POST /auth/login`: the login answered 401 Unauthorized: {\"message\":\"invalid credentials\"}"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.all_output().contains(env.bob.as_str()));
    // A failed login is not tried again by every check.
    assert_eq!(logins(&state, "bob-"), 1);

    // The login answers, but not where `token:` says: an error naming what is there,
    // never the token it holds.
    let wrong = JSON_LOGIN.replace("$.auth_token", "$.token");
    let run = run_again(
        dir.path(),
        &suite(&wrong, &notes(2, "alice", "anonymous")),
        &server.uri(),
        &env,
    )
    .await;
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert!(
        run.stdout.contains("the login answered 200 OK, and `$.token` matches nothing in its body (its keys: auth_token, user)"),
        "{}",
        run.stdout
    );
    // Pointing at the suite's `token:` (alice's, line 10).
    assert!(
        run.stdout
            .contains("(`token:` at notes.yaml:10:14: point it at where"),
        "{}",
        run.stdout
    );
    for (token, _) in state.lock().unwrap().issued.iter() {
        assert!(!run.all_output().contains(token.as_str()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_roles_of_an_authspec_yaml_serve_its_features() {
    let env = Env::new();
    let (server, state) = api::start(Config::new(Style::Json, &env.users())).await;
    let dir = tempfile::tempdir().unwrap();
    let config = suite(JSON_LOGIN, "").replacen("suite: notes\n", "", 1);
    write(dir.path(), "authspec.yaml", &config);
    write(
        dir.path(),
        "notes.feature",
        "Feature: notes\n  Scenario: alice reads her note\n    Given I am \"alice\"\n    When I send \"GET /notes/1\"\n    Then access is allowed\n\n  Scenario: alice may not administer\n    Given I am \"alice\"\n    When I send \"GET /admin\"\n    Then access is denied\n\n  Scenario: bob reads his note\n    Given I am \"bob\"\n    When I send \"GET /me\"\n    Then access is allowed\n",
    );
    let (d, url) = (dir.path().to_path_buf(), server.uri());
    let (alice, bob) = (env.alice.clone(), env.bob.clone());
    let run = tokio::task::spawn_blocking(move || {
        let env = [
            ("API_URL", url.as_str()),
            ("ALICE_PASSWORD", alice.as_str()),
            ("BOB_PASSWORD", bob.as_str()),
        ];
        authspec(&["run", "notes.feature"], &env, &d)
    })
    .await
    .unwrap();
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("3 passed"), "{}", run.stdout);
    assert_eq!(logins(&state, "alice-"), 1);
    assert_eq!(logins(&state, "bob-"), 1);
}

/// An API that hands out a token and a session cookie, and honours only the cookie: the
/// tokens probe cannot judge its token handling (every doctored token goes without the
/// cookie), so its cases are errors, never passes that the cookie earned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tokens_probe_control_goes_as_the_mutations_do_without_the_session_cookie() {
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.fake-signature-for-tests";
    Mock::given(method("POST"))
        .and(path("/auth/login"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("set-cookie", "session=fake-session-1; Path=/")
                .set_body_json(serde_json::json!({ "auth_token": token })),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("cookie", "session=fake-session-1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let text = "suite: s\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  alice:\n    login:\n      request: POST /auth/login\n      json: { username: alice, password: \"${env:ALICE_PASSWORD}\" }\n      token: $.auth_token\nprobes:\n  - tokens:\n      as: alice\n      request: GET /me\n      mutations: [alg_none, signature_stripped]\n";
    write(dir.path(), "s.yaml", text);
    let password = fake_secret("alice");
    let url = server.uri();
    let run = authspec(
        &["run", "s.yaml"],
        &[
            ("API_URL", url.as_str()),
            ("ALICE_PASSWORD", password.as_str()),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert!(
        run.stdout.contains("0 passed, 0 failed, 2 errors"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("vacuous"), "{}", run.stdout);
}
