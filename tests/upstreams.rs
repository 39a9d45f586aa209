//! Stub upstreams and a SUT started by authspec, end to end: the Python checkout
//! service in scenarios/checkout.py verifies certificates on `/checkout` and does
//! not on `/checkout/insecure`, so every upstream certificate shows both outcomes; the
//! `expect.upstream` assertions and the internal-body canary too. The SUT's lifecycle
//! is in `upstreams/sut.rs`; fixed ports, `upstream-ca` and suite errors in
//! `upstreams/fixed.rs`.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "upstreams/faults.rs"]
mod faults;
#[path = "upstreams/fixed.rs"]
mod fixed;
#[path = "upstreams/sut.rs"]
mod sut;

use std::path::{Path, PathBuf};

use common::*;

/// The checkout SUT of the sample and the acceptance file.
pub fn checkout_py() -> String {
    repo_root()
        .join("scenarios/checkout.py")
        .display()
        .to_string()
}

/// A suite with the payments upstream and the checkout SUT, then `scenarios`.
pub fn suite(upstream_extra: &str, scenarios: &str) -> String {
    format!(
        r#"suite: Checkout
upstreams:
  payments:{upstream_extra}
    routes:
      - request: POST /v1/charges
        respond:
          status: 200
          json: {{ id: ch_1, status: succeeded, note: "risk-note-4242/internal" }}
sut:
  command: [python3, "{py}"]
  env:
    PORT: "{{{{sut.port}}}}"
    PAYMENTS_URL: "{{{{upstreams.payments.url}}}}"
    PAYMENTS_CA_FILE: "{{{{upstreams.ca_file}}}}"
    PAYMENTS_API_KEY: ${{env:PAYMENTS_API_KEY}}
  ready: GET /health
target:
  base_url: "{{{{sut.url}}}}"
roles:
  customer:
    bearer: ${{env:CUSTOMER_TOKEN}}
scenarios:
{scenarios}"#,
        py = checkout_py()
    )
}

pub struct Outcome {
    pub run: Run,
    pub report: PathBuf,
    pub secrets: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Outcome {
    /// `pass`, `failure` or `error` for the test case `name`.
    pub fn of(&self, name: &str) -> &'static str {
        let case = format!("//testcase[@name='{name}']");
        assert_eq!(
            count(&self.report, &case),
            1,
            "no case {name}: {}",
            self.run.all_output()
        );
        if count(&self.report, &format!("{case}[failure]")) == 1 {
            "failure"
        } else if count(&self.report, &format!("{case}[error]")) == 1 {
            "error"
        } else {
            "pass"
        }
    }

    /// The failure or error message and text, and system-out, of `name`.
    pub fn text(&self, name: &str) -> String {
        let case = format!("//testcase[@name='{name}']");
        [
            "failure/@message",
            "failure",
            "error/@message",
            "error",
            "system-out",
        ]
        .iter()
        .map(|p| xpath(&self.report, &format!("string({case}/{p})")))
        .collect::<Vec<_>>()
        .join("\n")
    }
}

/// Runs `yaml` with fake secrets; the report must validate and hold no secret.
pub fn run_suite(yaml: &str, extra_args: &[&str]) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "checkout.yaml", yaml);
    let report = dir.path().join("report.xml");
    let key = fake_secret("payments-key");
    let token = fake_secret("customer");
    // Relative, as a user in the suite's directory types it (the SUT runs in ".").
    let mut args = vec!["run", "checkout.yaml", "--junit", report.to_str().unwrap()];
    args.extend_from_slice(extra_args);
    let env = [
        ("PAYMENTS_API_KEY", key.as_str()),
        ("CUSTOMER_TOKEN", token.as_str()),
    ];
    let run = authspec(&args, &env, dir.path());
    assert!(report.exists(), "no report: {}", run.all_output());
    assert_valid_junit(&report);
    let xml = std::fs::read_to_string(&report).unwrap();
    for s in [&key, &token] {
        assert!(!xml.contains(s.as_str()) && !run.all_output().contains(s.as_str()));
    }
    Outcome {
        run,
        report,
        secrets: vec![key, token],
        _dir: dir,
    }
}

const BAD: [(&str, &str); 6] = [
    ("expired", "an expired certificate"),
    ("not_yet_valid", "a certificate that is not yet valid"),
    ("self_signed", "a self-signed certificate"),
    ("wrong_host", "a certificate for another host"),
    ("untrusted_ca", "a certificate from an untrusted CA"),
    ("plain_http", "plain HTTP (no TLS)"),
];

#[test]
fn every_upstream_certificate_shows_both_outcomes() {
    let mut scenarios = String::new();
    for (variant, _) in BAD {
        for (path, who) in [
            ("/checkout", "verifying"),
            ("/checkout/insecure", "insecure"),
        ] {
            scenarios.push_str(&format!(
                "  - name: {who} {variant}\n    upstream_tls: {{ payments: {variant} }}\n    as: customer\n    request: POST {path}\n    json: {{ amount: 100 }}\n    expect: {{ status: [502, 503] }}\n"
            ));
        }
    }
    let out = run_suite(&suite("", &scenarios), &[]);
    assert_eq!(out.run.code, 1, "{}", out.run.all_output());
    for (variant, described) in BAD {
        let good = format!("verifying {variant}");
        assert_eq!(out.of(&good), "pass", "{}", out.text(&good));
        let note = out.text(&good);
        assert!(
            note.contains(&format!("presented {described}: the SUT refused it")),
            "{note}"
        );
        let bad = format!("insecure {variant}");
        assert_eq!(out.of(&bad), "failure", "{}", out.text(&bad));
        let text = out.text(&bad);
        assert!(
            text.contains(&format!(
                "the SUT completed 1 request(s) to `payments` over {described}"
            )),
            "{text}"
        );
        assert!(text.contains("POST /v1/charges"), "{text}");
    }
    // A TLS hello to a plain-HTTP upstream is told apart from a refused certificate.
    assert!(
        out.text("verifying plain_http")
            .contains("started TLS, got plain HTTP")
    );
    assert!(out.text("verifying expired").contains("alert"));
}

#[test]
fn upstream_assertions_pass_and_fail() {
    let scenarios = r#"  - name: the key travels in a header
    as: customer
    request: POST /checkout
    json: { amount: 100 }
    expect:
      status: 200
      upstream:
        payments:
          requests: 1
          request: POST /v1/charges
          header: { Authorization: "Bearer ${env:PAYMENTS_API_KEY}" }
          header_present: [Content-Type]
          header_absent: [X-Debug]
          query_has_no_secret: true
  - name: the insecure path puts the key in the query
    as: customer
    request: POST /checkout/insecure
    json: { amount: 100 }
    expect:
      status: 200
      upstream:
        payments:
          header_present: [Authorization]
          query_has_no_secret: true
  - name: wrong count, line and headers
    as: customer
    request: POST /checkout
    json: { amount: 100 }
    expect:
      upstream:
        payments:
          requests: 2
          request: PUT /v1/charges
          header: { Authorization: "Bearer ${env:CUSTOMER_TOKEN}", Content-Type: text/plain }
          header_absent: [Content-Type]
"#;
    let out = run_suite(&suite("", scenarios), &[]);
    assert_eq!(
        out.of("the key travels in a header"),
        "pass",
        "{}",
        out.text("the key travels in a header")
    );

    let query = out.text("the insecure path puts the key in the query");
    assert_eq!(
        out.of("the insecure path puts the key in the query"),
        "failure"
    );
    assert!(query.contains("has no `Authorization` header"), "{query}");
    assert!(
        query.contains(
            "carries a credential of the run in its query string (sut.env.PAYMENTS_API_KEY"
        ),
        "{query}"
    );

    let wrong = out.text("wrong count, line and headers");
    for expected in [
        "upstream `payments` received 1 request(s), expected 2: POST /v1/charges",
        "request 1 to `payments` (POST /v1/charges) is not `PUT /v1/charges`",
        "has a different `Authorization` (",
        "has `Content-Type: application/json`, expected `text/plain`",
        "carries `Content-Type`, which must be absent",
    ] {
        assert!(wrong.contains(expected), "missing {expected:?} in {wrong}");
    }
}

#[test]
fn an_internal_upstream_body_in_a_response_is_a_leak() {
    let scenarios = r#"  - name: checkout keeps the upstream answer to itself
    as: customer
    request: POST /checkout
    json: { amount: 100 }
    expect: { status: 200 }
  - name: debug echoes the upstream answer
    as: customer
    request: POST /checkout/debug
    json: { amount: 100 }
    expect: { status: 200 }
"#;
    let out = run_suite(&suite("\n    internal: true", scenarios), &[]);
    assert_eq!(
        out.of("checkout keeps the upstream answer to itself"),
        "pass"
    );
    assert_eq!(out.of("debug echoes the upstream answer"), "failure");
    let text = out.text("debug echoes the upstream answer");
    assert!(text.contains("upstreams.payments.body"), "{text}");
    let xml = std::fs::read_to_string(&out.report).unwrap();
    assert!(
        !xml.contains("risk-note-4242"),
        "the internal value is shown"
    );
}

#[test]
fn a_scenario_whose_sut_never_calls_the_bad_upstream_is_an_error() {
    let scenarios = "  - name: never calls\n    upstream_tls: { payments: expired }\n    as: customer\n    request: GET /health\n    expect: { status: 200 }\n";
    let out = run_suite(&suite("", scenarios), &[]);
    assert_eq!(out.of("never calls"), "error");
    assert!(
        out.text("never calls")
            .contains("the SUT never tried it (it never called it)")
    );
    // An error and no finding: exit 3.
    assert_eq!(out.run.code, 3);
}

/// Whether process `pid` is gone (or only a zombie waiting for its new parent).
pub fn gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

pub fn read_pid(path: &Path) -> u32 {
    std::fs::read_to_string(path)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn how_the_sut_meets_a_bad_certificate_is_told_apart() {
    let scenario = |name: &str, tls: &str, path: &str| {
        format!(
            "  - name: {name}\n    upstream_tls: {{ payments: {tls} }}\n    as: customer\n    request: POST {path}\n    json: {{ amount: 1 }}\n    expect: {{ status: [502, 503] }}\n"
        )
    };
    let valid = |name: &str| {
        format!(
            "  - name: {name}\n    as: customer\n    request: POST /checkout/pooled\n    json: {{ amount: 1 }}\n    expect: {{ status: 200, upstream: {{ payments: {{ requests: 1 }} }} }}\n"
        )
    };
    let scenarios = [
        scenario("downgrade", "expired", "/checkout/fallback"),
        scenario("tcp only", "expired", "/checkout/probe-only"),
        scenario(
            "judged after the handshake",
            "expired",
            "/checkout/handshake-only",
        ),
        valid("pooled before"),
        scenario("pooled expired", "expired", "/checkout/pooled"),
        valid("pooled after"),
    ]
    .concat();
    let out = run_suite(&suite("", &scenarios), &["--jobs", "1"]);
    assert_eq!(out.of("downgrade"), "failure");
    let text = out.text("downgrade");
    assert!(
        text.contains("the SUT sent its request in plain HTTP instead"),
        "{text}"
    );
    assert_eq!(out.of("tcp only"), "error");
    assert!(
        out.text("tcp only")
            .contains("it connected but never started TLS")
    );
    assert_eq!(out.of("judged after the handshake"), "pass");
    let note = out.text("judged after the handshake");
    assert!(
        note.contains("completed the handshake, then closed without a request"),
        "{note}"
    );
    // A kept-alive connection does not carry a request past a certificate switch.
    for name in ["pooled before", "pooled expired", "pooled after"] {
        assert_eq!(out.of(name), "pass", "{name}: {}", out.text(name));
    }
    assert!(out.text("pooled expired").contains("the SUT refused it"));
}
