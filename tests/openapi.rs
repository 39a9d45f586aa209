//! Issue 19: an access matrix from an OpenAPI document's security requirements, and
//! coverage of its operations. One test API honours the spec (public, scoped, API-key
//! and mixed operations); its flawed twin leaves one operation without its auth check
//! (`GET /partner/orders`) and does not enforce one scope (`orders:write` on `POST
//! /orders`): the twin fails exactly those cells. Coverage is listed with and without
//! `coverage.min`; OpenAPI 3.0 (JSON) and 3.1 (YAML) documents give the same matrix; a
//! document that does not parse and an unknown role under `openapi.roles` are exit 2.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

struct Creds {
    reader: String,
    writer: String,
    partner: String,
}

impl Creds {
    fn new() -> Self {
        Self {
            reader: fake_secret("reader"),
            writer: fake_secret("writer"),
            partner: fake_secret("partner"),
        }
    }

    fn env<'a>(&'a self, url: &'a str) -> Vec<(&'a str, &'a str)> {
        vec![
            ("API_URL", url),
            ("READER_TOKEN", &self.reader),
            ("WRITER_TOKEN", &self.writer),
            ("PARTNER_KEY", &self.partner),
        ]
    }
}

#[derive(Clone, PartialEq)]
enum Caller {
    Nobody,
    Invalid,
    Scopes(Vec<&'static str>),
    Partner,
}

fn caller(c: &(String, String, String), r: &Request) -> Caller {
    if let Some(key) = r.headers.get("x-api-key") {
        return if key.as_bytes() == c.2.as_bytes() {
            Caller::Partner
        } else {
            Caller::Invalid
        };
    }
    let Some(auth) = r.headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Caller::Nobody;
    };
    match auth.strip_prefix("Bearer ") {
        Some(t) if t == c.0 => Caller::Scopes(vec!["orders:read"]),
        Some(t) if t == c.1 => Caller::Scopes(vec!["orders:read", "orders:write"]),
        _ => Caller::Invalid,
    }
}

/// 401 without (valid) credentials, 403 with ones `ok` refuses, `None` to go on.
fn gate(who: &Caller, ok: impl Fn(&Caller) -> bool) -> Option<ResponseTemplate> {
    match who {
        Caller::Nobody | Caller::Invalid => Some(ResponseTemplate::new(401)),
        w if ok(w) => None,
        _ => Some(ResponseTemplate::new(403)),
    }
}

fn scope(s: &'static str) -> impl Fn(&Caller) -> bool {
    move |w| matches!(w, Caller::Scopes(held) if held.contains(&s))
}

/// The API the spec describes; `flawed` leaves `GET /partner/orders` unchecked and lets
/// any token create orders.
async fn api(c: &Creds, flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    let creds = (c.reader.clone(), c.writer.clone(), c.partner.clone());
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .mount(&server)
        .await;
    let k = creds.clone();
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(move |r: &Request| {
            gate(&caller(&k, r), scope("orders:read"))
                .unwrap_or_else(|| ResponseTemplate::new(200).set_body_json(json!([])))
        })
        .mount(&server)
        .await;
    let k = creds.clone();
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(move |r: &Request| {
            let ok = |w: &Caller| match flawed {
                true => matches!(w, Caller::Scopes(_)),
                false => scope("orders:write")(w),
            };
            if let Some(refused) = gate(&caller(&k, r), ok) {
                return refused;
            }
            // The body the spec's schema requires, or 400: a cell with no body fails.
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let item = body["item"].as_str().unwrap_or_default();
            if item.len() < 3 || body["quantity"].as_i64().unwrap_or(0) < 1 {
                return ResponseTemplate::new(400);
            }
            ResponseTemplate::new(201).set_body_json(json!({"id": 2}))
        })
        .mount(&server)
        .await;
    let k = creds.clone();
    Mock::given(method("GET"))
        .and(path_regex(r"^/orders/1$"))
        .respond_with(move |r: &Request| {
            let ok = |w: &Caller| *w == Caller::Partner || scope("orders:read")(w);
            gate(&caller(&k, r), ok)
                .unwrap_or_else(|| ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        })
        .mount(&server)
        .await;
    let k = creds.clone();
    Mock::given(method("DELETE"))
        .and(path_regex(r"^/orders/[0-9]+$"))
        .respond_with(move |r: &Request| {
            gate(&caller(&k, r), scope("orders:write")).unwrap_or(ResponseTemplate::new(204))
        })
        .mount(&server)
        .await;
    let k = creds;
    Mock::given(method("GET"))
        .and(path("/partner/orders"))
        .respond_with(move |r: &Request| {
            let refused = gate(&caller(&k, r), |w| *w == Caller::Partner);
            match refused {
                Some(refused) if !flawed => refused,
                _ => ResponseTemplate::new(200).set_body_json(json!([])),
            }
        })
        .mount(&server)
        .await;
    server
}

fn suite(spec: &str, extra: &str) -> String {
    format!(
        "suite: Orders API from its OpenAPI document
target:
  base_url: ${{env:API_URL}}
openapi:
  spec: {spec}
  roles:
    reader: {{ scopes: [orders:read] }}
    writer: {{ scopes: [orders:read, orders:write] }}
    partner: {{ schemes: [partnerKey] }}
  parameters:
    orderId: \"1\"
  exclude: [\"DELETE /orders/{{orderId}}\"]
{extra}
roles:
  anonymous: {{}}
  reader: {{ bearer: ${{env:READER_TOKEN}} }}
  writer: {{ bearer: ${{env:WRITER_TOKEN}} }}
  partner: {{ api_key: {{ header: X-Api-Key, value: ${{env:PARTNER_KEY}} }} }}
"
    )
}

fn fixture(dir: &Path, name: &str) {
    std::fs::copy(repo_root().join("tests/openapi").join(name), dir.join(name)).unwrap();
}

struct Outcome {
    code: i32,
    /// (check name, status), in report order.
    results: Vec<(String, String)>,
    report: Value,
    output: String,
    /// The JUnit, SARIF and HTML reports, as written.
    files: [(&'static str, String); 3],
}

impl Outcome {
    fn with(&self, status: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .results
            .iter()
            .filter(|(_, s)| s == status)
            .map(|(n, _)| n.as_str())
            .collect();
        names.sort();
        names
    }
}

async fn run_suite(text: &str, spec: &str, flawed: bool) -> Outcome {
    let creds = Creds::new();
    let server = api(&creds, flawed).await;
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), spec);
    write(dir.path(), "suite.yaml", text);
    let uri = server.uri();
    let run = authspec(
        &[
            "run",
            "suite.yaml",
            "--json",
            "r.json",
            "--junit",
            "r.xml",
            "--sarif",
            "r.sarif",
            "--html",
            "r.html",
        ],
        &creds.env(&uri),
        dir.path(),
    );
    for s in [&creds.reader, &creds.writer, &creds.partner] {
        assert!(!run.all_output().contains(s.as_str()), "a secret leaked");
    }
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    assert_valid_junit(&dir.path().join("r.xml"));
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    let files = [
        ("junit", read("r.xml")),
        ("sarif", read("r.sarif")),
        ("html", read("r.html")),
    ];
    let results = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["outcome"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    Outcome {
        code: run.code,
        results,
        report,
        output: run.all_output(),
        files,
    }
}

/// Every cell the spec makes, by role: public `/health` admits all; the rest refuse
/// `anonymous`; scopes and the partner key decide the others.
const CELLS: &[&str] = &[
    "GET /health as anonymous: allow (spec: public)",
    "GET /health as partner: allow (spec: public)",
    "GET /health as reader: allow (spec: public)",
    "GET /health as writer: allow (spec: public)",
    "GET /orders as anonymous: deny (spec: oauth2 orders:read)",
    "GET /orders as partner: deny (spec: oauth2 orders:read)",
    "GET /orders as reader: allow (spec: oauth2 orders:read)",
    "GET /orders as writer: allow (spec: oauth2 orders:read)",
    "GET /orders/{orderId} as anonymous: deny (spec: oauth2 orders:read or partnerKey)",
    "GET /orders/{orderId} as partner: allow (spec: partnerKey)",
    "GET /orders/{orderId} as reader: allow (spec: oauth2 orders:read)",
    "GET /orders/{orderId} as writer: allow (spec: oauth2 orders:read)",
    "GET /partner/orders as anonymous: deny (spec: partnerKey)",
    "GET /partner/orders as partner: allow (spec: partnerKey)",
    "GET /partner/orders as reader: deny (spec: partnerKey)",
    "GET /partner/orders as writer: deny (spec: partnerKey)",
    "POST /orders as anonymous: deny (spec: oauth2 orders:write)",
    "POST /orders as partner: deny (spec: oauth2 orders:write)",
    "POST /orders as reader: deny (spec: oauth2 orders:write)",
    "POST /orders as writer: allow (spec: oauth2 orders:write)",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sound_api_passes_every_cell_and_the_flawed_twin_fails_exactly_its_flaws() {
    let sound = run_suite(&suite("orders.yaml", ""), "orders.yaml", false).await;
    assert_eq!(sound.code, 0, "{}", sound.output);
    assert_eq!(sound.with("pass"), CELLS, "{}", sound.output);

    let flawed = run_suite(&suite("orders.yaml", ""), "orders.yaml", true).await;
    assert_eq!(flawed.code, 1, "{}", flawed.output);
    assert_eq!(
        flawed.with("fail"),
        [
            "GET /partner/orders as anonymous: deny (spec: partnerKey)",
            "GET /partner/orders as reader: deny (spec: partnerKey)",
            "GET /partner/orders as writer: deny (spec: partnerKey)",
            "POST /orders as reader: deny (spec: oauth2 orders:write)",
        ],
        "{}",
        flawed.output
    );
    assert!(flawed.with("error").is_empty(), "{}", flawed.output);
    assert_eq!(flawed.with("pass").len(), CELLS.len() - 4);
}

/// `spec: ${env:SPEC_URL}`: the document is fetched while the suite loads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_named_by_url_is_fetched_and_makes_the_same_matrix() {
    let creds = Creds::new();
    let server = api(&creds, false).await;
    let document = std::fs::read_to_string(repo_root().join("tests/openapi/orders.yaml")).unwrap();
    Mock::given(method("GET"))
        .and(path("/openapi.yaml"))
        .respond_with(ResponseTemplate::new(200).set_body_string(document))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "suite.yaml", &suite("${env:SPEC_URL}", ""));
    let uri = server.uri();
    let spec_url = format!("{uri}/openapi.yaml");
    let mut env = creds.env(&uri);
    env.push(("SPEC_URL", &spec_url));
    let run = authspec(&["run", "suite.yaml"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(
        run.stdout.contains("20 checks: 20 passed"),
        "{}",
        run.stdout
    );

    // Unreachable: exit 2 at `spec:`, naming why.
    let gone = [("SPEC_URL", "http://127.0.0.1:9/openapi.yaml")];
    let run = authspec(&["validate", "suite.yaml"], &gone, dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.all_output().contains("suite.yaml:5:9"),
        "{}",
        run.all_output()
    );
    assert!(
        run.all_output()
            .contains("cannot fetch the OpenAPI document")
    );

    // A key in the URL reaches no output: not when the fetch fails, not when the
    // document does not parse (messages name the spec as the suite writes it).
    Mock::given(method("GET"))
        .and(path("/broken.yaml"))
        .respond_with(ResponseTemplate::new(200).set_body_string("openapi: 3.1.0\ninfo: [\n"))
        .mount(&server)
        .await;
    let key = "fake-spec-key-6f1d2c";
    let broken = format!("http://user:{key}@{}/broken.yaml?key={key}", &uri[7..]);
    let refused = format!("http://127.0.0.1:9/openapi.yaml?key={key}");
    for url in [&broken, &refused] {
        let mut env = creds.env(&uri);
        env.push(("SPEC_URL", url));
        let run = authspec(&["run", "suite.yaml", "--junit", "r.xml"], &env, dir.path());
        assert_eq!(run.code, 2, "{}", run.all_output());
        let junit = std::fs::read_to_string(dir.path().join("r.xml")).unwrap();
        for text in [run.all_output(), junit] {
            assert!(!text.contains(key), "the spec URL's key leaked:\n{text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_3_0_json_document_makes_the_same_matrix() {
    let run = run_suite(&suite("orders-3.0.json", ""), "orders-3.0.json", false).await;
    assert_eq!(run.code, 0, "{}", run.output);
    assert_eq!(run.with("pass"), CELLS, "{}", run.output);
}

fn coverage_of(run: &Outcome) -> (u64, u64, Vec<String>) {
    let c = &run.report["coverage"][0];
    let uncovered = c["operations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["covered"] == json!(false))
        .map(|o| o["operation"].as_str().unwrap().to_string())
        .collect();
    (
        c["covered"].as_u64().unwrap(),
        c["total"].as_u64().unwrap(),
        uncovered,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coverage_lists_what_no_check_touched_and_a_minimum_makes_it_a_check() {
    // Without `min`: listed on the console and in the report; no check, the run passes.
    let listed = run_suite(&suite("orders.yaml", ""), "orders.yaml", false).await;
    assert_eq!(listed.code, 0, "{}", listed.output);
    assert_eq!(
        coverage_of(&listed),
        (5, 6, vec!["DELETE /orders/{orderId}".to_string()])
    );
    assert!(
        listed
            .output
            .contains("not covered: DELETE /orders/{orderId} (excluded)"),
        "{}",
        listed.output
    );
    assert!(!listed.results.iter().any(|(n, _)| n == "openapi coverage"));
    for (what, text) in &listed.files {
        assert!(
            text.contains("5 of 6 operations covered")
                && text.contains("not covered: DELETE /orders/{orderId} (excluded)"),
            "the {what} report does not list what no check touched:\n{text}"
        );
    }

    // With `min: 100%`: the excluded operation fails the check `openapi coverage`.
    let short = run_suite(
        &suite("orders.yaml", "  coverage: { min: 100% }"),
        "orders.yaml",
        false,
    )
    .await;
    assert_eq!(short.code, 1, "{}", short.output);
    assert_eq!(short.with("fail"), ["openapi coverage"], "{}", short.output);
    let failed = short.report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "openapi coverage")
        .unwrap()
        .to_string();
    assert!(failed.contains("5 of 6 operations covered"), "{failed}");
    assert!(
        failed.contains("DELETE /orders/{orderId} (excluded)"),
        "{failed}"
    );

    // The suite's own scenario covers the excluded operation (`/orders/1` is
    // `/orders/{orderId}`): now the minimum is met.
    let own = "  coverage: { min: 100% }
scenarios:
  - name: a writer deletes an order
    as: writer
    request: DELETE /orders/1
    expect: { status: 204 }";
    let full = run_suite(&suite("orders.yaml", own), "orders.yaml", false).await;
    assert_eq!(full.code, 0, "{}", full.output);
    assert!(full.with("pass").contains(&"openapi coverage"));
    assert_eq!(coverage_of(&full), (6, 6, vec![]));

    // A scenario that fails before its delete step never sent it: not covered.
    let early = "  coverage: { min: 100% }
scenarios:
  - name: a step fails before the delete
    steps:
      - as: writer
        request: GET /orders
        expect: { status: 418 }
      - as: writer
        request: DELETE /orders/1
        expect: { status: 204 }";
    let stopped = run_suite(&suite("orders.yaml", early), "orders.yaml", false).await;
    assert_eq!(stopped.code, 1, "{}", stopped.output);
    assert_eq!(
        coverage_of(&stopped),
        (5, 6, vec!["DELETE /orders/{orderId}".to_string()])
    );
}

#[test]
fn an_operation_that_cannot_be_built_is_an_error_naming_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "spec.yaml",
        "openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /search:
    get:
      parameters:
        - { name: q, in: query, required: true, schema: { type: string } }
      responses: { '200': { description: ok } }
",
    );
    write(
        dir.path(),
        "s.yaml",
        "suite: s
target: { base_url: 'http://127.0.0.1:9' }
openapi: { spec: spec.yaml }
roles: { anonymous: {} }
",
    );
    let run = authspec(&["run", "s.yaml", "--json", "r.json"], &[], dir.path());
    assert_eq!(run.code, 3, "{}", run.all_output());
    let report = std::fs::read_to_string(dir.path().join("r.json")).unwrap();
    let report: Value = serde_json::from_str(&report).unwrap();
    let r = &report["results"][0];
    assert_eq!(r["name"], "GET /search: request from the spec");
    assert_eq!(r["outcome"]["status"], "error");
    let message = r["outcome"]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("query parameter `q` has no value"),
        "{message}"
    );
}

#[test]
fn a_document_that_does_not_parse_is_exit_2_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "spec.yaml",
        "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get: [\n",
    );
    write(
        dir.path(),
        "s.yaml",
        "suite: s\ntarget: { base_url: 'http://127.0.0.1:9' }\nopenapi: { spec: spec.yaml }\nroles: { anonymous: {} }\n",
    );
    let run = authspec(&["validate", "s.yaml"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.all_output().contains("spec.yaml:5:10"),
        "{}",
        run.all_output()
    );
    assert!(
        run.all_output().contains("unclosed bracket"),
        "{}",
        run.all_output()
    );

    // Well-formed YAML that is not an OpenAPI document: at the offending value.
    write(
        dir.path(),
        "spec.yaml",
        "openapi: 3.1.0\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      parameters: 7\n",
    );
    let run = authspec(&["validate", "s.yaml"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.all_output().contains("spec.yaml:6:"),
        "{}",
        run.all_output()
    );
}

#[test]
fn an_unknown_role_or_no_anonymous_role_is_exit_2_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), "orders.yaml");
    write(
        dir.path(),
        "s.yaml",
        "suite: s
target: { base_url: 'http://127.0.0.1:9' }
openapi:
  spec: orders.yaml
  roles:
    raeder: { scopes: [orders:read] }
    partner: { schemes: [partnerKy] }
roles:
  reader: { bearer: '${env:READER_TOKEN}' }
  partner: { api_key: { header: X-Api-Key, value: '${env:PARTNER_KEY}' } }
",
    );
    let run = authspec(&["validate", "s.yaml"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    let out = run.all_output();
    assert!(out.contains("s.yaml:6:5"), "{out}");
    assert!(out.contains("unknown role `raeder`"), "{out}");
    assert!(out.contains("no security scheme `partnerKy`"), "{out}");
    assert!(out.contains("did you mean `partnerKey`?"), "{out}");
    // No role without credentials: no cell would show a protected operation refused.
    assert!(
        out.contains("`openapi:` needs a role without credentials")
            && out.contains("add `anonymous: {}` under `roles:`"),
        "{out}"
    );
}

#[test]
fn scaffold_prints_a_starter_suite_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    fixture(dir.path(), "orders.yaml");
    let run = authspec(&["scaffold", "--openapi", "orders.yaml"], &[], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("openapi_scaffold", run.stdout));
    // What it prints is a suite `validate` accepts as it is (the variables stand in).
    write(dir.path(), "starter.yaml", &run.stdout);
    let check = authspec(&["validate", "starter.yaml"], &[], dir.path());
    assert_eq!(check.code, 0, "{}", check.all_output());

    let bad = authspec(&["scaffold", "--openapi", "missing.yaml"], &[], dir.path());
    assert_eq!(bad.code, 2, "{}", bad.all_output());
}
