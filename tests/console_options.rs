//! `--color auto|always|never`, `--quiet` and `authspec completions SHELL`, against a
//! flawed server and its sound twin where the console's content depends on it.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use common::*;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn api(flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer fake-user-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(if flawed { 200 } else { 401 }))
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: items\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\n  user:\n    bearer: ${env:USER_TOKEN}\naccess:\n  - request: GET /items\n    allow: [user]\n    deny: [anonymous]\n";

fn run(server: &MockServer, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let mut args = vec!["run", "s.yaml"];
    args.extend_from_slice(extra);
    let uri = server.uri();
    authspec(
        &args,
        &[("API_URL", &uri), ("USER_TOKEN", "fake-user-token")],
        dir.path(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn color_is_what_the_flag_says() {
    let server = api(true).await;
    // The tests' environment sets NO_COLOR and stdout is a pipe: auto means plain.
    for (flag, colored) in [
        (None, false),
        (Some("never"), false),
        (Some("always"), true),
    ] {
        let extra: Vec<&str> = flag.map(|f| vec!["--color", f]).unwrap_or_default();
        let out = run(&server, &extra);
        assert_eq!(out.code, 1, "{}", out.all_output());
        assert_eq!(
            out.stdout.contains("\u{1b}["),
            colored,
            "{flag:?}: {}",
            out.stdout
        );
        assert!(out.stdout.contains("FAIL"), "{}", out.stdout);
    }
    let bad = run(&server, &["--color", "sometimes"]);
    assert_eq!(bad.code, 2, "{}", bad.all_output());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_prints_failures_and_counts_but_no_line_per_check() {
    let flawed = api(true).await;
    let loud = run(&flawed, &[]);
    let quiet = run(&flawed, &["--quiet"]);
    assert_eq!((loud.code, quiet.code), (1, 1));
    assert!(
        loud.stdout
            .contains("PASS  items › GET /items as user: allow"),
        "{}",
        loud.stdout
    );
    assert!(!quiet.stdout.contains("PASS "), "{}", quiet.stdout);
    assert!(
        quiet.stdout.contains("Failures and errors:"),
        "{}",
        quiet.stdout
    );
    assert!(
        quiet
            .stdout
            .contains("FAIL  items › GET /items as anonymous: deny"),
        "{}",
        quiet.stdout
    );
    assert!(
        quiet.stdout.contains("2 checks: 1 passed, 1 failed"),
        "{}",
        quiet.stdout
    );

    let sound = api(false).await;
    let quiet = run(&sound, &["-q"]);
    assert_eq!(quiet.code, 0, "{}", quiet.all_output());
    assert_eq!(
        quiet.stdout.trim(),
        quiet.stdout.trim().lines().last().unwrap().trim()
    );
    assert!(
        quiet.stdout.contains("2 checks: 2 passed, 0 failed"),
        "{}",
        quiet.stdout
    );
}

#[test]
fn completions_name_the_subcommands_and_report_options() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef authspec"),
        ("fish", "complete -c authspec"),
    ] {
        let out = authspec(&["completions", shell], &[], dir.path());
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}: {}", out.stdout);
        for word in ["run", "validate", "sarif", "html", "junit"] {
            assert!(out.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let bad = authspec(&["completions", "tcsh"], &[], dir.path());
    assert_eq!(bad.code, 2);
}
