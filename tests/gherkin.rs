//! Gherkin features compile into the same model as YAML suites: the issue's acceptance
//! files with exact counts, tag filtering, Outline/Background/Rule expansion, step
//! errors with suggestions, config inheritance, and mixed YAML + Gherkin runs; probes
//! data tables and upstream faults in `gherkin/`.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "gherkin/faults.rs"]
mod faults;
#[path = "gherkin/probes.rs"]
mod probes;
#[path = "gherkin/tables.rs"]
mod tables;

use authspec::demo::{DemoCredentials, DemoServer};
use common::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Demo {
    _server: DemoServer,
    env: Vec<(String, String)>,
    secrets: Vec<String>,
}

async fn demo() -> Demo {
    let creds = DemoCredentials::random();
    let server = DemoServer::start(creds.clone(), None).await.unwrap();
    let env = vec![
        ("ORDERS_API_URL".to_string(), server.url()),
        ("READER_TOKEN".to_string(), creds.reader_token.clone()),
        ("WRITER_TOKEN".to_string(), creds.writer_token.clone()),
    ];
    Demo {
        _server: server,
        env,
        secrets: vec![creds.reader_token, creds.writer_token],
    }
}

fn env_of(d: &Demo) -> Vec<(&str, &str)> {
    d.env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acceptance_feature_has_the_exact_outcome_with_and_without_tags() {
    let d = demo().await;
    let dir = tempfile::tempdir().unwrap();
    let features = repo_root().join("tests/acceptance/gherkin");
    let report = dir.path().join("r.xml");
    let run = authspec(
        &[
            "run",
            features.to_str().unwrap(),
            "--junit",
            report.to_str().unwrap(),
        ],
        &env_of(&d),
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase"), 7);
    assert_eq!(count(&report, "//testcase[failure]"), 2);
    assert_eq!(count(&report, "//testcase[error]"), 0, "{}", run.stdout);
    assert_eq!(
        count(
            &report,
            "//testcase[@name='readers may not delete orders']/failure"
        ),
        1
    );
    assert_eq!(
        count(
            &report,
            "//testcase[@name='server errors do not leak internals']/failure"
        ),
        1
    );
    assert_eq!(
        count(
            &report,
            "//testcase[starts-with(@name, 'only writers may create orders')]"
        ),
        3
    );
    let junit = std::fs::read_to_string(&report).unwrap();
    for s in &d.secrets {
        assert!(
            !run.all_output().contains(s.as_str()) && !junit.contains(s.as_str()),
            "a credential leaked"
        );
    }

    let tagged = dir.path().join("t.xml");
    let run = authspec(
        &[
            "run",
            features.to_str().unwrap(),
            "--tags",
            "not @leak",
            "--junit",
            tagged.to_str().unwrap(),
        ],
        &env_of(&d),
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_eq!(count(&tagged, "//testcase"), 6);
    assert_eq!(count(&tagged, "//testcase[failure]"), 1);
    let only_leak = authspec(
        &[
            "run",
            features.to_str().unwrap(),
            "--tags",
            "@orders and @leak",
        ],
        &env_of(&d),
        dir.path(),
    );
    assert!(
        only_leak.stdout.contains("1 checks: 0 passed, 1 failed"),
        "{}",
        only_leak.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outline_rows_background_and_rules_expand_into_separate_checks() {
    let server = MockServer::start().await;
    // Only requests that carry the Background's header succeed.
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("x-tenant", "t1"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:USER_TOKEN}\n",
    );
    write(
        dir.path(),
        "items.feature",
        r#"@items
Feature: items
  Background:
    Given I am "user"
    And the request header "X-Tenant" is "t1"

  Scenario Outline: <what> items
    When I send "GET /items"
    Then the response status is <status>

    @smoke
    Examples: good
      | what | status |
      | list | 200    |

    Examples: wrong
      | what  | status |
      | wrong | 500    |

  Rule: a rule
    @ruled
    Scenario: inside the rule
      When I send "GET /items"
      Then access is allowed
"#,
    );
    let env = [
        ("API_URL", server.uri()),
        ("USER_TOKEN", fake_secret("user")),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", ".", "--junit", report.to_str().unwrap()],
        &env,
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    let names: Vec<String> = (1..=count(&report, "//testcase"))
        .map(|i| xpath(&report, &format!("string((//testcase)[{i}]/@name)")))
        .collect();
    assert_eq!(names, ["list items", "wrong items", "inside the rule"]);
    assert_eq!(count(&report, "//testcase[@name='wrong items']/failure"), 1);
    let smoke = authspec(&["run", ".", "--tags", "@smoke"], &env, dir.path());
    assert!(
        smoke.stdout.contains("1 checks: 1 passed"),
        "{}",
        smoke.stdout
    );
    let ruled = authspec(
        &["run", ".", "--tags", "@items and @ruled"],
        &env,
        dir.path(),
    );
    assert!(
        ruled.stdout.contains("1 checks: 1 passed"),
        "{}",
        ruled.stdout
    );
}

#[test]
fn unknown_steps_and_bad_features_exit_2_with_a_pointer_and_suggestions() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target: demo\nroles:\n  reader:\n    bearer: ${demo:reader_token}\n",
    );
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n    When I send \"GET /orders\"\n    Then acess is allowed\n",
            "f.feature:5:5",
            &[
                "unknown step `Then acess is allowed`",
                "did you mean `access is allowed`",
            ],
        ),
        (
            "Feature: f\n  Scenario: s\n    Given I am \"raeder\"\n    When I send \"GET /orders\"\n",
            "f.feature:3:5",
            &["unknown role `raeder`", "did you mean `reader`?"],
        ),
        (
            "Feature: f\n  Scenario: s\n    Then access is allowed\n",
            "f.feature:3:5",
            &["no request yet"],
        ),
        (
            "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n    When I send \"GET /orders\" with JSON:\n      \"\"\"\n      {not json\n      \"\"\"\n",
            "f.feature:4:5",
            &["the doc string is not JSON"],
        ),
        (
            "Feature: f\n  Scenario Outline: s\n    Given I am \"<who>\"\n    When I send \"GET /orders\"\n",
            "f.feature:2:3",
            &["has no Examples"],
        ),
        ("Feture: f\n", "f.feature:", &["this is not valid Gherkin"]),
    ];
    for (text, at, says) in cases {
        write(dir.path(), "f.feature", text);
        let run = authspec(&["validate", "f.feature"], &[], dir.path());
        assert_eq!(run.code, 2, "{text}\n{}", run.all_output());
        assert!(run.stderr.contains(at), "expected {at} in\n{}", run.stderr);
        for s in *says {
            assert!(run.stderr.contains(s), "expected {s:?} in\n{}", run.stderr);
        }
    }
    std::fs::remove_file(dir.path().join("authspec.yaml")).unwrap();
    write(
        dir.path(),
        "f.feature",
        "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n    When I send \"GET /\"\n",
    );
    let run = authspec(&["validate", "f.feature"], &[], dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no authspec.yaml applies to this feature"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yaml_and_gherkin_run_together_into_one_report_and_yaml_inherits_the_config() {
    let d = demo().await;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("suites")).unwrap();
    std::fs::copy(
        repo_root().join("tests/acceptance/gherkin/authspec.yaml"),
        root.join("suites/authspec.yaml"),
    )
    .unwrap();
    std::fs::copy(
        repo_root().join("tests/acceptance/gherkin/orders.feature"),
        root.join("suites/orders.feature"),
    )
    .unwrap();
    // No target, no roles: both come from suites/authspec.yaml.
    write(
        &root.join("suites"),
        "inherited.yaml",
        "suite: inherited\ntags: [yaml]\naccess:\n  - request: GET /orders\n    tags: [smoke]\n    allow: [reader]\n    deny: [anonymous]\n",
    );
    // Its own roles override the config's.
    write(
        &root.join("suites"),
        "own.yaml",
        "suite: own roles\nroles:\n  visitor: {}\naccess:\n  - request: GET /orders\n    deny: [visitor]\n",
    );
    let report = root.join("r.xml");
    let run = authspec(
        &["run", "suites", "--junit", report.to_str().unwrap()],
        &env_of(&d),
        root,
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testsuite"), 3);
    assert_eq!(count(&report, "//testcase"), 7 + 2 + 1);
    assert_eq!(
        count(
            &report,
            "//testsuite[@name='inherited']/testcase[failure or error]"
        ),
        0
    );
    let smoke = authspec(&["run", "suites", "--tags", "@smoke"], &env_of(&d), root);
    assert!(
        smoke.stdout.contains("2 checks: 2 passed"),
        "{}",
        smoke.stdout
    );
    let yaml = authspec(
        &["run", "suites", "--tags", "@yaml and not @smoke"],
        &env_of(&d),
        root,
    );
    assert_eq!(
        yaml.code,
        2,
        "the tags match nothing: {}",
        yaml.all_output()
    );
    let bad = authspec(&["run", "suites", "--tags", "@a and"], &env_of(&d), root);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("invalid tag expression"),
        "{}",
        bad.stderr
    );
}

#[test]
fn steps_prints_the_catalogue_the_matcher_uses() {
    let run = authspec(&["steps"], &[], &repo_root());
    assert_eq!(run.code, 0);
    for def in authspec::load::STEP_CATALOGUE {
        assert!(run.stdout.contains(def.pattern), "{} missing", def.pattern);
    }
}

#[test]
fn features_refuse_literal_credentials_ignored_tables_and_report_background_errors_once() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target: demo\nroles:\n  reader:\n    bearer: ${demo:reader_token}\n",
    );
    let cases: &[(&str, &str)] = &[
        (
            "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n    And the request header \"Authorization\" is \"Bearer fake-literal-xyz\"\n    When I send \"GET /orders\"\n",
            "literal credential in header `Authorization`",
        ),
        (
            "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n    When I send \"GET /orders\"\n    Then access is allowed\n      | a | b |\n",
            "this step takes no data table",
        ),
        (
            "Feature: f\n  Scenario: s\n    Given I am \"reader\"\n      \"\"\"\n      text\n      \"\"\"\n    When I send \"GET /orders\"\n",
            "this step takes no doc string",
        ),
    ];
    for (text, says) in cases {
        write(dir.path(), "f.feature", text);
        let run = authspec(&["validate", "f.feature"], &[], dir.path());
        assert_eq!(run.code, 2, "{text}");
        assert!(
            run.stderr.contains(says),
            "expected {says:?} in\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("fake-literal-xyz"), "{}", run.stderr);
    }
    write(
        dir.path(),
        "f.feature",
        "Feature: f\n  Background:\n    Given I am \"raeder\"\n  Scenario: one\n    When I send \"GET /a\"\n  Scenario: two\n    When I send \"GET /b\"\n",
    );
    let run = authspec(&["validate", "f.feature"], &[], dir.path());
    assert_eq!(
        run.stderr.matches("unknown role `raeder`").count(),
        2,
        "once in the headline, once in the report:\n{}",
        run.stderr
    );
}
