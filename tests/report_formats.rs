//! The README's first command with every report (`--junit`, `--json`, `--sarif`, `--html`):
//! the JUnit file against `junit-10.xsd`, the JSON against the schema `authspec schema
//! results` prints, the SARIF against the SARIF 2.1.0 schema kept in `tests/schemas/` and
//! the rules GitHub code scanning applies to uploads, the HTML page opened in headless
//! Chromium. A flawed server and its sound twin show a SARIF result exactly where the
//! suite wrote the broken rule, and none for the sound one; fingerprints do not change
//! between runs (whose ports differ).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Reports {
    run: Run,
    junit: PathBuf,
    json: Value,
    sarif: Value,
    gitlab: Value,
    html: PathBuf,
}

/// `authspec run` in `cwd` with every report written into `out`, then `args`.
fn run_all(cwd: &Path, args: &[&str], env: &[(&str, &str)], out: &Path) -> Reports {
    let junit = out.join("authspec-report.xml");
    let json = out.join("authspec-report.json");
    let sarif = out.join("authspec-report.sarif");
    let html = out.join("authspec-report.html");
    let gitlab = out.join("authspec-report.gl-sast.json");
    let mut all: Vec<&str> = vec!["run"];
    let paths = [
        ("--junit", &junit),
        ("--json", &json),
        ("--sarif", &sarif),
        ("--html", &html),
        ("--gitlab-sast", &gitlab),
    ];
    for (flag, p) in &paths {
        all.push(flag);
        all.push(p.to_str().unwrap());
    }
    // After the report paths: clap stops reading at an argument it refuses, and the
    // report paths must have been read for a report to say why.
    all.extend_from_slice(args);
    let run = authspec(&all, env, cwd);
    let read = |p: &Path| -> Value {
        let text = std::fs::read_to_string(p)
            .unwrap_or_else(|e| panic!("{} not written: {e}\n{}", p.display(), run.all_output()));
        serde_json::from_str(&text).unwrap()
    };
    Reports {
        json: read(&json),
        sarif: read(&sarif),
        gitlab: read(&gitlab),
        run,
        junit,
        html,
    }
}

fn sample(out: &Path) -> Reports {
    run_all(&repo_root(), &[], &[], out)
}

fn validate(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .take(20)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn failing(json: &Value) -> Vec<&Value> {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"]["status"] == "fail")
        .collect()
}

/// What GitHub code scanning refuses or drops in an upload (its documented SARIF
/// support): the limits, a non-empty message, a rule id that names a rule of the run,
/// artifact URIs relative to the checkout, a location with a line.
fn github_upload_problems(log: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut bad = |why: String| out.push(why);
    if log["version"] != "2.1.0" {
        bad("version is not 2.1.0".into());
    }
    let runs = log["runs"].as_array().cloned().unwrap_or_default();
    if runs.is_empty() || runs.len() > 20 {
        bad(format!("{} runs (1 to 20)", runs.len()));
    }
    for run in &runs {
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let results = run["results"].as_array().cloned().unwrap_or_default();
        if results.len() > 25_000 || rules.len() > 25_000 {
            bad(format!("{} results, {} rules", results.len(), rules.len()));
        }
        if run["tool"]["driver"]["name"]
            .as_str()
            .is_none_or(str::is_empty)
        {
            bad("no tool.driver.name".into());
        }
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        for rule in &rules {
            let id = rule["id"].as_str().unwrap_or_default();
            let tags = rule["properties"]["tags"].as_array().map_or(0, Vec::len);
            if tags > 20 {
                bad(format!("rule {id}: {tags} tags (at most 20)"));
            }
            for field in ["shortDescription", "fullDescription", "help"] {
                if rule[field]["text"]
                    .as_str()
                    .is_none_or(|t| t.trim().is_empty())
                {
                    bad(format!("rule {id}: empty {field}"));
                }
            }
            match rule["properties"]["security-severity"]
                .as_str()
                .map(str::parse::<f64>)
            {
                Some(Ok(s)) if (0.0..=10.0).contains(&s) => {}
                other => bad(format!("rule {id}: security-severity {other:?}")),
            }
        }
        if ids.len() != rules.len() || ids.iter().enumerate().any(|(i, id)| ids[..i].contains(id)) {
            bad("rule ids are missing or repeated".into());
        }
        for result in &results {
            let rule = result["ruleId"].as_str().unwrap_or_default();
            if !ids.contains(&rule) {
                bad(format!("result's ruleId {rule:?} is not a rule of the run"));
            }
            if let Some(i) = result["ruleIndex"].as_u64()
                && ids.get(i as usize) != Some(&rule)
            {
                bad(format!("ruleIndex {i} does not point at {rule}"));
            }
            if result["message"]["text"]
                .as_str()
                .is_none_or(|t| t.trim().is_empty())
            {
                bad(format!("{rule}: empty message.text"));
            }
            let locations = result["locations"].as_array().cloned().unwrap_or_default();
            if locations.is_empty() || locations.len() > 1000 {
                bad(format!("{rule}: {} locations", locations.len()));
            }
            for l in &locations {
                let physical = &l["physicalLocation"];
                let uri = physical["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default();
                if uri.is_empty()
                    || uri.starts_with('/')
                    || uri.contains("://")
                    || uri.starts_with("..")
                {
                    bad(format!(
                        "{rule}: uri {uri:?} is not relative to the checkout"
                    ));
                }
                if physical["region"]["startLine"]
                    .as_u64()
                    .is_none_or(|n| n < 1)
                {
                    bad(format!("{rule}: no startLine"));
                }
            }
            let fingerprint = result["partialFingerprints"]["authspecFinding/v1"].as_str();
            if fingerprint.is_none_or(|f| f.len() != 32) {
                bad(format!("{rule}: no partial fingerprint"));
            }
        }
    }
    out
}

fn fingerprints(sarif: &Value) -> Vec<String> {
    let mut out: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["authspecFinding/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_readme_command_writes_valid_junit_json_sarif_and_html() {
    let tmp = tempfile::tempdir().unwrap();
    let r = sample(tmp.path());
    assert_eq!(r.run.code, 1, "{}", r.run.all_output());

    assert_valid_junit(&r.junit);
    let failed = r.json["summary"]["failed"].as_u64().unwrap() as usize;
    assert!(failed > 0);
    assert_eq!(count(&r.junit, "//testcase[failure]"), failed);
    assert_eq!(
        count(
            &r.junit,
            "//failure[starts-with(@type, 'authspec.finding.')]"
        ),
        failed
    );
    assert_eq!(
        count(&r.junit, "//testsuite[@file='scenarios/orders.yaml']"),
        1
    );

    // The JSON against the schema the binary prints.
    let schema = authspec(&["schema", "results"], &[], tmp.path());
    assert_eq!(schema.code, 0, "{}", schema.stderr);
    let schema: Value = serde_json::from_str(&schema.stdout).unwrap();
    assert_eq!(validate(&schema, &r.json), Vec::<String>::new());
    assert_eq!(failing(&r.json).len(), failed);
    let deny = failing(&r.json)
        .into_iter()
        .find(|f| f["outcome"]["finding"]["rule"] == "access.deny")
        .expect("the sample has a broken deny");
    let finding = &deny["outcome"]["finding"];
    assert_eq!(finding["kind"], "access");
    assert_eq!(finding["cwe"][0], 285);
    assert_eq!(finding["severity"], "high");
    assert!(
        finding["evidence"]["request"]["method"].is_string(),
        "{deny}"
    );
    assert!(deny["location"]["line"].as_u64().unwrap() > 0, "{deny}");

    // A document that breaks the schema is refused: the validation can fail.
    let mut broken = r.json.clone();
    broken["results"][0]["outcome"]["status"] = "maybe".into();
    assert!(!validate(&schema, &broken).is_empty());

    // The SARIF against the 2.1.0 schema and GitHub's upload rules.
    let sarif_schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("tests/schemas/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(validate(&sarif_schema, &r.sarif), Vec::<String>::new());
    assert_eq!(github_upload_problems(&r.sarif), Vec::<String>::new());
    let results = r.sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), failed, "one result per failing check");
    let rules = r.sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let deny_rule = rules.iter().find(|r| r["id"] == "access.deny").unwrap();
    let tags = deny_rule["properties"]["tags"].to_string();
    assert!(
        tags.contains("external/cwe/cwe-285") && tags.contains("API1:2023"),
        "{tags}"
    );
    assert_eq!(deny_rule["properties"]["security-severity"], "8.0");
    assert!(
        deny_rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("README.md#")
    );
    let mut uncheck = r.sarif.clone();
    uncheck["runs"][0]["results"][0]["ruleId"] = "no.such.rule".into();
    uncheck["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "/abs/s.yaml".into();
    assert_eq!(
        github_upload_problems(&uncheck).len(),
        3,
        "the checker catches what GitHub refuses"
    );

    // The page is self-contained: nothing it would load from anywhere.
    let page = std::fs::read_to_string(&r.html).unwrap();
    for outside in ["src=", "href=", "@import", "url(", "http://", "https://"] {
        let hits: Vec<&str> = page.lines().filter(|l| l.contains(outside)).collect();
        // Request URLs of the demo are text, escaped inside elements.
        let markup: Vec<&&str> = hits
            .iter()
            .filter(|l| {
                !l.contains("<dd") && !l.contains("<pre") && !l.contains("<p class=\"message\">")
            })
            .collect();
        assert!(markup.is_empty(), "{outside}: {markup:?}");
    }
    assert!(page.contains("Content-Security-Policy"));
}

#[test]
fn sarif_fingerprints_are_the_same_in_another_run() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (first, second) = (sample(a.path()), sample(b.path()));
    let ports = |r: &Reports| {
        let text = r.json.to_string();
        regex::Regex::new(r"127\.0\.0\.1:\d+")
            .unwrap()
            .find_iter(&text)
            .map(|m| m.as_str().to_string())
            .collect::<Vec<_>>()
    };
    assert_ne!(
        ports(&first),
        ports(&second),
        "the two runs listened on other ports"
    );
    assert!(!fingerprints(&first.sarif).is_empty());
    assert_eq!(fingerprints(&first.sarif), fingerprints(&second.sarif));
    // Each finding its own (the demo's plain and TLS listeners are two origins).
    let mut unique = fingerprints(&first.sarif);
    unique.dedup();
    assert_eq!(unique, fingerprints(&first.sarif));
}

/// A line added above the broken rule moves its SARIF location, not its fingerprint:
/// code scanning keeps the alert it has.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_above_a_finding_keeps_its_fingerprint() {
    let server = api(true).await;
    let dir = tempfile::tempdir().unwrap();
    let url = server.uri();
    let env = [("API_URL", url.as_str()), ("USER_TOKEN", "fake-user-token")];
    let mut seen = Vec::new();
    for text in [SUITE.to_string(), format!("# owned by team-items\n{SUITE}")] {
        write(dir.path(), "s.yaml", &text);
        let r = run_all(dir.path(), &["s.yaml"], &env, dir.path());
        assert_eq!(r.run.code, 1, "{}", r.run.all_output());
        let result = &r.sarif["runs"][0]["results"][0];
        let line = &result["locations"][0]["physicalLocation"]["region"]["startLine"];
        seen.push((line.as_u64().unwrap(), fingerprints(&r.sarif)));
    }
    assert_eq!(seen[0].0 + 1, seen[1].0);
    assert_eq!(seen[0].1, seen[1].1);
}

/// `GET /items`: the user's token 200; without one 401 (sound) or 200 (flawed).
/// A GitLab security report's vulnerabilities, after checking what GitLab's SAST schema
/// (v15) requires of the report and of each vulnerability.
fn gitlab_vulnerabilities(report: &Value) -> &Vec<Value> {
    assert_eq!(report["version"], "15.0.7");
    let scan = &report["scan"];
    assert_eq!(scan["type"], "sast");
    for tool in ["analyzer", "scanner"] {
        for field in ["id", "name", "version"] {
            assert!(scan[tool][field].is_string(), "scan.{tool}.{field}: {scan}");
        }
        assert!(scan[tool]["vendor"]["name"].is_string(), "{scan}");
    }
    for time in ["start_time", "end_time"] {
        let t = scan[time].as_str().unwrap();
        let shape: String = t
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect();
        assert_eq!(shape, "9999-99-99T99:99:99", "{time}: {t}");
    }
    assert!(["success", "failure"].contains(&scan["status"].as_str().unwrap()));
    let all = report["vulnerabilities"].as_array().unwrap();
    for v in all {
        let id = v["id"].as_str().unwrap();
        assert_eq!(id.len(), 36, "{id}");
        assert!(!v["identifiers"].as_array().unwrap().is_empty(), "{v}");
        for i in v["identifiers"].as_array().unwrap() {
            for field in ["type", "name", "value"] {
                assert!(i[field].is_string(), "{i}");
            }
        }
        assert!(v["location"].is_object(), "{v}");
        assert!(v["name"].as_str().unwrap().chars().count() <= 255);
        let severities = ["Info", "Unknown", "Low", "Medium", "High", "Critical"];
        assert!(severities.contains(&v["severity"].as_str().unwrap()), "{v}");
    }
    all
}

async fn api(flawed: bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer fake-user-token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(if flawed { 200 } else { 401 }).set_body_string("[]"))
        .mount(&server)
        .await;
    server
}

const SUITE: &str = "suite: items\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\n  user:\n    bearer: ${env:USER_TOKEN}\naccess:\n  - request: GET /items\n    allow: [user]\n    deny: [anonymous]\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_deny_is_one_sarif_result_at_its_cell_and_the_sound_twin_has_none() {
    for flawed in [true, false] {
        let server = api(flawed).await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("suites")).unwrap();
        write(&dir.path().join("suites"), "s.yaml", SUITE);
        let env = [
            ("API_URL", server.uri()),
            ("USER_TOKEN", "fake-user-token".into()),
        ];
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let abs = dir.path().join("suites/s.yaml");
        // An absolute suite path still gives a URI relative to the working directory.
        let r = run_all(dir.path(), &[abs.to_str().unwrap()], &env, dir.path());
        let results = r.sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(github_upload_problems(&r.sarif), Vec::<String>::new());
        if flawed {
            assert_eq!(r.run.code, 1, "{}", r.run.all_output());
            assert_eq!(results.len(), 1, "{}", r.sarif);
            let result = &results[0];
            assert_eq!(result["ruleId"], "access.deny");
            assert_eq!(result["level"], "error");
            let physical = &result["locations"][0]["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uri"], "suites/s.yaml");
            // `deny: [anonymous]` is line 11; the cell is the role's name in it.
            assert_eq!(physical["region"]["startLine"], 11, "{result}");
            assert_eq!(physical["region"]["startColumn"], 12, "{result}");
            let logical = &result["locations"][0]["logicalLocations"][0]["name"];
            assert!(
                logical
                    .as_str()
                    .unwrap()
                    .starts_with("GET http://127.0.0.1:"),
                "{logical}"
            );
            assert!(
                result["message"]["text"]
                    .as_str()
                    .unwrap()
                    .contains("GET /items as anonymous: deny")
            );
            // GitLab's report: the same finding at the same line, its id the SARIF
            // fingerprint as a UUID.
            let v = gitlab_vulnerabilities(&r.gitlab);
            assert_eq!(v.len(), 1, "{}", r.gitlab);
            assert_eq!(v[0]["location"]["file"], "suites/s.yaml");
            assert_eq!(v[0]["location"]["start_line"], 11);
            assert_eq!(v[0]["severity"], "High", "{}", v[0]);
            assert_eq!(v[0]["identifiers"][0]["value"], "access.deny");
            assert!(
                v[0]["identifiers"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["type"] == "cwe"),
                "{}",
                v[0]
            );
            let fingerprint = result["partialFingerprints"]["authspecFinding/v1"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert_eq!(v[0]["id"].as_str().unwrap().replace('-', ""), fingerprint);
        } else {
            assert_eq!(r.run.code, 0, "{}", r.run.all_output());
            assert!(results.is_empty(), "{}", r.sarif);
            assert!(gitlab_vulnerabilities(&r.gitlab).is_empty(), "{}", r.gitlab);
            assert_eq!(
                r.sarif["runs"][0]["invocations"][0]["executionSuccessful"],
                true
            );
        }
    }
}

fn chromium(args: &[&str], profile: &Path) -> std::process::Output {
    let present = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        present,
        "chromium is missing: run `bash .ci/run`, which installs it (Debian package chromium)"
    );
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

/// Text as Chromium's `--dump-dom` serializes it.
fn dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

#[test]
fn the_html_report_opens_in_chromium_with_every_failure_and_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let r = sample(tmp.path());
    let url = format!("file://{}", r.html.display());
    let profile = tempfile::tempdir().unwrap();
    let dom = chromium(&["--dump-dom", &url], profile.path());
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    assert!(dom.contains("<article class=\"check fail\""), "{dom}");
    let failures = failing(&r.json);
    assert!(!failures.is_empty());
    for f in &failures {
        let name = dom_text(f["name"].as_str().unwrap());
        assert!(dom.contains(&name), "{name} not in the page");
    }
    let shown_all = r.json["results"].as_array().unwrap().len().to_string();
    assert!(
        dom.contains(&format!("<span id=\"shown\">{shown_all}</span>")),
        "the script ran"
    );
    assert!(
        dom.contains("--&gt; scenarios/orders.yaml:"),
        "the location line"
    );

    // `#outcome=fail` preselects the outcome filter: only failures stay visible.
    let dom = chromium(
        &["--dump-dom", &format!("{url}#outcome=fail")],
        profile.path(),
    );
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    let visible = dom
        .lines()
        .filter(|l| l.starts_with("<article ") && !l.contains(" hidden"))
        .count();
    assert_eq!(visible, failures.len(), "{dom}");
    assert!(dom.contains(&format!("<span id=\"shown\">{}</span>", failures.len())));

    let shot = tmp.path().join("report.png");
    let out = chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
            &url,
        ],
        profile.path(),
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| {
        panic!(
            "no screenshot ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
    // `AUTHSPEC_SCREENSHOT=path` keeps it (the README's picture is made this way).
    if let Some(keep) = std::env::var_os("AUTHSPEC_SCREENSHOT") {
        std::fs::write(keep, &png).unwrap();
    }
}

/// Invalid input (exit 2) still writes every report, saying why nothing ran: a JSON
/// document with the problem, a SARIF log with no result and an unsuccessful invocation,
/// a page with the problem; whether clap or authspec refused the command line. Two
/// reports at one path are refused before anything runs.
#[test]
fn invalid_input_writes_every_report_with_the_reason_and_reports_need_their_own_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let env = [
        ("API_URL", "http://127.0.0.1:9"),
        ("USER_TOKEN", "fake-user-token"),
    ];
    for (args, name) in [
        (&["s.yaml", "--no-such-flag"][..], "command line: arguments"),
        (
            &["s.yaml", "--tags", "@smoke and"][..],
            "command line: --tags",
        ),
    ] {
        let r = run_all(dir.path(), args, &env, dir.path());
        assert_eq!(r.run.code, 2, "{args:?}: {}", r.run.all_output());
        assert_eq!(r.json["summary"]["exit_code"], 2);
        assert_eq!(r.json["results"].as_array().unwrap().len(), 0);
        assert_eq!(r.json["problems"][0]["name"], name, "{}", r.json);
        assert_eq!(r.sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
        let invocation = &r.sarif["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(invocation["exitCode"], 2);
        let note = invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap();
        assert!(note.starts_with(name), "{note}");
        let page = std::fs::read_to_string(&r.html).unwrap();
        assert!(
            page.contains("The run stopped short") && page.contains(name),
            "{page}"
        );
    }
    let same = authspec(
        &["run", "s.yaml", "--json", "r.out", "--sarif", "./r.out"],
        &env,
        dir.path(),
    );
    assert_eq!(same.code, 2, "{}", same.all_output());
    assert!(
        same.stderr
            .contains("--json and --sarif name the same file"),
        "{}",
        same.stderr
    );
    assert!(!dir.path().join("r.out").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junit_cases_carry_file_and_line_only_with_junit_locations() {
    let server = api(true).await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", SUITE);
    let url = server.uri();
    let env = [("API_URL", url.as_str()), ("USER_TOKEN", "fake-user-token")];
    let report = dir.path().join("r.xml");
    let junit = report.to_str().unwrap();
    let deny = "//testcase[@name='GET /items as anonymous: deny']";

    let plain = authspec(&["run", "s.yaml", "--junit", junit], &env, dir.path());
    assert_eq!(plain.code, 1, "{}", plain.all_output());
    // The default validates against junit-10.xsd, which allows neither attribute.
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase[@file or @line]"), 0);

    let located = authspec(
        &["run", "s.yaml", "--junit", junit, "--junit-locations"],
        &env,
        dir.path(),
    );
    assert_eq!(located.code, 1, "{}", located.all_output());
    assert_eq!(count(&report, "//testcase"), 2);
    assert_eq!(count(&report, "//testcase[@file='s.yaml' and @line]"), 2);
    // `deny: [anonymous]` is line 11 of the suite, `allow: [user]` line 10.
    assert_eq!(xpath(&report, &format!("string({deny}/@line)")), "11");
    assert_eq!(
        xpath(
            &report,
            "string(//testcase[@name='GET /items as user: allow']/@line)"
        ),
        "10"
    );

    let alone = authspec(&["run", "s.yaml", "--junit-locations"], &env, dir.path());
    assert_eq!(alone.code, 2, "{}", alone.all_output());
    assert!(alone.stderr.contains("--junit"), "{}", alone.stderr);
}
