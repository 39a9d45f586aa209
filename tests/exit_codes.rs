//! The exit codes a CI gate reads, each against a flawed server and its sound twin: 0 all
//! passed, 1 at least one finding (even beside errors), 3 no finding but a check that
//! could not run, 2 invalid input; and `--help` lists them.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use authspec::exit_codes;
use common::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `GET /items`: 200 for the user's token; without it 401 (sound) or 200 (flawed: the
/// anonymous deny breaks). The `other` role's token is refused everywhere, so its deny
/// is vacuous (an error) on both.
async fn server(flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("authorization", "Bearer fake-user-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let fallback = if flawed { 200 } else { 401 };
    Mock::given(method("GET"))
        .and(path("/items"))
        .and(header("authorization", "Bearer fake-other-token"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(fallback).set_body_string("[]"))
        .mount(&server)
        .await;
    server
}

fn suite(with_vacuous: bool) -> String {
    let other = if with_vacuous { ", other" } else { "" };
    format!(
        "suite: exit codes\ntarget:\n  base_url: ${{env:API_URL}}\nroles:\n  anonymous: {{}}\n  \
         user:\n    bearer: ${{env:USER_TOKEN}}\n  other:\n    bearer: ${{env:OTHER_TOKEN}}\n\
         access:\n  - request: GET /items\n    allow: [user]\n    deny: [anonymous{other}]\n"
    )
}

fn run(server: &MockServer, suite: &str) -> (Run, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", suite);
    let json = dir.path().join("r.json");
    let run = authspec(
        &["run", "s.yaml", "--json", json.to_str().unwrap()],
        &[
            ("API_URL", &server.uri()),
            ("USER_TOKEN", "fake-user-token"),
            ("OTHER_TOKEN", "fake-other-token"),
        ],
        dir.path(),
    );
    let doc = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    (run, doc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sound_server_exits_0_and_the_flawed_twin_exits_1() {
    let sound = server(false).await;
    let (ran, doc) = run(&sound, &suite(false));
    assert_eq!(
        ran.code,
        i32::from(exit_codes::SUCCESS),
        "{}",
        ran.all_output()
    );
    assert_eq!(doc["summary"]["exit_code"], 0);
    assert_eq!(doc["summary"]["passed"], 2);

    let flawed = server(true).await;
    let (ran, doc) = run(&flawed, &suite(false));
    assert_eq!(
        ran.code,
        i32::from(exit_codes::CHECKS_FAILED),
        "{}",
        ran.all_output()
    );
    assert_eq!(doc["summary"]["exit_code"], 1);
    assert_eq!(doc["summary"]["failed"], 1);
    assert_eq!(doc["summary"]["errors"], 0);
}

/// A vacuous deny is an error: alone it is exit 3; beside a finding, the finding wins.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_alone_exits_3_and_a_finding_beside_it_exits_1() {
    let sound = server(false).await;
    let (ran, doc) = run(&sound, &suite(true));
    assert_eq!(
        ran.code,
        i32::from(exit_codes::CHECKS_ERRORED),
        "{}",
        ran.all_output()
    );
    assert_eq!(ran.code, 3);
    assert_eq!(doc["summary"]["errors"], 1, "{doc}");
    assert_eq!(doc["summary"]["failed"], 0, "{doc}");
    assert_eq!(doc["summary"]["exit_code"], 3);
    let error = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["outcome"]["status"] == "error")
        .expect("the vacuous deny");
    assert_eq!(error["outcome"]["error"]["kind"], "vacuous_deny", "{error}");
    assert_eq!(error["name"], "GET /items as other: deny");

    let flawed = server(true).await;
    let (ran, doc) = run(&flawed, &suite(true));
    assert_eq!(
        ran.code,
        i32::from(exit_codes::CHECKS_FAILED),
        "{}",
        ran.all_output()
    );
    assert_eq!(doc["summary"]["errors"], 1, "{doc}");
    assert_eq!(doc["summary"]["failed"], 1, "{doc}");
}

/// A target that refuses connections: every check is an error, none a pass: exit 3.
#[test]
fn an_unreachable_target_exits_3_and_a_bad_suite_exits_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &suite(false));
    let env = [
        ("API_URL", url.as_str()),
        ("USER_TOKEN", "fake-user-token"),
        ("OTHER_TOKEN", "fake-other-token"),
    ];
    let ran = authspec(&["run", "s.yaml"], &env, dir.path());
    assert_eq!(ran.code, 3, "{}", ran.all_output());
    assert!(
        ran.stdout.contains("0 passed, 0 failed, 2 errors"),
        "{}",
        ran.stdout
    );

    write(dir.path(), "bad.yaml", "suite: x\naccess: 3\n");
    let bad = authspec(&["run", "bad.yaml"], &env, dir.path());
    assert_eq!(
        bad.code,
        i32::from(exit_codes::INVALID_INPUT),
        "{}",
        bad.all_output()
    );
}

#[test]
fn help_documents_every_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--help"][..], &["run", "--help"][..]] {
        let help = authspec(args, &[], dir.path());
        assert_eq!(help.code, 0);
        assert!(help.stdout.contains("Exit codes:"), "{}", help.stdout);
        for line in [
            "0    every check passed",
            "1    at least one check failed",
            "2    invalid suite or command line",
            "3    no finding, but at least one check could not run",
        ] {
            assert!(
                help.stdout.contains(line),
                "{args:?}: {line}\n{}",
                help.stdout
            );
        }
    }
}
