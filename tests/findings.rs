//! Findings and errors are data: the engine's results carry the rule id, CWE/OWASP, the
//! request, expected and actual, the suite location and the leaks as fields, and a
//! refused connection is a typed harness error, not a string.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use authspec::engine::{self, CaChoice, RunOptions};
use authspec::load::{LoadContext, LoadOptions, load_paths};
use authspec::plan::{Selection, plan};
use authspec::redact::Redactor;
use authspec::results::{
    CheckResult, ErrorKind, FindingKind, HarnessError, Outcome, TransportKind,
};
use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRACE: &str = "java.lang.NullPointerException: null\n\tat com.acme.shop.OrderService.place(OrderService.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:833)";

async fn run(suite: &str) -> Vec<CheckResult> {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.yaml", suite);
    let redactor = Arc::new(Redactor::new());
    let ctx = LoadContext::process(Vec::new());
    let options = LoadOptions {
        ctx: &ctx,
        redactor: &redactor,
        config: None,
    };
    let suites = load_paths(&[file], &options).unwrap();
    let checks = plan(&suites, &Selection::default());
    let options = RunOptions {
        jobs: 2,
        timeout: std::time::Duration::from_secs(5),
        max_body: Default::default(),
        demo: None,
        demo_endpoints: None,
        seed: Some(1),
        upstream_ca: CaChoice::Fresh,
        fail_on_skip: false,
        sharded: false,
    };
    let mut results = Vec::new();
    engine::run(suites, &checks, options, redactor, |_, r| results.push(r))
        .await
        .unwrap();
    results
}

fn named<'a>(results: &'a [CheckResult], name: &str) -> &'a Outcome {
    &results.iter().find(|r| r.name == name).unwrap().outcome
}

#[tokio::test]
async fn access_findings_carry_their_rule_request_expectation_and_location() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/orders/1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(path("/boom"))
        .respond_with(ResponseTemplate::new(500).set_body_string(TRACE))
        .mount(&server)
        .await;
    let suite = format!(
        "suite: typed\ntarget: {{ base_url: {} }}\nroles:\n  anonymous: {{}}\naccess:\n  - request: DELETE /orders/1\n    deny: [anonymous]\n  - request: GET /boom\n    allow: [anonymous]\nscenarios:\n  - name: deletes answer 200\n    steps:\n      - as: anonymous\n        request: DELETE /orders/1\n        expect: {{ status: 200 }}\n",
        server.uri()
    );
    let results = run(&suite).await;

    let Outcome::Fail(f) = named(&results, "DELETE /orders/1 as anonymous: deny") else {
        panic!("{results:#?}")
    };
    assert_eq!(f.rule.as_str(), "access.deny");
    assert_eq!((f.kind, f.first_cwe()), (FindingKind::Access, Some(285)));
    assert!(f.owasp.is_some_and(|o| o.starts_with("API1:2023")));
    let request = f.evidence.request.as_ref().unwrap();
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.url, format!("{}/orders/1", server.uri()));
    assert_eq!(request.role.as_deref(), Some("anonymous"));
    assert_eq!(f.evidence.expected.as_deref(), Some("refused (401 or 403)"));
    assert_eq!(f.evidence.actual.as_ref().unwrap().status, "204 No Content");
    let at = f.evidence.location.as_ref().unwrap();
    // The `anonymous` of `deny: [anonymous]`: the entry that made this check.
    assert_eq!((at.line, at.column), (7, 12), "{at}");
    assert!(at.file.ends_with("s.yaml"));
    assert!(f.detail().contains(&format!("--> {at}")));

    let Outcome::Fail(f) = named(&results, "GET /boom as anonymous: allow") else {
        panic!("{results:#?}")
    };
    assert_eq!(f.rule.as_str(), "access.allow");
    let leak = f.evidence.leaks.first().unwrap();
    assert_eq!(leak.rule.as_str(), "leak.stack_trace");
    assert_eq!((leak.detector, leak.cwe), ("stack_trace", 209));

    let Outcome::Fail(f) = named(&results, "deletes answer 200") else {
        panic!("{results:#?}")
    };
    assert_eq!(f.rule.as_str(), "scenario.expectation");
    assert_eq!(f.kind, FindingKind::Assertion);
    assert_eq!(f.evidence.problems.len(), 1, "{:#?}", f.evidence);
    assert_eq!(
        f.evidence.problems[0].to_string(),
        "status: expected 200, got 204 No Content"
    );
    assert_eq!(f.evidence.location.as_ref().unwrap().line, 14);
}

#[tokio::test]
async fn a_refused_connection_is_a_typed_harness_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let suite = format!(
        "suite: down\ntarget: {{ base_url: http://127.0.0.1:{port} }}\nroles:\n  anonymous: {{}}\naccess:\n  - request: GET /orders\n    allow: [anonymous]\n"
    );
    let results = run(&suite).await;
    let Outcome::Error(e) = named(&results, "GET /orders as anonymous: allow") else {
        panic!("{results:#?}")
    };
    let ErrorKind::Harness(HarnessError::Transport(t)) = &e.kind else {
        panic!("{e:#?}")
    };
    assert_eq!(t.kind, TransportKind::ConnectRefused);
    assert!(
        e.message
            .starts_with("the request could not be made: GET http://127.0.0.1:")
    );
}
