//! `--waivers FILE`: a live waiver turns exactly the findings it matches into skips with
//! its reason and owner; an expired one leaves the finding failing and says so; one that
//! matched nothing is a warning; a bad waiver file is invalid input at its position.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

const SUITE: &str = "scenarios/orders.yaml";

#[test]
fn a_live_waiver_skips_its_finding_and_an_expired_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write(
        dir.path(),
        "waivers.yaml",
        "waivers:\n\
         \x20 - check: \"DELETE /orders/* as reader: deny\"\n\
         \x20   rule: access.deny\n\
         \x20   reason: delete is behind a feature flag until the fix ships\n\
         \x20   owner: team-orders\n\
         \x20   expires: 2999-12-31\n\
         \x20 - check: server errors do not leak internals\n\
         \x20   reason: accepted last quarter\n\
         \x20   owner: team-platform\n\
         \x20   expires: 2020-01-31\n\
         \x20 - check: \"GET /nothing as nobody: deny\"\n\
         \x20   reason: stale\n\
         \x20   owner: team-gone\n\
         \x20   expires: 2999-12-31\n",
    );
    let report = dir.path().join("report.xml");
    let sarif = dir.path().join("report.sarif");
    let json = dir.path().join("report.json");
    let run = authspec(
        &[
            "run",
            SUITE,
            "--waivers",
            waivers.to_str().unwrap(),
            "--junit",
            report.to_str().unwrap(),
            "--sarif",
            sarif.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
        &[],
        &repo_root(),
    );
    let out = run.all_output();
    assert_valid_junit(&report);
    let case =
        |name: &str, what: &str| count(&report, &format!("//testcase[@name='{name}']/{what}"));
    // Waived: skipped, with the reason and the owner.
    let deny = "DELETE /orders/1 as reader: deny";
    assert_eq!(case(deny, "skipped"), 1, "{out}");
    assert_eq!(case(deny, "failure"), 0, "{out}");
    let skipped = xpath(
        &report,
        &format!("string(//testcase[@name='{deny}']/skipped/@message)"),
    );
    assert!(
        skipped.contains("team-orders") && skipped.contains("feature flag"),
        "{skipped}"
    );
    // Expired: still a failure, and the run says the waiver ran out.
    let leak = "server errors do not leak internals";
    assert_eq!(case(leak, "failure"), 1, "{out}");
    assert!(out.contains("expired on 2020-01-31"), "{out}");
    // The stale waiver is named.
    assert!(
        out.contains("GET /nothing as nobody: deny") && out.contains("matched no finding"),
        "{out}"
    );
    // The expired waiver leaves a finding: the gate still fails.
    assert_eq!(run.code, 1, "{out}");
    // SARIF: the waived finding is a suppressed result (external, the reason as its
    // justification); the expired one is an ordinary result.
    let deny_result = sarif_result(&sarif, deny).expect("the waived finding is in the SARIF");
    assert_eq!(deny_result["ruleId"], "access.deny");
    let suppression = &deny_result["suppressions"][0];
    assert_eq!(suppression["kind"], "external", "{deny_result}");
    let why = suppression["justification"].as_str().unwrap();
    assert!(
        why.contains("feature flag") && why.contains("team-orders"),
        "{why}"
    );
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("tests/schemas/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let leak_result = sarif_result(&sarif, leak).expect("the expired waiver's finding");
    assert!(leak_result.get("suppressions").is_none(), "{leak_result}");
    // JSON: the skip carries the waiver and the finding it accepted.
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let entry = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == deny)
        .unwrap();
    assert_eq!(entry["outcome"]["status"], "skipped");
    assert_eq!(entry["outcome"]["waiver"]["owner"], "team-orders");
    assert_eq!(entry["outcome"]["waiver"]["finding"]["rule"], "access.deny");
}

/// The SARIF result of the check named `name`.
fn sarif_result(path: &std::path::Path, name: &str) -> Option<serde_json::Value> {
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .is_some_and(|q| q.ends_with(&format!(" › {name}")))
        })
        .cloned()
}

#[test]
fn without_waivers_the_same_findings_fail() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.xml");
    let sarif = dir.path().join("report.sarif");
    let run = authspec(
        &[
            "run",
            SUITE,
            "--junit",
            report.to_str().unwrap(),
            "--sarif",
            sarif.to_str().unwrap(),
        ],
        &[],
        &repo_root(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    let deny = sarif_result(&sarif, "DELETE /orders/1 as reader: deny").unwrap();
    assert!(deny.get("suppressions").is_none(), "{deny}");
    assert_eq!(
        count(
            &report,
            "//testcase[@name='DELETE /orders/1 as reader: deny']/failure"
        ),
        1
    );
    assert_eq!(count(&report, "//testcase[skipped]"), 0);
}

#[test]
fn a_waiver_without_an_owner_is_invalid_input_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let waivers = write(
        dir.path(),
        "waivers.yaml",
        "waivers:\n  - rule: access.deny\n    reason: because\n    expires: 2999-01-01\n",
    );
    let run = authspec(
        &["run", SUITE, "--waivers", waivers.to_str().unwrap()],
        &[],
        &repo_root(),
    );
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.stderr.contains("waivers.yaml:2:") && run.stderr.contains("waiver without `owner`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_waiver_with_a_bad_date_or_an_unknown_field_is_invalid_input() {
    let dir = tempfile::tempdir().unwrap();
    for (text, expected) in [
        (
            "waivers:\n  - rule: access.deny\n    reason: r\n    owner: o\n    expires: soon\n",
            "waivers.yaml:5:14",
        ),
        (
            "waivers:\n  - rule: access.deny\n    reason: r\n    owner: o\n    expires: 2999-01-01\n    until: 2999-01-01\n",
            "until",
        ),
    ] {
        let waivers = write(dir.path(), "waivers.yaml", text);
        let run = authspec(
            &["run", SUITE, "--waivers", waivers.to_str().unwrap()],
            &[],
            &repo_root(),
        );
        assert_eq!(run.code, 2, "{}", run.all_output());
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
}
