//! The JUnit file on disk is this run's: an earlier report is gone as soon as a run
//! starts; an invalid suite or command line still writes a report that says why nothing
//! ran; an interrupted run reports what finished; a `--junit` path that would overwrite an
//! input, a directory, a link or a FIFO is refused before anything is sent; and what the
//! user typed is redacted like everything else.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SUITE: &str = "suite: small\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:USER_TOKEN}\naccess:\n  - request: GET /items\n    allow: [user]\n";

/// Answers `GET /items` with 200, and `GET /slow` only after a minute.
async fn api() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/items"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// The test API, the user's token, and a directory holding `s.yaml` (`suite`).
struct Setup {
    server: MockServer,
    token: String,
    env: Vec<(&'static str, String)>,
    dir: tempfile::TempDir,
}

// A helper of tests: a failure to make a temporary directory is a failed test.
#[allow(clippy::unwrap_used)]
async fn setup(suite: &str) -> Setup {
    let server = api().await;
    let token = fake_secret("user");
    let env = vec![("API_URL", server.uri()), ("USER_TOKEN", token.clone())];
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", suite);
    Setup {
        server,
        token,
        env,
        dir,
    }
}

fn run_in(dir: &Path, args: &[&str], env: &[(&'static str, String)]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    authspec(args, &env, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stale_passing_report_is_replaced_by_one_saying_why_nothing_ran() {
    let s = setup(SUITE).await;
    let report = s.dir.path().join("r.xml");
    // A good path still works: a passing run writes its report.
    let pass = run_in(s.dir.path(), &["run", "s.yaml", "--junit", "r.xml"], &s.env);
    assert_eq!(pass.code, 0, "{}", pass.all_output());
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase[not(error) and not(failure)]"), 1);
    // The suite breaks: exit 2, and the report on disk is this run's, not the last one.
    write(s.dir.path(), "s.yaml", &SUITE.replace("allow:", "alow:"));
    let before = received(&s.server).await;
    let bad = run_in(s.dir.path(), &["run", "s.yaml", "--junit", "r.xml"], &s.env);
    assert_eq!(bad.code, 2, "{}", bad.all_output());
    assert_eq!(received(&s.server).await, before, "nothing was sent");
    assert_valid_junit(&report);
    assert_eq!(
        count(&report, "//testcase"),
        count(&report, "//testcase/error")
    );
    assert_eq!(
        count(
            &report,
            "//testsuite[@name='authspec']/testcase[@classname='authspec'][starts-with(@name, 'suite s.yaml:9:')]/error[@type='authspec.invalid_suite'][starts-with(@message, 's.yaml:9:')]"
        ),
        1,
        "one error case per problem, with file:line:column: {}",
        std::fs::read_to_string(&report).unwrap()
    );
    // The case's text has the offending line, as the terminal shows it.
    assert!(xpath(&report, "string(//error)").contains("alow"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_command_line_with_a_good_report_path_writes_the_report() {
    let s = setup(SUITE).await;
    let report = s.dir.path().join("r.xml");
    for (args, name) in [
        (&["--tags", "@smoke and"][..], "command line: --tags"),
        (
            &["--filter", "no such check"][..],
            "command line: nothing selected",
        ),
        (&["--jobs", "0"][..], "command line: arguments"),
        (&["--no-such-flag"][..], "command line: arguments"),
    ] {
        std::fs::write(&report, "<testsuites/>").unwrap();
        let mut all = vec!["run", "s.yaml", "--junit", "r.xml"];
        all.extend_from_slice(args);
        let run = run_in(s.dir.path(), &all, &s.env);
        assert_eq!(run.code, 2, "{args:?}: {}", run.all_output());
        assert_valid_junit(&report);
        assert_eq!(
            count(
                &report,
                &format!("//testcase[@name='{name}']/error[@type='authspec.invalid_command_line']")
            ),
            1,
            "{args:?}: {}",
            std::fs::read_to_string(&report).unwrap()
        );
    }
    assert_eq!(received(&s.server).await, 0, "nothing was sent");
    // Without a report path, a bad command line leaves nothing behind either.
    std::fs::remove_file(&report).unwrap();
    let run = run_in(s.dir.path(), &["run", "s.yaml", "--jobs", "0"], &s.env);
    assert_eq!(run.code, 2);
    assert!(!report.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_path_that_is_an_input_a_directory_a_link_or_a_fifo_is_refused() {
    // The suite here comes from a config; `s.yaml` at the top is not used.
    let s = setup(SUITE).await;
    let d = s.dir.path();
    std::fs::create_dir(d.join("suites")).unwrap();
    std::fs::create_dir(d.join("out")).unwrap();
    let config =
        "target:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:USER_TOKEN}\n";
    write(d, "suites/authspec.yaml", config);
    write(d, "shared.yaml", config);
    // A config whose token is a `${file:…}` secret beside it.
    write(
        d,
        "secret.yaml",
        &config.replace("${env:USER_TOKEN}", "${file:token.txt}"),
    );
    write(d, "token.txt", &s.token);
    write(
        d,
        "suites/s.yaml",
        "suite: small\naccess:\n  - request: GET /items\n    allow: [user]\n",
    );
    write(
        d,
        "suites/f.feature",
        "Feature: f\n  Scenario: items\n    Given I am \"user\"\n    When I send \"GET /items\"\n    Then access is allowed\n",
    );
    std::os::unix::fs::symlink(d.join("out/nothing.xml"), d.join("link.xml")).unwrap();
    std::fs::hard_link(d.join("suites/s.yaml"), d.join("hard.xml")).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(d.join("fifo.xml"))
            .status()
            .unwrap()
            .success()
    );
    let inputs = [
        "token.txt",
        "suites/s.yaml",
        "suites/f.feature",
        "suites/authspec.yaml",
        "shared.yaml",
    ];
    let before: Vec<String> = inputs
        .iter()
        .map(|f| std::fs::read_to_string(d.join(f)).unwrap())
        .collect();
    for (junit, config, why) in [
        ("suites/s.yaml", None, "an input of this run"),
        ("./suites/../suites/f.feature", None, "an input of this run"),
        ("suites/authspec.yaml", None, "an input of this run"),
        ("token.txt", Some("secret.yaml"), "an input of this run"),
        ("shared.yaml", Some("shared.yaml"), "an input of this run"),
        ("hard.xml", None, "the same file as suites/s.yaml"),
        ("out", None, "a directory"),
        ("link.xml", None, "a symbolic link"),
        ("fifo.xml", None, "a FIFO"),
    ] {
        let mut args = vec!["run", "suites", "--junit", junit];
        if let Some(c) = config {
            args.extend(["--config", c]);
        }
        let run = run_in(d, &args, &s.env);
        assert_eq!(run.code, 2, "{junit}: {}", run.all_output());
        assert!(
            run.stderr
                .contains(&format!("cannot write the JUnit report {junit}: it is")),
            "{junit}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{junit}: {}", run.stderr);
        assert!(
            run.stdout.is_empty(),
            "{junit}: nothing ran: {}",
            run.stdout
        );
    }
    let after: Vec<String> = inputs
        .iter()
        .map(|f| std::fs::read_to_string(d.join(f)).unwrap())
        .collect();
    assert_eq!(before, after, "no input was touched");
    assert!(
        !d.join("out/nothing.xml").exists(),
        "nothing written through the link"
    );
    assert!(
        std::fs::symlink_metadata(d.join("link.xml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(received(&s.server).await, 0, "nothing was sent");
    // The same run with a report path of its own works.
    let run = run_in(d, &["run", "suites", "--junit", "out/r.xml"], &s.env);
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert_valid_junit(&d.join("out/r.xml"));
    assert_eq!(count(&d.join("out/r.xml"), "//testcase"), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_run_reports_what_finished_and_that_it_was_interrupted() {
    let suite = SUITE.replace(
        "    allow: [user]\n",
        "    allow: [user]\n  - request: GET /slow\n    allow: [user]\n",
    );
    let s = setup(&suite).await;
    let report = s.dir.path().join("r.xml");
    std::fs::write(&report, "<testsuites/>").unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_authspec"))
        .args(["run", "s.yaml", "--junit", "r.xml", "--jobs", "1"])
        .current_dir(s.dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("API_URL", s.server.uri())
        .env("USER_TOKEN", &s.token)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // With one job, /items is answered before /slow is asked: once /slow has arrived, one
    // check finished and the other is in flight.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let requests = s.server.received_requests().await.unwrap_or_default();
        if requests.iter().any(|r| r.url.path() == "/slow") {
            break;
        }
        assert!(Instant::now() < deadline, "the slow request never arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted by SIGINT: 1 of 2 checks finished"),
        "{stderr}"
    );
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase"), 2);
    assert_eq!(
        count(
            &report,
            "//testsuite[@name='small']/testcase[@name='GET /items as user: allow'][not(error)]"
        ),
        1,
        "{}",
        std::fs::read_to_string(&report).unwrap()
    );
    assert_eq!(
        count(
            &report,
            "//testsuite[@name='authspec']/testcase[@name='interrupted']/error[@type='authspec.interrupted'][contains(@message, 'SIGINT')]"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_typed_into_filter_or_tags_is_redacted_everywhere() {
    let s = setup(SUITE).await;
    let report = s.dir.path().join("r.xml");
    for args in [
        vec!["--filter", s.token.as_str()],
        vec!["--tags", s.token.as_str()],
    ] {
        let mut all = vec!["run", "s.yaml", "--junit", "r.xml"];
        all.extend(args.iter().copied());
        let run = run_in(s.dir.path(), &all, &s.env);
        assert_eq!(run.code, 2, "{}", run.all_output());
        assert!(
            run.stderr.contains("«redacted:user.bearer»"),
            "{}",
            run.stderr
        );
        let text = std::fs::read_to_string(&report).unwrap();
        for out in [run.all_output(), text] {
            assert!(!out.contains(&s.token), "{out}");
            assert!(!out.contains(&s.token[8..24]), "a piece of it: {out}");
        }
    }
    assert_eq!(received(&s.server).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upstream_ca_given_is_an_input_too() {
    let s = setup(SUITE).await;
    let d = s.dir.path();
    let made = run_in(d, &["upstream-ca", "--out", "ca"], &s.env);
    assert_eq!(made.code, 0, "{}", made.all_output());
    let pem = std::fs::read_to_string(d.join("ca/ca.pem")).unwrap();
    for file in ["ca/ca.pem", "ca/ca-key.pem"] {
        let run = run_in(
            d,
            &["run", "s.yaml", "--upstream-ca", "ca", "--junit", file],
            &s.env,
        );
        assert_eq!(run.code, 2, "{file}: {}", run.all_output());
        assert!(
            run.stderr.contains("an input of this run"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read_to_string(d.join("ca/ca.pem")).unwrap(), pem);
    assert!(d.join("ca/ca-key.pem").exists());
    assert_eq!(received(&s.server).await, 0, "nothing was sent");
}

/// Every string of `v` but the run's timings: what two runs of one suite must share.
fn timeless(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("duration_seconds");
            map.values_mut().for_each(timeless);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(timeless),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_spilled_to_a_temporary_file_or_kept_in_memory_write_the_same_reports() {
    let server = api().await;
    // `/admin` answers 200 to a role that must be refused: a finding beside a pass.
    Mock::given(method("GET"))
        .and(path("/admin"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    // More entries than a run keeps in memory (`report::IN_MEMORY`), so that they are
    // spilled where a temporary file can be made.
    let many = authspec::report::IN_MEMORY + 1;
    let cells: String = (0..many)
        .map(|i| format!("  - request: GET /items?n={i}\n    allow: [user]\n"))
        .collect();
    let suite = format!("{SUITE}{cells}  - request: GET /admin\n    deny: [user]\n");
    let token = fake_secret("user");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.yaml", &suite);
    let spill_dir = dir.path().join("tmp");
    std::fs::create_dir(&spill_dir).unwrap();
    let reports = [
        "--junit", "r.xml", "--json", "r.json", "--sarif", "r.sarif", "--html", "r.html",
    ];
    let mut seen = Vec::new();
    let timings = regex::Regex::new(r#" (time|timestamp)="[^"]*""#).unwrap();
    // A TMPDIR that does not exist: no temporary file can be made, the entries stay in
    // memory.
    for tmp in [spill_dir.clone(), dir.path().join("missing")] {
        let env = vec![
            ("API_URL", server.uri()),
            ("USER_TOKEN", token.clone()),
            ("TMPDIR", tmp.display().to_string()),
        ];
        let mut args = vec!["run", "s.yaml"];
        args.extend(reports);
        let run = run_in(dir.path(), &args, &env);
        assert_eq!(
            run.code,
            1,
            "the deny cell is a finding: {}",
            run.all_output()
        );
        assert_valid_junit(&dir.path().join("r.xml"));
        assert_eq!(count(&dir.path().join("r.xml"), "//testcase/failure"), 1);
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap())
                .unwrap();
        timeless(&mut json);
        let junit = std::fs::read_to_string(dir.path().join("r.xml")).unwrap();
        let junit = timings.replace_all(&junit, "").into_owned();
        let sarif = std::fs::read_to_string(dir.path().join("r.sarif")).unwrap();
        let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
        assert!(sarif.contains("access.deny") && html.contains("GET /admin as user: deny"));
        for text in [&junit, &sarif, &html, &json.to_string()] {
            assert!(!text.contains(&token), "the token is redacted");
        }
        seen.push((json, junit));
    }
    assert_eq!(json_results(&seen[0].0), many + 2);
    assert_eq!(
        seen[0], seen[1],
        "the same reports from the spill and from memory"
    );
    // The spill leaves no file behind.
    assert_eq!(std::fs::read_dir(&spill_dir).unwrap().count(), 0);
}

fn json_results(doc: &serde_json::Value) -> usize {
    doc["results"].as_array().map_or(0, Vec::len)
}
