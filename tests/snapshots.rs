//! Snapshots of what users read: the sample run (console and JUnit), `validate` of the
//! samples, and the error of each bad suite and bad feature. They pin the output down to
//! the byte, so a refactoring can show it changed nothing; what varies from run to run
//! (durations, ports, dates, the order in which concurrent checks finish) is filtered.
//!
//! A change of output is reviewed with `cargo insta review` (or `INSTA_UPDATE=always`
//! and `git diff tests/snapshots/`); in CI (`CI=true`) a mismatch fails the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "bad_suites/cases.rs"]
mod cases;
mod common;

use std::path::Path;

use common::*;
use regex::Regex;

/// What varies between runs of the same command, and what it becomes in a snapshot.
/// Applied in this order (the rate line's `in 0.00 s` before the summary's).
const VOLATILE: &[(&str, &str)] = &[
    // Listeners bind port 0: the demo (plain and HTTPS), the SUT, stub upstreams.
    (r"\b(127\.0\.0\.1|localhost):\d+", "$1:[PORT]"),
    // The rate-limit probe's burst: how many requests left before the 429s stopped it.
    (
        r"\d+ requests in \d+\.\d+ s \(\d+ req/s\)",
        "[N] requests in [SECS] s ([RATE] req/s)",
    ),
    // Per-check durations on the console, the run's on the summary line.
    (r"\(\d+ ms\)", "([MS] ms)"),
    (r"\bin \d+\.\d+ s$", "in [SECS] s"),
    // HTTP dates (the `date:` header a failure shows).
    (
        r"\b[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b",
        "[HTTP-DATE]",
    ),
    // JUnit attributes.
    (r#"\btime="[0-9.]+""#, r#"time="[SECS]""#),
    (r#"\btimestamp="[^"]+""#, r#"timestamp="[TIMESTAMP]""#),
];

fn scrub(text: &str) -> String {
    VOLATILE
        .iter()
        .fold(text.to_string(), |text, (pattern, to)| {
            let re = Regex::new(&format!("(?m){pattern}")).unwrap();
            re.replace_all(&text, *to).into_owned()
        })
}

/// insta settings with the [`VOLATILE`] filters and `dir` (a temporary directory)
/// written as `[TMP]`.
fn settings(dir: &Path) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.add_filter(&regex::escape(&dir.display().to_string()), "[TMP]");
    for (pattern, to) in VOLATILE {
        settings.add_filter(&format!("(?m){pattern}"), *to);
    }
    settings
}

/// Exit code, stdout and stderr, the way ruff's and insta-cmd's CLI snapshots read.
fn transcript(run: &Run) -> String {
    format!(
        "exit code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        run.code, run.stdout, run.stderr
    )
}

/// The console's progress lines (one per check, each with its indented detail lines)
/// come in the order the concurrent checks finish: sorts that first block, as scrubbed,
/// and keeps the rest (failures in full, warnings, counts) exactly as printed.
fn sort_progress(stdout: &str) -> String {
    let (progress, rest) = match stdout.split_once("\n\n") {
        Some((progress, rest)) => (progress, Some(rest)),
        None => (stdout.trim_end_matches('\n'), None),
    };
    let mut entries: Vec<String> = Vec::new();
    for line in progress.lines() {
        match entries.last_mut() {
            Some(entry) if line.starts_with(' ') => {
                entry.push('\n');
                entry.push_str(line);
            }
            _ => entries.push(line.to_string()),
        }
    }
    entries.sort_by_cached_key(|entry| scrub(entry));
    let mut sorted = entries.join("\n");
    match rest {
        Some(rest) => {
            sorted.push_str("\n\n");
            sorted.push_str(rest);
        }
        None => sorted.push('\n'),
    }
    sorted
}

/// The README's first command: every sample suite and feature against the built-in demo
/// target (and the sample SUT), with its deliberate findings.
#[test]
fn sample_run_console_and_junit() {
    let tmp = tempfile::tempdir().unwrap();
    let junit = tmp.path().join("report.xml");
    let run = authspec(
        &["run", "--junit", junit.to_str().unwrap()],
        &[],
        &repo_root(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    let xml = std::fs::read_to_string(&junit).expect("the JUnit report is written");
    let console = Run {
        code: run.code,
        stdout: sort_progress(&run.stdout),
        stderr: run.stderr.clone(),
    };
    settings(tmp.path()).bind(|| {
        insta::assert_snapshot!("sample_run", transcript(&console));
        insta::assert_snapshot!("sample_run_junit", xml);
    });
}

#[test]
fn sample_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let run = authspec(&["validate"], &[], &repo_root());
    assert_eq!(run.code, 0, "{}", run.all_output());
    settings(tmp.path()).bind(|| {
        insta::assert_snapshot!("sample_validate", transcript(&run));
    });
}

fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Every row of `tests/bad_suites/cases.rs`: `validate --require-env` and `run` both refuse
/// it the same way, with exit code 2 and this exact error.
#[test]
fn bad_suite_errors() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases::cases() {
        write(dir.path(), "bad.yaml", &case.suite());
        let env = [("READER_TOKEN", "fake-reader")];
        let validate = authspec(&["validate", "--require-env", "bad.yaml"], &env, dir.path());
        let run = authspec(&["run", "bad.yaml"], &env, dir.path());
        assert_eq!(validate.code, 2, "{}: {}", case.name, validate.all_output());
        assert_eq!(
            transcript(&run),
            transcript(&validate),
            "{}: run and validate differ",
            case.name
        );
        let mut settings = settings(dir.path());
        settings.set_description(format!("{}\n\nbad.yaml:\n{}", case.name, case.suite()));
        settings.bind(|| {
            insta::assert_snapshot!(
                format!("bad_suite_{}", slug(case.name)),
                transcript(&validate)
            );
        });
    }
}

/// Bad features (the cases of `tests/gherkin.rs`), with an `authspec.yaml` beside them.
#[test]
fn bad_feature_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target: demo\nroles:\n  reader:\n    bearer: ${demo:reader_token}\n",
    );
    let cases: &[(&str, &str)] = &[
        (
            "unknown step",
            "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n    When I send \"GET /orders\"\n    Then acess is allowed\n",
        ),
        (
            "unknown role",
            "Feature: f\n  Scenario: s\n    Given I am \"raeder\"\n    When I send \"GET /orders\"\n",
        ),
        (
            "expectation before a request",
            "Feature: f\n  Scenario: s\n    Then access is allowed\n",
        ),
        (
            "doc string is not JSON",
            "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n    When I send \"GET /orders\" with JSON:\n      \"\"\"\n      {not json\n      \"\"\"\n",
        ),
        (
            "outline without examples",
            "Feature: f\n  Scenario Outline: s\n    Given I am \"<who>\"\n    When I send \"GET /orders\"\n",
        ),
        ("not gherkin", "Feture: f\n"),
        (
            "background error in two scenarios",
            "Feature: f\n  Background:\n    Given I am \"raeder\"\n  Scenario: one\n    When I send \"GET /a\"\n  Scenario: two\n    When I send \"GET /b\"\n",
        ),
    ];
    for (name, text) in cases {
        write(dir.path(), "f.feature", text);
        let run = authspec(&["validate", "f.feature"], &[], dir.path());
        assert_eq!(run.code, 2, "{name}: {}", run.all_output());
        let mut settings = settings(dir.path());
        settings.set_description(format!("{name}\n\nf.feature:\n{text}"));
        settings.bind(|| {
            insta::assert_snapshot!(format!("bad_feature_{}", slug(name)), transcript(&run));
        });
    }
}
