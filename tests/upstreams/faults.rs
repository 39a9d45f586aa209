//! Upstream faults against the checkout SUT: each fault kind meets `/checkout` (timeouts,
//! bounded retries with growing pauses, bounded reads, generic errors) and a path that
//! does not cope (`/checkout/careless`: no timeout, no retry, the upstream's answer passed
//! on; `/checkout/retry-constant`: retries, but always after the same pause). Both
//! outcomes are asserted for every kind.

use super::{run_suite, suite};

fn scenario(name: &str, fault: &str, path: &str, expect: &str) -> String {
    format!(
        "  - name: {name}\n    upstream_faults: {{ payments: {fault} }}\n    as: customer\n    request: POST {path}\n    json: {{ amount: 100 }}\n    expect: {expect}\n"
    )
}

#[test]
fn every_fault_kind_passes_a_sut_that_copes_and_fails_one_that_does_not() {
    let unavailable = "{ status: [502, 503, 504], within: 5s }";
    let cases = [
        ("delay", "{ delay: 30s }", unavailable),
        ("reset", "{ reset: true }", unavailable),
        ("truncated", "{ malformed: truncated }", unavailable),
        ("not json", "{ malformed: not_json }", unavailable),
        ("huge", "{ huge_body: 4MiB }", unavailable),
        ("slow body", "{ slow_body: 20s }", unavailable),
        (
            "auth error",
            "{ status: 401, json: { error: \"invalid api key\", detail: \"${random:upstream_detail}\" } }",
            "{ status: [502, 503], body_not_contains: [\"invalid api key\"], within: 5s }",
        ),
    ];
    let mut scenarios = String::new();
    for (kind, fault, expect) in cases {
        scenarios += &scenario(&format!("copes with {kind}"), fault, "/checkout", expect);
        scenarios += &scenario(
            &format!("careless with {kind}"),
            fault,
            "/checkout/careless",
            expect,
        );
    }
    let out = run_suite(&suite("", &scenarios), &[]);
    for (kind, _, _) in cases {
        assert_eq!(
            out.of(&format!("copes with {kind}")),
            "pass",
            "{kind}: {}",
            out.text(&format!("copes with {kind}"))
        );
        // The careless path hangs, is reset, or passes the upstream's answer on.
        let careless = format!("careless with {kind}");
        assert_ne!(
            out.of(&careless),
            "pass",
            "{kind}: {}",
            out.run.all_output()
        );
    }
    let hang = out.text("careless with delay");
    assert!(hang.contains("did not answer within 5 s"), "{hang}");
    assert_eq!(out.of("careless with delay"), "failure");
    // The upstream's own error, and the value only the fault sent, reached the customer.
    let leaked = out.text("careless with auth error");
    assert!(
        leaked.contains("invalid api key") || leaked.contains("upstream_faults"),
        "{leaked}"
    );
    assert!(!leaked.contains("upstream_detail-"), "{leaked}");
}

#[test]
fn retries_with_growing_pauses_pass_and_constant_pauses_fail_backoff() {
    let fault = "{ sequence: [503, 503, 200] }";
    let expect = "\n      status: 200\n      upstream:\n        payments: { requests: 3, backoff: increasing }";
    let mut scenarios = scenario("backs off", fault, "/checkout", expect);
    scenarios += &scenario("constant pauses", fault, "/checkout/retry-constant", expect);
    scenarios += &scenario("no retry", fault, "/checkout/careless", expect);
    scenarios += &scenario(
        "bounded",
        "{ sequence: [503, 503, 503, 503, 503] }",
        "/checkout",
        "\n      status: 503\n      upstream:\n        payments: { requests: { min: 2, max: 3 } }",
    );
    let out = run_suite(&suite("", &scenarios), &[]);
    assert_eq!(out.of("backs off"), "pass", "{}", out.text("backs off"));
    assert_eq!(out.of("bounded"), "pass", "{}", out.text("bounded"));
    assert_eq!(out.of("constant pauses"), "failure");
    let constant = out.text("constant pauses");
    assert!(
        constant.contains("without increasing backoff") && constant.contains(" ms, "),
        "{constant}"
    );
    assert_eq!(out.of("no retry"), "failure");
    let none = out.text("no retry");
    assert!(none.contains("503"), "{none}");
}
