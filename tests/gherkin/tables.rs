//! Data tables of request modifiers reach the server, the key quality step passes and
//! fails, and bad tables are validation errors pointing at the offending cell.

use wiremock::matchers::{any, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const CONFIG: &str = "target:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_and_query_tables_reach_the_server_with_references_resolved() {
    let key = fake_secret("partner");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .and(header("x-tenant", "t1"))
        .and(header("x-api-key", key.as_str()))
        .and(query_param("q", "gadget"))
        .and(query_param("limit", "10"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // Anything else, including a missing header or parameter, is refused.
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "authspec.yaml", CONFIG);
    let feature = |extra_row: &str| {
        format!(
            "Feature: t\n  Scenario: tables\n    Given I am \"user\"\n    And the request headers are:\n      | X-Tenant  | t1                 |\n      | X-Api-Key | ${{env:PARTNER_KEY}} |\n    And the query parameters are:\n      | q     | gadget |\n{extra_row}    When I send \"GET /orders\"\n    Then access is allowed\n"
        )
    };
    let token = fake_secret("user");
    let env = [
        ("API_URL", server.uri()),
        ("T", token.clone()),
        ("PARTNER_KEY", key.clone()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    write(
        dir.path(),
        "t.feature",
        &feature("      | limit | 10     |\n"),
    );
    let run = authspec(&["run", "t.feature"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    // Without the `limit` row the server refuses: the table is what reached it.
    write(dir.path(), "t.feature", &feature(""));
    let run = authspec(&["run", "t.feature"], &env, dir.path());
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(run.stdout.contains("got 403 Forbidden"), "{}", run.stdout);
    assert!(
        !run.all_output().contains(&key),
        "the referenced key leaked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_quality_step_passes_for_a_random_key_and_fails_for_a_weak_one() {
    let strong = "k3Jd9_Qm2ZxV8pLw0RtY6uHs4NcB1aEf7GjKq5WeTz".to_string();
    for (key, code) in [(strong, 0), ("abc123abc123".to_string(), 1)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/keys"))
            .respond_with(
                ResponseTemplate::new(201).set_body_json(serde_json::json!({ "api_key": key })),
            )
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "authspec.yaml", CONFIG);
        write(
            dir.path(),
            "k.feature",
            "Feature: k\n  Scenario: issue a key\n    Given I am \"user\"\n    When I send \"POST /keys\"\n    Then the response status is 201\n    And the JSON at \"$.api_key\" is a key of at least 32 characters and 128 bits of entropy\n",
        );
        let token = fake_secret("user");
        let run = authspec(
            &["run", "k.feature"],
            &[("API_URL", &server.uri()), ("T", &token)],
            dir.path(),
        );
        assert_eq!(run.code, code, "{}", run.all_output());
        assert!(
            !run.all_output().contains(&key),
            "the issued key was printed"
        );
        if code == 1 {
            for says in [
                "has 12 characters, expected at least 32",
                "bits of entropy, expected at least 128",
            ] {
                assert!(run.stdout.contains(says), "{says} in\n{}", run.stdout);
            }
        }
    }
}

#[test]
fn bad_tables_are_errors_at_the_offending_cell() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "authspec.yaml", CONFIG);
    let literal = fake_secret("whsec");
    let cases: Vec<(String, &str, Vec<&str>)> = vec![
        (
            "Feature: f\n  Scenario: s\n    Then the rate limit probe passes with:\n      | as     | user        |\n      | reqest | GET /search |\n".into(),
            "f.feature:5:9",
            vec!["unknown key `reqest` of `rate_limit`", "did you mean `request`?"],
        ),
        (
            "Feature: f\n  Scenario: s\n    Then the rate limit probe passes with:\n      | as    | user        |\n      | request | GET /search |\n      | burst | 0           |\n".into(),
            "f.feature:6:17",
            vec!["`burst` must be between 1 and 10000"],
        ),
        (
            "Feature: f\n  Scenario: s\n    Then the headers probe passes with:\n".into(),
            "f.feature:3:5",
            vec!["this step needs a data table", "keys: as, requests"],
        ),
        (
            "Feature: f\n  Scenario: s\n    Then the headers probe passes with:\n      | as | user |\n".into(),
            "f.feature:3:5",
            vec!["`headers` needs `requests`"],
        ),
        (
            format!("Feature: f\n  Scenario: s\n    Then the webhooks probe passes with:\n      | request | POST /hooks |\n      | scheme  | stripe      |\n      | secret  | {literal} |\n      | payload | {{ id: 1 }}   |\n"),
            "f.feature:6:19",
            vec!["literal credential in `probes[0].webhooks.secret`"],
        ),
        (
            // Right under the step: the snippet of "needs `secret`" shows that row too.
            format!("Feature: f\n  Scenario: s\n    Then the webhooks probe passes with:\n      | secrt   | {literal} |\n      | request | POST /hooks |\n      | scheme  | stripe      |\n      | payload | {{ id: 1 }}   |\n"),
            "f.feature:4:9",
            vec!["unknown key `secrt` of `webhooks`", "did you mean `secret`?"],
        ),
        (
            format!("Feature: f\n  Scenario: s\n    Given I am \"user\"\n    And the request headers are:\n      | Authorization | Bearer {literal} |\n    When I send \"GET /a\"\n"),
            "f.feature:5:9",
            vec!["literal credential in header `Authorization`"],
        ),
        (
            "Feature: f\n  Scenario: s\n    Given I am \"user\"\n    And the query parameters are:\n      | name | value |\n      | q    | x     |\n    When I send \"GET /a\"\n".into(),
            "f.feature:5:9",
            vec!["a step's table has no header row"],
        ),
        (
            "Feature: f\n  Background:\n    Then the headers probe passes with:\n      | as       | user   |\n      | requests | GET /a |\n  Scenario: s\n    Given I am \"user\"\n".into(),
            "f.feature:3:5",
            vec!["a probe step cannot be in a Background"],
        ),
        (
            "Feature: f\n  Scenario: s\n    Given I am \"user\"\n    When I send \"GET /a\"\n    Then the headers probe passes with:\n      | as       | user   |\n      | requests | GET /a |\n".into(),
            "f.feature:2:3",
            vec!["this scenario both sends requests and runs a probe"],
        ),
    ];
    let token = fake_secret("user");
    let env = [("API_URL", "http://127.0.0.1:9"), ("T", token.as_str())];
    for (text, at, says) in &cases {
        write(dir.path(), "f.feature", text);
        let run = authspec(&["validate", "f.feature"], &env, dir.path());
        assert_eq!(run.code, 2, "{text}\n{}", run.all_output());
        assert!(run.stderr.contains(at), "expected {at} in\n{}", run.stderr);
        for s in says {
            assert!(run.stderr.contains(s), "expected {s:?} in\n{}", run.stderr);
        }
        assert!(
            !run.all_output().contains(&literal),
            "a literal credential was shown:\n{}",
            run.stderr
        );
    }
}

#[test]
fn outline_rows_fill_placeholders_in_probe_tables() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target:\n  base_url: http://127.0.0.1:9\nroles:\n  anonymous: {}\n  user:\n    bearer: ${env:T}\n",
    );
    let feature = |rows: &str| {
        format!(
            "Feature: o\n  Scenario Outline: <who> is rate limited\n    Then the rate limit probe passes with:\n      | as      | <who>       |\n      | request | GET /search |\n      | burst   | <burst>     |\n\n    Examples:\n      | who  | burst |\n{rows}"
        )
    };
    let token = fake_secret("user");
    let env = [("T", token.as_str())];
    write(
        dir.path(),
        "o.feature",
        &feature("      | user      | 30 |\n      | anonymous | 40 |\n"),
    );
    let run = authspec(&["validate", "o.feature"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("2 check(s)"), "{}", run.stdout);
    write(dir.path(), "o.feature", &feature("      | user | many |\n"));
    let run = authspec(&["validate", "o.feature"], &env, dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("o.feature:6:19: `burst` is a whole number, not `many`"),
        "{}",
        run.stderr
    );
}
