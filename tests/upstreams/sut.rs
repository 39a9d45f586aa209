//! The SUT's lifecycle: stopped after the run and on Ctrl-C, and clear errors (with its
//! last output lines) when it cannot start or never gets ready.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::common::*;
use super::{gone, read_pid, run_suite, suite};

/// A suite whose SUT is the Python one-liner `script`, with `extra` under `sut:`.
fn one_liner(script: &str, extra: &str) -> String {
    format!(
        "suite: Broken SUT\nsut:\n  command: [python3, -c, {script:?}]\n  ready: GET /health\n{extra}target:\n  base_url: \"{{{{sut.url}}}}\"\nroles:\n  customer:\n    bearer: ${{env:CUSTOMER_TOKEN}}\nscenarios:\n  - name: anything\n    as: customer\n    request: GET /health\n    expect: {{ status: 200 }}\n"
    )
}

#[test]
fn the_sut_is_stopped_after_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("sut.pid");
    let yaml = suite(
        "\n    internal: false", "  - name: checkout\n    as: customer\n    request: POST /checkout\n    json: { amount: 1 }\n    expect: { status: 200 }\n")
        .replace(
            "  ready: GET /health",
            &format!("    PID_FILE: {:?}\n  ready: GET /health", pid_file.display().to_string()),
        );
    let out = run_suite(&yaml, &[]);
    assert_eq!(out.run.code, 0, "{}", out.run.all_output());
    assert!(
        gone(read_pid(&pid_file)),
        "the SUT still runs after the run"
    );
}

#[test]
fn a_sut_that_exits_early_shows_its_last_output() {
    // It prints a secret it was given: the output shown must be redacted (run_suite
    // checks that no secret reaches the report or the console).
    let script = "import os, sys; print('booting with', os.environ['DB_PASS']); print('config error: no DATABASE_URL', file=sys.stderr); sys.exit(3)";
    let env = "  env: { DB_PASS: \"${env:PAYMENTS_API_KEY}\" }\n";
    let out = run_suite(&one_liner(script, env), &[]);
    assert!(out.text("anything").contains("«redacted:sut.env.DB_PASS»"));
    assert_eq!(out.of("anything"), "error");
    let text = out.text("anything");
    for expected in [
        "did not get ready",
        "exited",
        "config error: no DATABASE_URL",
        "booting",
        "checkout.yaml:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    // The suite could not start: errors, no finding, exit 3.
    assert_eq!(out.run.code, 3);
}

#[test]
fn a_sut_that_never_answers_is_bounded_and_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("stuck.pid");
    let script = format!(
        "import os, time; open({:?}, 'w').write(str(os.getpid())); print('stuck on migrations', flush=True); time.sleep(300)",
        pid_file.display().to_string()
    );
    let out = run_suite(&one_liner(&script, "  ready_timeout: 1s\n"), &[]);
    let text = out.text("anything");
    assert!(text.contains("gave no 2xx within 1s"), "{text}");
    assert!(text.contains("stuck on migrations"), "{text}");
    assert!(gone(read_pid(&pid_file)), "the stuck SUT was not stopped");
}

#[test]
fn a_missing_program_is_an_error_naming_it() {
    let yaml = one_liner("x", "").replace("[python3, -c, \"x\"]", "[authspec-no-such-program]");
    let out = run_suite(&yaml, &[]);
    assert_eq!(out.of("anything"), "error");
    let text = out.text("anything");
    assert!(
        text.contains("cannot start the SUT `authspec-no-such-program`"),
        "{text}"
    );
}

#[test]
fn ctrl_c_stops_the_sut() {
    interrupted_run_stops_the_sut(nix::sys::signal::Signal::SIGINT);
}

#[test]
fn sigterm_stops_the_sut() {
    interrupted_run_stops_the_sut(nix::sys::signal::Signal::SIGTERM);
}

#[test]
fn what_a_failed_sut_started_is_stopped_too() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("child.pid");
    let yaml = one_liner("x", "").replace(
        "[python3, -c, \"x\"]",
        &format!(
            "[sh, -c, \"sleep 300 & echo $! > {}; exit 1\"]",
            pid_file.display()
        ),
    );
    let out = run_suite(&yaml, &[]);
    assert_eq!(out.of("anything"), "error");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !gone(read_pid(&pid_file)) {
        assert!(Instant::now() < deadline, "the SUT's child survived");
        std::thread::yield_now();
    }
}

fn interrupted_run_stops_the_sut(signal: nix::sys::signal::Signal) {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("hang.pid");
    let marker = dir.path().join("asked");
    // Answers /health; on /hang notes the request and never answers.
    let script = format!(
        r#"import os, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
open({pid:?}, "w").write(str(os.getpid()))
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/hang":
            open({marker:?}, "w").write("1")
            threading.Event().wait()
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()"#,
        pid = pid_file.display().to_string(),
        marker = marker.display().to_string()
    );
    let yaml = one_liner(&script, "  env: { PORT: \"{{sut.port}}\" }\n")
        .replace("request: GET /health", "request: GET /hang");
    let file = write(dir.path(), "hang.yaml", &yaml);
    let report = dir.path().join("report.xml");
    let token = fake_secret("customer");
    let mut child = Command::new(env!("CARGO_BIN_EXE_authspec"))
        .args(["run", file.to_str().unwrap(), "--junit"])
        .arg(&report)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("CUSTOMER_TOKEN", &token)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !marker.exists() {
        assert!(Instant::now() < deadline, "the SUT never got the request");
        assert!(child.try_wait().unwrap().is_none(), "authspec ended early");
        std::thread::yield_now();
    }
    let pid = read_pid(&pid_file);
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
    let out = child.wait_with_output().unwrap();
    // The shell's code for the signal: 130 for SIGINT, 143 for SIGTERM.
    assert_eq!(out.status.code(), Some(128 + signal as i32));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase[@name='interrupted']/error"), 1);
    // SIGKILL was sent before authspec exited; the kernel ends the process promptly.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !gone(pid) {
        assert!(Instant::now() < deadline, "the SUT survived Ctrl-C");
        std::thread::yield_now();
    }
}

#[test]
fn a_sut_that_dies_mid_run_is_named_in_the_error() {
    let script = r#"import os, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/crash":
            print("fatal: out of memory", file=sys.stderr, flush=True)
            os._exit(7)
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()"#;
    let yaml = one_liner(script, "  env: { PORT: \"{{sut.port}}\" }\n")
        .replace("request: GET /health", "request: GET /crash");
    let out = run_suite(&yaml, &[]);
    assert_eq!(out.of("anything"), "error");
    let text = out.text("anything");
    for expected in [
        "could not be made",
        "the SUT has exited",
        "7",
        "fatal: out of memory",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}
