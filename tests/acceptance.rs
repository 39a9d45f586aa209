//! The foundation issue's acceptance file, unchanged, against the demo orders API started
//! by the test on 127.0.0.1: exact outcome counts, messages, redaction, schema.

mod common;

use authspec::demo::{DemoCredentials, DemoServer};
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_acceptance_file_has_the_exact_outcome() {
    let creds = DemoCredentials::random();
    let server = DemoServer::start(creds.clone(), None).await.unwrap();
    let ghost = fake_secret("ghost");
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.xml");
    let suite = repo_root().join("tests/acceptance/orders.yaml");
    let url = server.url();
    let env = [
        ("ORDERS_API_URL", url.as_str()),
        ("READER_TOKEN", creds.reader_token.as_str()),
        ("WRITER_TOKEN", creds.writer_token.as_str()),
        ("PARTNER_KEY", creds.partner_key.as_str()),
        ("GHOST_TOKEN", ghost.as_str()),
    ];
    let run = authspec(
        &[
            "run",
            suite.to_str().unwrap(),
            "--junit",
            report.to_str().unwrap(),
        ],
        &env,
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_valid_junit(&report);

    assert_eq!(count(&report, "//testcase"), 16);
    assert_eq!(count(&report, "//testcase[failure]"), 3);
    assert_eq!(count(&report, "//testcase[error]"), 1);
    assert_eq!(count(&report, "//testsuite"), 1);
    assert_eq!(
        count(
            &report,
            "//testcase[@classname='Orders API access control']"
        ),
        16
    );
    for name in [
        "DELETE /orders/1 as reader: deny",
        "GET /orders as ghost: allow",
        "server errors do not leak internals",
    ] {
        assert_eq!(
            count(&report, &format!("//testcase[@name='{name}']/failure")),
            1,
            "{name}"
        );
    }
    let error = xpath(
        &report,
        "string(//testcase[@name='POST /orders as ghost: deny']/error/@message)",
    );
    assert_eq!(error, "vacuous deny: role ghost was never authenticated");

    // A failure says what was expected, what came back and which request it was.
    let delete = xpath(
        &report,
        "string(//testcase[@name='DELETE /orders/1 as reader: deny']/failure)",
    );
    assert!(
        delete.contains("expected: refused (401 or 403)"),
        "{delete}"
    );
    assert!(delete.contains("got:      204 No Content"), "{delete}");
    assert!(
        delete.contains(&format!("DELETE {url}/orders/1")),
        "{delete}"
    );
    assert!(delete.contains("orders.yaml:28:"), "{delete}");
    let ghost_allow = xpath(
        &report,
        "string(//testcase[@name='GET /orders as ghost: allow']/failure/@message)",
    );
    assert_eq!(ghost_allow, "allow expected (2xx), got 401 Unauthorized");

    // The leak echoes the reader's token: it must show only as a marker.
    let leak = xpath(
        &report,
        "string(//testcase[@name='server errors do not leak internals']/failure)",
    );
    assert!(leak.contains("java.lang."), "{leak}");
    assert!(
        leak.contains("Authorization: Bearer «redacted:reader.bearer»"),
        "{leak}"
    );

    let junit = std::fs::read_to_string(&report).unwrap();
    for secret in [
        &creds.reader_token,
        &creds.writer_token,
        &creds.partner_key,
        &ghost,
    ] {
        assert!(!run.stdout.contains(secret.as_str()), "secret in stdout");
        assert!(!run.stderr.contains(secret.as_str()), "secret in stderr");
        assert!(!junit.contains(secret.as_str()), "secret in the JUnit file");
    }
    assert!(
        run.stdout
            .contains("16 checks: 12 passed, 3 failed, 1 errors, 0 skipped"),
        "{}",
        run.stdout
    );
}

/// Issue 5's stub-upstream example, unchanged, with its SUT (tests/acceptance/checkout.py)
/// started by authspec: the valid upstream is used, the expired one refused.
#[test]
fn checkout_acceptance_file_passes_with_a_verifying_sut() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.xml");
    let suite = repo_root().join("tests/acceptance/checkout.yaml");
    let key = fake_secret("payments-key");
    let token = fake_secret("customer");
    let env = [
        ("PAYMENTS_API_KEY", key.as_str()),
        ("CUSTOMER_TOKEN", token.as_str()),
    ];
    let args = [
        "run",
        suite.to_str().unwrap(),
        "--junit",
        report.to_str().unwrap(),
    ];
    let run = authspec(&args, &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase"), 2);
    assert_eq!(count(&report, "//testcase[failure or error]"), 0);
    let note = xpath(
        &report,
        "string(//testcase[@name='checkout refuses an upstream with an expired certificate']/system-out)",
    );
    assert!(
        note.contains("presented an expired certificate: the SUT refused it"),
        "{note}"
    );
}
