//! `authspec merge`: the `--json` reports of `--shard 1/3`, `2/3` and `3/3` merge into the
//! reports of the unsharded run: the same results (ids, outcomes, rules) in the same
//! order, the same JUnit test cases, the same SARIF results and fingerprints, the same
//! exit code; a host-wide check every shard found is one check. Both against a flawed
//! API (findings: exit 1) and its sound twin (exit 0). Files that are not shard reports
//! of one run are invalid input (exit 2) naming the file, and the reports say why.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use quick_xml::events::Event;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BANNER: &str = "Werkzeug/2.2.3 Python/3.11.7";

/// A shop API. Flawed: a reader may delete orders, every response names its server
/// software, and one lacks `X-Frame-Options`. Sound: none of that.
async fn api(flawed: bool, reader: String, admin: String) -> MockServer {
    let server = MockServer::start().await;
    let respond = move |r: &Request| {
        let auth = r
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let who = if auth == format!("Bearer {reader}") {
            "reader"
        } else if auth == format!("Bearer {admin}") {
            "admin"
        } else {
            ""
        };
        let route = (r.method.as_str(), r.url.path());
        let (status, body) = match (route, who) {
            (_, "") => (401, r#"{"error": "unauthorized"}"#),
            (("GET", "/orders"), _) => (200, r#"[{"id": 1}]"#),
            (("GET", "/orders/1"), _) => (200, r#"{"id": 1, "item": "gadget"}"#),
            (("DELETE", "/orders/1"), "admin") => (204, ""),
            (("DELETE", "/orders/1"), _) if flawed => (204, ""),
            (("GET", "/admin/users"), "admin") => (200, r#"[{"name": "ada"}]"#),
            _ => (403, r#"{"error": "forbidden"}"#),
        };
        let mut t = ResponseTemplate::new(status)
            .insert_header("content-type", "application/json")
            .insert_header("x-content-type-options", "nosniff")
            .set_body_string(body);
        if !(flawed && route.1 == "/orders/1") {
            t = t.insert_header("x-frame-options", "DENY");
        }
        if flawed {
            t = t.insert_header("server", BANNER);
        }
        t
    };
    Mock::given(any())
        .respond_with(respond)
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: shop
target:
  base_url: ${env:API_URL}
roles:
  anonymous: {}
  reader:
    bearer: ${env:READER}
  admin:
    bearer: ${env:ADMIN}
access:
  - request: GET /orders
    allow: [reader, admin]
    deny: [anonymous]
  - request: GET /orders/1
    allow: [reader, admin]
    deny: [anonymous]
  - request: DELETE /orders/1
    allow: [admin]
    deny: [reader, anonymous]
  - request: GET /admin/users
    allow: [admin]
    deny: [reader, anonymous]
scenarios:
  - name: an order reads back
    steps:
      - as: reader
        request: GET /orders
        expect: { status: 200 }
      - as: reader
        request: GET /orders/1
        expect: { json: { $.item: gadget } }
  - name: a reader cannot delete an order
    as: reader
    request: DELETE /orders/1
    expect: { access: deny }
  - name: an admin lists users
    as: admin
    request: GET /admin/users
    expect: { status: 200 }
probes:
  - headers:
      as: reader
      requests: [GET /orders, GET /orders/1]
";

struct Setup {
    dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
    _server: MockServer,
}

async fn setup(flawed: bool) -> Setup {
    let (reader, admin) = (fake_secret("reader"), fake_secret("admin"));
    let server = api(flawed, reader.clone(), admin.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "shop.yaml", SUITE);
    let env = vec![
        ("API_URL", server.uri()),
        ("READER", reader),
        ("ADMIN", admin),
    ];
    Setup {
        dir,
        env,
        _server: server,
    }
}

impl Setup {
    fn run(&self, args: &[&str]) -> Run {
        let env: Vec<(&str, &str)> = self.env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        authspec(args, &env, self.dir.path())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `--junit`, `--json` and `--sarif` under `prefix`, as arguments.
    fn reports(&self, prefix: &str) -> Vec<String> {
        ["junit", "json", "sarif"]
            .iter()
            .flat_map(|f| {
                let ext = if *f == "junit" { "xml" } else { *f };
                [
                    format!("--{f}"),
                    self.path(&format!("{prefix}.{ext}")).display().to_string(),
                ]
            })
            .collect()
    }
}

fn assert_valid(schema: &Value, doc: &Value) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Each result's id, outcome and rule, in order.
fn results(doc: &Value) -> Vec<(String, String, String)> {
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let outcome = &r["outcome"];
            (
                r["id"].as_str().unwrap().to_string(),
                outcome["status"].as_str().unwrap().to_string(),
                outcome["finding"]["rule"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
}

/// Each test case: its suite, class name, name, and what it holds (`failure
/// authspec.finding.access`), in order.
fn testcases(path: &Path) -> Vec<String> {
    let xml = std::fs::read_to_string(path).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out: Vec<String> = Vec::new();
    let mut suite = String::new();
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name.as_bytes())
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::default())
                    .unwrap()
                    .into_owned()
            })
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => suite = attr(&e, "name"),
                b"testcase" => out.push(format!(
                    "{suite} | {} | {}",
                    attr(&e, "classname"),
                    attr(&e, "name")
                )),
                tag @ (b"failure" | b"error" | b"skipped") => {
                    let last = out.last_mut().unwrap();
                    last.push_str(&format!(
                        " | {} {}",
                        String::from_utf8_lossy(tag),
                        attr(&e, "type")
                    ));
                }
                _ => {}
            },
            _ => {}
        }
    }
    out
}

/// Each SARIF result's rule, fingerprints, location and check id, and the rule ids.
fn sarif(path: &Path) -> (Vec<Value>, Vec<Value>) {
    let log = json(path);
    let run = &log["runs"][0];
    let results = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::json!([
                r["ruleId"],
                r["ruleIndex"],
                r["partialFingerprints"],
                r["locations"][0]["physicalLocation"],
                r["properties"]["checkId"],
            ])
        })
        .collect();
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    (results, rules)
}

async fn merged_shards_equal_the_unsharded_run(
    flawed: bool,
) -> (Vec<(String, String, String)>, i32) {
    let s = setup(flawed).await;
    let mut whole_args = vec!["run".to_string(), "shop.yaml".into()];
    whole_args.extend(s.reports("whole"));
    let args: Vec<&str> = whole_args.iter().map(String::as_str).collect();
    let whole = s.run(&args);
    let mut shard_files = Vec::new();
    let mut banner_shards = 0;
    for i in 1..=3 {
        let file = s.path(&format!("shard-{i}.json"));
        let shard = format!("{i}/3");
        let run = s.run(&[
            "run",
            "shop.yaml",
            "--shard",
            &shard,
            "--json",
            file.to_str().unwrap(),
        ]);
        assert!(
            [0, 1].contains(&run.code),
            "shard {shard}: {}",
            run.all_output()
        );
        let doc = json(&file);
        assert!(
            results(&doc).len() < results(&json(&s.path("whole.json"))).len(),
            "shard {shard} ran everything"
        );
        if results(&doc)
            .iter()
            .any(|(i, _, _)| i.contains("#leakage["))
        {
            banner_shards += 1;
        }
        shard_files.push(file.display().to_string());
    }
    let mut merge_args = vec!["merge".to_string()];
    merge_args.extend(s.reports("merged"));
    merge_args.extend(shard_files);
    let args: Vec<&str> = merge_args.iter().map(String::as_str).collect();
    let merged = s.run(&args);
    assert_eq!(merged.code, whole.code, "{}", merged.all_output());
    assert!(
        merged.stdout.contains("merged 3 reports"),
        "{}",
        merged.stdout
    );

    let (w, m) = (json(&s.path("whole.json")), json(&s.path("merged.json")));
    assert_eq!(results(&m), results(&w));
    for key in [
        "total",
        "passed",
        "failed",
        "errors",
        "skipped",
        "exit_code",
    ] {
        assert_eq!(m["summary"][key], w["summary"][key], "summary.{key}");
    }
    assert_eq!(m["run"]["shard"], Value::Null);
    assert_eq!(
        testcases(&s.path("merged.xml")),
        testcases(&s.path("whole.xml"))
    );
    assert_valid_junit(&s.path("merged.xml"));
    assert_eq!(
        sarif(&s.path("merged.sarif")),
        sarif(&s.path("whole.sarif"))
    );
    // The merged reports are valid as a run's: the JSON against `authspec schema
    // results`, the SARIF against SARIF 2.1.0.
    let results_schema: Value =
        serde_json::from_str(&s.run(&["schema", "results"]).stdout).unwrap();
    assert_valid(&results_schema, &m);
    let sarif_schema = json(&repo_root().join("tests/schemas/sarif-schema-2.1.0.json"));
    assert_valid(&sarif_schema, &json(&s.path("merged.sarif")));
    // Every shard sees the banner, so the merge has duplicates to fold.
    assert_eq!(banner_shards, if flawed { 3 } else { 0 });
    (results(&w), whole.code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_merged_shards_of_a_flawed_api_are_its_unsharded_run() {
    let (results, code) = merged_shards_equal_the_unsharded_run(true).await;
    assert_eq!(code, 1);
    let failed = |id: &str| {
        results
            .iter()
            .any(|(i, o, _)| i.contains(id) && o == "fail")
    };
    // What the merge had to get right: planned checks from every shard, and the banner
    // every shard saw, once.
    assert!(failed("#access[2].deny.reader"), "{results:?}");
    assert!(failed("#scenarios[1]"), "{results:?}");
    let banners: Vec<_> = results
        .iter()
        .filter(|(i, _, r)| i.contains("#leakage[") && r == "leak.version_banner")
        .collect();
    assert_eq!(banners.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .any(|(i, o, _)| i.contains("#probes[0]") && o == "fail")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_merged_shards_of_the_sound_twin_are_its_unsharded_run() {
    let (results, code) = merged_shards_equal_the_unsharded_run(false).await;
    assert_eq!(code, 0, "{results:?}");
    assert!(results.len() > 15, "{results:?}");
    assert!(results.iter().all(|(_, o, _)| o == "pass"), "{results:?}");
    assert!(!results.iter().any(|(i, _, _)| i.contains("#leakage[")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_that_are_not_shards_of_one_run_are_invalid_input_naming_the_file() {
    let s = setup(true).await;
    let one = s.path("one.json");
    let run = s.run(&[
        "run",
        "shop.yaml",
        "--shard",
        "1/2",
        "--json",
        one.to_str().unwrap(),
    ]);
    assert!([0, 1].contains(&run.code), "{}", run.all_output());
    let doc = json(&one);
    let variant = |name: &str, edit: &dyn Fn(&mut Value)| {
        let mut d = doc.clone();
        edit(&mut d);
        let path = s.path(name);
        std::fs::write(&path, serde_json::to_string(&d).unwrap()).unwrap();
        path.display().to_string()
    };
    let other_suites = variant("other.json", &|d| {
        d["run"]["shard"]["index"] = 2.into();
        d["run"]["suites"][0]["file"] = "elsewhere.yaml".into();
    });
    let newer = variant("newer.json", &|d| d["schema_version"] = 99.into());
    let seeded = variant("seeded.json", &|d| {
        d["run"]["shard"]["index"] = 2.into();
        d["run"]["seed"] = 7.into();
    });
    let seeded_too = variant("seeded_too.json", &|d| d["run"]["seed"] = 8.into());
    let text = write(
        s.dir.path(),
        "notes.json",
        "these are notes, not a report\n",
    );
    let junit = write(s.dir.path(), "r.xml", "<testsuites/>\n");
    let other_tool = variant("tool.json", &|d| d["tool"]["name"] = "sometool".into());
    let one = one.display().to_string();
    let text = text.display().to_string();
    let junit = junit.display().to_string();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec![&text], &text, "not an authspec JSON report"),
        (vec![&junit], &junit, "not an authspec JSON report"),
        (
            vec![&other_tool],
            &other_tool,
            "not an authspec JSON report",
        ),
        (vec![&newer], &newer, "schema_version 99"),
        (vec![&one, &one], &one, "again"),
        (vec![&one], &one, "shard 2/2 is missing"),
        (vec![&one, &other_suites], &other_suites, "other suites"),
        (vec![&seeded_too, &seeded], &seeded, "--seed"),
    ];
    for (inputs, named, says) in cases {
        let report = s.path("merged.xml");
        let mut args = vec!["merge", "--junit", report.to_str().unwrap()];
        args.extend(inputs.iter().copied());
        let run = s.run(&args);
        assert_eq!(run.code, 2, "{inputs:?}: {}", run.all_output());
        assert!(
            run.stderr.contains(named) && run.stderr.contains(says),
            "{inputs:?}: expected {named} and {says:?} in\n{}",
            run.stderr
        );
        // The gate's JUnit says why, rather than going missing.
        assert_valid_junit(&report);
        let cases = testcases(&report);
        assert_eq!(cases.len(), 1, "{cases:?}");
        assert!(
            cases[0].contains("error authspec.invalid_report"),
            "{cases:?}"
        );
    }
    // A report may not replace an input.
    let run = s.run(&["merge", "--json", &one, &one]);
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.stderr.contains("an input of this run"),
        "{}",
        run.stderr
    );
    assert_eq!(json(Path::new(&one)), doc);
}
