//! The README's main command: the sample suites against the built-in demo target, and
//! `authspec demo` serving it in the foreground.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;

#[test]
fn sample_suites_run_against_the_demo_with_passes_and_findings() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("demo.xml");
    let run = authspec(
        &["run", "--junit", report.to_str().unwrap()],
        &[],
        &repo_root(),
    );
    assert_eq!(
        run.code,
        1,
        "the demo has deliberate flaws:\n{}",
        run.all_output()
    );
    assert_valid_junit(&report);
    let cases = count(&report, "//testcase");
    assert!(cases >= 10, "only {cases} checks");
    assert!(count(&report, "//testcase[failure]") >= 1);
    assert_eq!(count(&report, "//testcase[error]"), 0, "{}", run.stdout);
    assert_eq!(
        count(
            &report,
            "//testcase[@name='DELETE /orders/1 as reader: deny']/failure"
        ),
        1
    );
    // scenarios/openapi.yaml: the demo's own OpenAPI document describes its security as
    // it enforces it: 24 cells and the coverage check (6 of 7 operations, DELETE
    // excluded) all pass.
    let spec = "//testcase[@classname='Orders API from its OpenAPI document (demo)']";
    assert_eq!(count(&report, spec), 25, "{}", run.stdout);
    assert_eq!(
        count(&report, &format!("{spec}[failure or error or skipped]")),
        0
    );
    assert!(
        run.stdout
            .contains("6 of 7 operations covered (85.7%), minimum 80%"),
        "{}",
        run.stdout
    );
    // scenarios/transport.yaml: the demo's HTTPS listener meets the certificate and
    // protocol policy, but sends no HSTS and also serves plain HTTP.
    let tls = "//testcase[starts-with(@name, 'tls localhost:')]";
    assert_eq!(count(&report, tls), 9, "{}", run.stdout);
    assert_eq!(
        count(&report, &format!("{tls}[failure]")),
        1,
        "{}",
        run.stdout
    );
    assert_eq!(
        count(
            &report,
            "//testcase[contains(@name, ': plain_http_refused_or_redirected')]/failure"
        ),
        1
    );
    // scenarios/checkout.yaml: the sample SUT refuses four bad certificates and copes
    // with three upstream faults; its insecure, debug and careless paths are the five
    // deliberate findings.
    let checkout =
        "//testcase[@classname='Checkout integration with the payments API (sample SUT)']";
    assert_eq!(count(&report, checkout), 13, "{}", run.stdout);
    assert_eq!(
        count(&report, &format!("{checkout}[failure]")),
        5,
        "{}",
        run.stdout
    );
    assert_eq!(
        count(
            &report,
            &format!("{checkout}[contains(system-out, 'the SUT refused it')]")
        ),
        4,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("«redacted:reader.bearer»"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("demo_rd_"),
        "a demo token reached the output"
    );
}

#[test]
fn validate_accepts_the_samples_without_sending_anything() {
    let run = authspec(&["validate"], &[], &repo_root());
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("8 suite(s)"), "{}", run.stdout);
}

#[test]
fn demo_command_serves_the_orders_api_and_prints_its_credentials() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authspec"))
        .args(["demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut vars = std::collections::HashMap::new();
    while !vars.contains_key("GHOST_TOKEN") {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the demo prints its variables");
        if let Some(rest) = line.strip_prefix("export ") {
            let (k, v) = rest.split_once('=').unwrap();
            vars.insert(
                k.to_string(),
                v.split_whitespace().next().unwrap().to_string(),
            );
        }
    }
    let url = vars["ORDERS_API_URL"].clone();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (reader, anonymous, ghost, document) = rt.block_on(async {
        let c = reqwest::Client::new();
        let document = c
            .get(format!("{url}/openapi.json"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let get = |token: Option<&String>| {
            let mut r = c.get(format!("{url}/orders"));
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            r.send()
        };
        (
            get(Some(&vars["READER_TOKEN"]))
                .await
                .unwrap()
                .status()
                .as_u16(),
            get(None).await.unwrap().status().as_u16(),
            get(Some(&vars["GHOST_TOKEN"]))
                .await
                .unwrap()
                .status()
                .as_u16(),
            document,
        )
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!((reader, anonymous, ghost), (200, 401, 401));
    // The document the demo publishes is the one the sample suite reads.
    let committed = std::fs::read_to_string(repo_root().join("scenarios/demo-openapi.json"));
    assert_eq!(document, committed.unwrap());
}

/// The demo's HTTPS listener reached through `${demo:https_url}`, written in flow style:
/// the demo's credentials are usable there as with `target: demo`.
#[test]
fn the_demo_https_url_works_in_flow_style() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "d.yaml",
        "suite: flow demo\ntarget: { base_url: ${demo:https_url}, tls: { ca_file: ${demo:ca_file} } }\nroles:\n  reader: { bearer: ${demo:reader_token} }\naccess:\n  - request: GET /orders\n    allow: [reader]\n",
    );
    let run = authspec(&["run", "d.yaml"], &[], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("1 passed"), "{}", run.stdout);
}
