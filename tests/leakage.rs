//! Leak detection on every response, end to end: realistic samples of what each detector
//! finds fail the check with the detector, CWE and OWASP category (a version banner,
//! which judges the server, fails its own per-origin check instead); look-alikes a real API
//! sends pass; `leakage: off` / `ignore` turn detectors off and say so in the report; a
//! run's own credential echoed in Base64 is found and shown redacted.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine;
use common::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// (path, body or header, detector expected, or "" for a look-alike that must pass).
fn samples() -> Vec<(&'static str, ResponseTemplate, &'static str)> {
    let body = |s: &str| ResponseTemplate::new(200).set_body_string(s.to_string());
    vec![
        (
            "/java",
            body(
                "java.lang.NullPointerException\n\tat com.shop.Cart.total(Cart.java:42)\n\tat com.shop.Api.get(Api.java:17)",
            ),
            "stack_trace",
        ),
        (
            "/python",
            body(
                "Traceback (most recent call last):\n  File \"/app/views.py\", line 12, in order\n    return db.get(id)\nKeyError: 'id'",
            ),
            "stack_trace",
        ),
        (
            "/go",
            body(
                "panic: runtime error: index out of range [3] with length 2\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:8 +0x1d",
            ),
            "stack_trace",
        ),
        (
            "/postgres",
            body("{\"error\": \"ERROR:  syntax error at or near \\\"WHERE\\\" at character 27\"}"),
            "database_error",
        ),
        (
            "/mysql",
            body(
                "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version",
            ),
            "database_error",
        ),
        (
            "/mongo",
            body(
                "{\"message\":\"E11000 duplicate key error collection: shop.users index: email_1 dup key\"}",
            ),
            "database_error",
        ),
        (
            "/path",
            body("{\"error\":\"cannot open /var/www/shop/config/database.yml\"}"),
            "file_path",
        ),
        (
            "/ip",
            body("{\"upstream\":\"http://10.0.3.17:8080/internal\"}"),
            "internal_address",
        ),
        (
            "/banner",
            ResponseTemplate::new(200)
                .insert_header("Server", "Apache/2.4.41 (Ubuntu)")
                .set_body_string("{}"),
            "version_banner",
        ),
        (
            "/aws",
            body(&format!(
                "{{\"config\":{{\"aws_access_key_id\":\"AKIA{}\"}}}}",
                "Q".repeat(16)
            )),
            "secret_format",
        ),
        (
            "/ok-exception",
            body(
                "{\"product\":\"Exception Handling in Java, 2nd edition\",\"path\":\"/orders/1\"}",
            ),
            "",
        ),
        (
            "/ok-ip",
            body("{\"dns\":\"8.8.8.8\",\"version\":\"10.2.3\",\"href\":\"/api/v1/users\"}"),
            "",
        ),
        (
            "/ok-banner",
            ResponseTemplate::new(200)
                .insert_header("Server", "nginx")
                .set_body_string("{}"),
            "",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_detector_fires_on_real_samples_and_not_on_look_alikes() {
    let server = MockServer::start().await;
    let samples = samples();
    for (p, template, _) in &samples {
        Mock::given(path(*p))
            .respond_with(template.clone())
            .mount(&server)
            .await;
    }
    let access: String = samples
        .iter()
        .map(|(p, _, _)| format!("  - request: GET {p}\n    allow: [anonymous]\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "l.yaml",
        &format!(
            "suite: leaks\ntarget:\n  base_url: ${{env:API_URL}}\nroles:\n  anonymous: {{}}\naccess:\n{access}"
        ),
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "l.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri())],
        dir.path(),
    );
    assert_eq!(run.code, 1);
    assert_valid_junit(&report);
    for (p, _, detector) in &samples {
        let case = format!("//testcase[@name='GET {p} as anonymous: allow']");
        if *detector == "version_banner" {
            // A server-scope detector: its own check, once per origin; the cell passes.
            assert_eq!(count(&report, &format!("{case}[not(failure)]")), 1, "{p}");
            let host = server.uri().trim_start_matches("http://").to_string();
            let banner = format!("//testcase[@name='leakage {host}: version_banner']");
            let message = xpath(&report, &format!("string({banner}/failure/@message)"));
            assert!(message.contains("Apache/2.4.41"), "{p}: {message:?}");
        } else if detector.is_empty() {
            assert_eq!(
                count(&report, &format!("{case}[not(failure)]")),
                1,
                "{p} is a look-alike:\n{}",
                run.stdout
            );
        } else {
            let message = xpath(&report, &format!("string({case}/failure/@message)"));
            assert!(
                message.contains(&format!("({detector}, CWE-")),
                "{p}: expected {detector} in {message:?}"
            );
            assert!(message.contains("OWASP API"), "{message}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn detectors_can_be_turned_off_and_the_report_says_so() {
    let server = MockServer::start().await;
    Mock::given(path("/boom"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\nValueError: x",
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let suite = |leakage: &str| {
        format!(
            "suite: s\ntarget:\n  base_url: ${{env:API_URL}}\n{leakage}roles:\n  anonymous: {{}}\naccess:\n  - request: GET /boom\n    allow: [anonymous]\n  - request: GET /boom?again=1\n    allow: [anonymous]\n  - request: GET /boom?again=2\n    allow: [anonymous]\n"
        )
    };
    let env = [("API_URL", server.uri())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (leakage, warning) in [
        ("leakage: off\n", "leakage detection is off for this suite"),
        (
            "leakage: { ignore: [stack_trace, file_path] }\n",
            "leak detectors turned off for this suite: stack_trace, file_path",
        ),
    ] {
        write(dir.path(), "s.yaml", &suite(leakage));
        let report = dir.path().join("r.xml");
        let run = authspec(
            &["run", "s.yaml", "--junit", report.to_str().unwrap()],
            &env,
            dir.path(),
        );
        assert_eq!(run.code, 0, "{leakage}: {}", run.stdout);
        // Each check carries it; the summary says it once.
        assert_eq!(run.stdout.matches(warning).count(), 1, "{}", run.stdout);
        assert_eq!(count(&report, "//testcase/system-out"), 3);
        assert!(xpath(&report, "string(//testcase/system-out)").contains(warning));
    }
    write(
        dir.path(),
        "s.yaml",
        &suite("leakage: { ignore: [stack_trac] }\n"),
    );
    let run = authspec(&["validate", "s.yaml"], &env, dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown leak detector `stack_trac`")
            && run.stderr.contains("did you mean `stack_trace`?"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_echoed_in_base64_is_found_and_shown_redacted() {
    let token = fake_secret("b64");
    let echoed = base64::engine::general_purpose::STANDARD.encode(format!("Bearer {token}"));
    let server = MockServer::start().await;
    Mock::given(path("/me"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "debug": echoed })),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.yaml",
        "suite: canary\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\naccess:\n  - request: GET /me\n    allow: [user]\n",
    );
    let run = authspec(
        &["run", "c.yaml"],
        &[("API_URL", &server.uri()), ("T", &token)],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("a credential of this run (user.bearer/base64) (secret_canary, CWE-200"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("«redacted:user.bearer/base64»"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains(&echoed[10..30]),
        "the encoded token was shown:\n{}",
        run.stdout
    );
}

/// Responses no test case of their own reports are scanned too: a role's `proof:`
/// request that leaks fails the denies relying on it. A self-link naming the target's
/// own loopback address is not an internal-address leak.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proof_responses_are_scanned_and_self_links_are_not_leaks() {
    let server = MockServer::start().await;
    let me = format!("{}/orders?page=2", server.uri());
    for (p, status, body) in [
        (
            "/me",
            200,
            "Traceback (most recent call last):\n  File \"/app/me.py\", line 3, in me\nKeyError: 'x'".to_string(),
        ),
        ("/admin", 403, String::new()),
        ("/orders", 200, format!("{{\"next\": \"{me}\"}}")),
    ] {
        Mock::given(path(p))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.yaml",
        "suite: proofs\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  reader:\n    bearer: ${env:T}\n    proof: GET /me\naccess:\n  - request: GET /admin\n    deny: [reader]\nscenarios:\n  - name: self links\n    as: reader\n    request: GET /orders\n    expect: { status: 200 }\n",
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "p.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri()), ("T", &fake_secret("reader"))],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(count(&report, "//testcase"), 2, "{}", run.stdout);
    assert_eq!(
        count(
            &report,
            "//testcase[contains(@name, 'GET /admin')][failure]"
        ),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Python stack trace") && run.stdout.contains("reader's proof"),
        "{}",
        run.stdout
    );
    assert_eq!(
        count(&report, "//testcase[contains(@name, 'self links')][not(*)]"),
        1,
        "{}",
        run.stdout
    );
}
