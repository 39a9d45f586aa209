//! Upstream faults and `within` said in Gherkin (tests/acceptance/faults): against the
//! sample SUT, the resilient /checkout passes the three fault scenarios and the careless
//! paths fail theirs, each for its own reason; a step naming an upstream the config does
//! not have, or a bad duration, is invalid input at the step.

use crate::common::*;

#[test]
fn the_resilient_checkout_passes_and_the_careless_paths_fail_the_same_faults() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.xml");
    let run = authspec(
        &[
            "run",
            "tests/acceptance/faults",
            "--junit",
            report.to_str().unwrap(),
        ],
        &[],
        &repo_root(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase"), 6, "{}", run.stdout);
    for passes in [
        "a hanging payments API does not hang checkout",
        "transient 503s are retried with backoff, and not forever",
        "an upstream auth error is not passed on to the user",
    ] {
        assert_eq!(
            count(&report, &format!("//testcase[@name='{passes}'][not(*)]")),
            1,
            "{passes}: {}",
            run.stdout
        );
    }
    // The failure's message and its detail block.
    let failure = |name: &str| {
        let at = format!("//testcase[@name='{name}']/failure");
        let message = xpath(&report, &format!("string({at}/@message)"));
        format!("{message}\n{}", xpath(&report, &format!("string({at})")))
    };
    let hang = failure("the careless checkout does not hang on a hanging payments API");
    assert!(hang.contains("did not answer within 5 s"), "{hang}");
    let constant = failure("retries after a constant pause are no backoff");
    assert!(
        constant.contains("without increasing backoff") && constant.contains("gaps"),
        "{constant}"
    );
    let passed_on = failure("the careless checkout does not pass an upstream auth error on");
    assert!(
        passed_on.contains("must not contain \"invalid api key\"")
            && passed_on.contains("secret_canary"),
        "{passed_on}"
    );
    // The fault's `${random:…}` value is a canary, and redacted wherever it shows.
    assert!(
        passed_on.contains("«redacted:upstream_faults.payments»"),
        "{passed_on}"
    );
}

#[test]
fn an_unknown_upstream_or_a_bad_duration_in_a_step_is_invalid_input_at_the_step() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "upstreams:\n  payments:\n    routes:\n      - request: POST /v1/charges\n\
         sut:\n  command: [python3, sut.py]\n  ready: GET /health\n\
         target:\n  base_url: \"{{sut.url}}\"\nroles:\n  customer: {}\n",
    );
    write(
        dir.path(),
        "f.feature",
        "Feature: f\n\
         \x20 Scenario: s\n\
         \x20   Given I am \"customer\"\n\
         \x20   And the upstream \"paymnts\" delays 30s\n\
         \x20   When I send \"POST /checkout\"\n\
         \x20   Then the upstream \"ledger\" received 3 requests\n\
         \x20 Scenario: t\n\
         \x20   Given I am \"customer\"\n\
         \x20   And the upstream \"payments\" sends a slow body over 30x\n\
         \x20   When I send \"POST /checkout\"\n\
         \x20   Then the response arrives within 2h\n",
    );
    let run = authspec(&["validate", "f.feature"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    let e = &run.stderr;
    assert!(
        e.contains("unknown upstream `paymnts`") && e.contains("f.feature:4:5"),
        "{e}"
    );
    assert!(e.contains("did you mean `payments`?"), "{e}");
    assert!(
        e.contains("unknown upstream `ledger`") && e.contains("f.feature:6:5"),
        "{e}"
    );
    assert!(
        e.contains("`slow_body` takes a duration") && e.contains("f.feature:9:5"),
        "{e}"
    );
    assert!(
        e.contains("`within` takes a duration") && e.contains("f.feature:11:5"),
        "{e}"
    );
    // The sound twin: the same feature with the config's upstream name and good
    // durations validates.
    write(
        dir.path(),
        "f.feature",
        "Feature: f\n\
         \x20 Scenario: s\n\
         \x20   Given I am \"customer\"\n\
         \x20   And the upstream \"payments\" delays 30s\n\
         \x20   When I send \"POST /checkout\"\n\
         \x20   Then the upstream \"payments\" received between 1 and 3 requests\n\
         \x20   And the response arrives within 5s\n",
    );
    let run = authspec(&["validate", "f.feature"], &[], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
}

#[test]
fn two_faults_for_one_upstream_or_a_fault_without_upstreams_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target: demo\nroles:\n  reader:\n    bearer: ${demo:reader_token}\n",
    );
    write(
        dir.path(),
        "f.feature",
        "Feature: f\n\
         \x20 Scenario: s\n\
         \x20   Given I am \"reader\"\n\
         \x20   And the upstream \"payments\" resets the connection\n\
         \x20   And the upstream \"payments\" answers 503\n\
         \x20   When I send \"GET /orders\"\n",
    );
    let run = authspec(&["validate", "f.feature"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    let e = &run.stderr;
    assert!(
        e.contains("already has a fault in this scenario") && e.contains("f.feature:5:5"),
        "{e}"
    );
    assert!(
        e.contains("unknown upstream `payments`") && e.contains("no `upstreams:`"),
        "{e}"
    );
}

#[test]
fn a_yaml_suite_without_upstreams_has_its_configs_and_one_with_its_own_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "upstreams:\n  payments:\n    routes:\n      - request: POST /v1/charges\n\
         sut:\n  command: [python3, sut.py]\n  ready: GET /health\n\
         target:\n  base_url: \"{{sut.url}}\"\nroles:\n  customer: {}\n",
    );
    let scenario = "scenarios:\n  - name: s\n    upstream_faults: { payments: { reset: true } }\n    as: customer\n    request: POST /checkout\n    expect: { status: [502, 503] }\n";
    write(
        dir.path(),
        "inherits.yaml",
        &format!("suite: i\n{scenario}"),
    );
    let run = authspec(&["validate", "inherits.yaml"], &[], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    // Its own `upstreams:` replace the config's (and its own `sut:` goes with them).
    write(
        dir.path(),
        "own.yaml",
        &format!(
            "suite: o\nupstreams:\n  ledger:\n    routes:\n      - request: GET /v1/x\n\
             sut:\n  command: [python3, sut.py]\n  ready: GET /health\n{scenario}"
        ),
    );
    let run = authspec(&["validate", "own.yaml"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.stderr.contains("unknown upstream `payments`") && run.stderr.contains("own.yaml:"),
        "{}",
        run.stderr
    );
}
