//! A skip is visible to a gate: a probe whose every case was skipped is a warning on the
//! console, the summary line counts skips, and `--fail-on-skip` (or `fail_on_skip: true`
//! in a suite, or in the `authspec.yaml` a feature takes its roles from) turns each
//! skipped case into an error, exit 3 (no finding, but checks that judged nothing). A run without skips passes with the flag too.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `/me` accepts exactly alice's opaque token.
async fn api(token: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    server
}

/// Both mutations need a JWT: on an opaque token, each is skipped.
const SKIPPING: &str = "[alg_none, claims_tampered]";
/// Both apply to any token, and the API refuses them.
const JUDGED: &str = "[truncated, random]";

fn suite(mutations: &str, extra: &str) -> String {
    format!(
        "suite: skips
target:
  base_url: ${{env:API_URL}}
roles:
  alice:
    bearer: ${{env:ALICE_TOKEN}}
probes:
  - tokens:
      as: alice
      request: GET /me
      mutations: {mutations}
{extra}"
    )
}

struct Env {
    _server: MockServer,
    url: String,
    token: String,
}

async fn env() -> Env {
    let token = fake_secret("alice");
    let server = api(&token).await;
    Env {
        url: server.uri(),
        _server: server,
        token,
    }
}

fn run(e: &Env, dir: &std::path::Path, file: &str, flags: &[&str]) -> (Run, std::path::PathBuf) {
    let report = dir.join("r.xml");
    let mut args = vec!["run", file, "--junit", report.to_str().unwrap()];
    args.extend_from_slice(flags);
    let run = authspec(
        &args,
        &[("API_URL", &e.url), ("ALICE_TOKEN", &e.token)],
        dir,
    );
    assert!(!run.all_output().contains(&e.token), "{}", run.all_output());
    (run, report)
}

const WARNING: &str =
    "every case of probe `tokens GET /me as alice` was skipped: it judged nothing";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_whose_every_case_was_skipped_is_a_warning_and_the_summary_counts_skips() {
    let e = env().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &suite(SKIPPING, ""));
    let (run, report) = run(&e, dir.path(), "s.yaml", &[]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains(WARNING), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("2 checks: 0 passed, 0 failed, 0 errors, 2 skipped"),
        "{}",
        run.stdout
    );
    assert_eq!(count(&report, "//testcase[skipped]"), 2);
    // A probe that judged something is no such warning.
    write(dir.path(), "j.yaml", &suite(JUDGED, ""));
    let (run, _) = self::run(&e, dir.path(), "j.yaml", &[]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(!run.stdout.contains("was skipped"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_on_skip_turns_each_skip_into_an_error_and_a_judged_run_still_passes() {
    let e = env().await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &suite(SKIPPING, ""));
    let (run, report) = run(&e, dir.path(), "s.yaml", &["--fail-on-skip"]);
    assert_eq!(run.code, 3, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase[error]"), 2, "{}", run.stdout);
    let message = xpath(&report, "string(//testcase[1]/error/@message)");
    assert!(
        message.contains("skipped (the token is opaque")
            && message.contains("--fail-on-skip makes a skip fail the run"),
        "{message}"
    );
    assert!(
        run.stdout
            .contains("2 checks: 0 passed, 0 failed, 2 errors, 0 skipped"),
        "{}",
        run.stdout
    );
    // The sound twin: nothing skipped, nothing fails.
    write(dir.path(), "j.yaml", &suite(JUDGED, ""));
    let (run, report) = self::run(&e, dir.path(), "j.yaml", &["--fail-on-skip"]);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert_eq!(count(&report, "//testcase[not(*)]"), 2, "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_on_skip_in_a_suite_or_in_the_config_of_a_feature_fails_the_run() {
    let e = env().await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s.yaml",
        &suite(SKIPPING, "fail_on_skip: true\n"),
    );
    let (run, report) = run(&e, dir.path(), "s.yaml", &[]);
    assert_eq!(run.code, 3, "{}", run.all_output());
    let message = xpath(&report, "string(//testcase[1]/error/@message)");
    assert!(
        message.contains("`fail_on_skip: true` makes a skip fail the run"),
        "{message}"
    );
    // Gherkin: the feature inherits `fail_on_skip:` from its authspec.yaml.
    let feature = "Feature: skips\n  Scenario: doctored tokens\n    Then the tokens probe passes with:\n      | as        | alice                   |\n      | request   | GET /me                 |\n      | mutations | alg_none, claims_tampered |\n";
    for (setting, code, errors) in [("", 0, 0), ("fail_on_skip: true\n", 3, 2)] {
        let g = tempfile::tempdir().unwrap();
        write(
            g.path(),
            "authspec.yaml",
            &format!(
                "target:\n  base_url: ${{env:API_URL}}\nroles:\n  alice:\n    bearer: ${{env:ALICE_TOKEN}}\n{setting}"
            ),
        );
        write(g.path(), "s.feature", feature);
        let (run, report) = self::run(&e, g.path(), "s.feature", &[]);
        assert_eq!(run.code, code, "{setting}\n{}", run.all_output());
        assert_eq!(
            count(&report, "//testcase[error]"),
            errors,
            "{}",
            run.stdout
        );
    }
}
