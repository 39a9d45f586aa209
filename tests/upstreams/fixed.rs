//! Upstreams on fixed ports for a SUT started outside authspec, trusting a CA written
//! ahead of time with `authspec upstream-ca`; and suite errors with file:line:column.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::checkout_py;
use super::common::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Sut(Child);

impl Drop for Sut {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_sut_started_outside_trusts_a_ca_written_ahead_of_time() {
    let dir = tempfile::tempdir().unwrap();
    let ca_dir = dir.path().join("ca");
    let ca = ca_dir.to_str().unwrap();
    let made = authspec(&["upstream-ca", "--out", ca], &[], dir.path());
    assert_eq!(made.code, 0, "{}", made.all_output());
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(ca_dir.join("ca-key.pem"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    let again = authspec(&["upstream-ca", "--out", ca], &[], dir.path());
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already holds an upstream CA"));

    let (upstream_port, sut_port) = (free_port(), free_port());
    let key = fake_secret("payments-key");
    let sut = Sut(Command::new("python3")
        .arg(checkout_py())
        .env("PORT", sut_port.to_string())
        .env("PAYMENTS_URL", format!("https://localhost:{upstream_port}"))
        .env("PAYMENTS_CA_FILE", ca_dir.join("ca.pem"))
        .env("PAYMENTS_API_KEY", &key)
        .env_remove("CUSTOMER_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap());
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", sut_port)).is_err() {
        assert!(Instant::now() < deadline, "the SUT did not start");
        std::thread::yield_now();
    }
    let yaml = format!(
        r#"suite: Outside SUT
upstreams:
  payments:
    listen: 127.0.0.1:{upstream_port}
    routes:
      - request: POST /v1/charges
        respond: {{ json: {{ id: ch_9 }} }}
target:
  base_url: http://127.0.0.1:{sut_port}
roles:
  customer:
    bearer: ${{env:CUSTOMER_TOKEN}}
scenarios:
  - name: valid
    as: customer
    request: POST /checkout
    json: {{ amount: 5 }}
    expect:
      status: 200
      upstream: {{ payments: {{ requests: 1, header: {{ Authorization: "Bearer ${{env:PAYMENTS_API_KEY}}" }} }} }}
  - name: expired
    upstream_tls: {{ payments: expired }}
    as: customer
    request: POST /checkout
    json: {{ amount: 5 }}
    expect: {{ status: 502, upstream: {{ payments: {{ requests: 0 }} }} }}
"#
    );
    let file = write(dir.path(), "outside.yaml", &yaml);
    let token = fake_secret("customer");
    let env = [
        ("PAYMENTS_API_KEY", key.as_str()),
        ("CUSTOMER_TOKEN", token.as_str()),
    ];
    let run = authspec(
        &["run", file.to_str().unwrap(), "--upstream-ca", ca],
        &env,
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(run.stdout.contains("the SUT refused it"), "{}", run.stdout);
    // Without the CA the SUT trusts, even the valid upstream is refused.
    let run = authspec(&["run", file.to_str().unwrap()], &env, dir.path());
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stdout.contains("FAIL  Outside SUT › valid"),
        "{}",
        run.stdout
    );
    drop(sut);

    let empty = dir.path().join("empty");
    let bad = authspec(
        &[
            "run",
            file.to_str().unwrap(),
            "--upstream-ca",
            empty.to_str().unwrap(),
        ],
        &env,
        dir.path(),
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("authspec upstream-ca --out"),
        "{}",
        bad.stderr
    );
}

#[test]
fn suite_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = r#"suite: Bad upstreams
upstreams:
  payments:
    routes: []
  ledger:
    routes: []
sut:
  command: [python3, app.py]
  env:
    API_KEY: not-a-reference
    URL: "{{upstreams.payments.ur}}"
  ready: GET /health
target:
  base_url: "{{sut.ur}}"
roles:
  customer:
    bearer: ${env:CUSTOMER_TOKEN}
scenarios:
  - name: typo
    upstream_tls: { paymnts: expired, ledger: expird }
    as: customer
    request: GET /x
    expect:
      upstream: { payment: { requests: 0 } }
"#;
    let file = write(dir.path(), "bad.yaml", yaml);
    let token = fake_secret("customer");
    let run = authspec(
        &["validate", file.to_str().unwrap()],
        &[("CUSTOMER_TOKEN", &token)],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}", run.all_output());
    let err = run.stderr;
    for expected in [
        "bad.yaml:10:5: literal credential in `sut.env.API_KEY`",
        "bad.yaml:11:5: `{{upstreams.payments.ur}}` in `sut.env.URL` is not a template of this run",
        "did you mean `{{upstreams.payments.url}}`?",
        "bad.yaml:14:13: `{{sut.ur}}` in `target.base_url` is not a template of this run",
        "did you mean `{{sut.url}}`?",
        "bad.yaml:20:21: unknown upstream `paymnts`",
        "did you mean `payments`?",
        "bad.yaml:20:47: `expird` is not an upstream certificate",
        "did you mean `expired`?",
        "bad.yaml:24:19: unknown upstream `payment`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(
        !err.contains("not-a-reference"),
        "the literal credential is echoed"
    );

    let odd = "suite: S\nupstreams:\n  payments: { routes: [] }\nsut:\n  command: [app, --key, \"${env:CUSTOMER_TOKEN}\"]\n  ready: GET /health\ntarget:\n  base_url: \"{{sut.url}}\"\nroles:\n  r:\n    bearer: ${env:CUSTOMER_TOKEN}\nscenarios:\n  - name: x\n    as: r\n    request: GET /\n    expect: { upstream: { payments: {} } }\n";
    let err = invalid(dir.path(), "odd.yaml", odd, &token);
    assert!(
        err.contains("odd.yaml:5:12: `sut.command` takes no `${…}` reference"),
        "{err}"
    );
    assert!(
        err.contains("odd.yaml:16:27: `upstream.payments` asserts nothing"),
        "{err}"
    );

    let no_listen = "suite: S\nupstreams:\n  payments:\n    routes: []\ntarget:\n  base_url: http://127.0.0.1:9\nroles:\n  r:\n    bearer: ${env:CUSTOMER_TOKEN}\nscenarios:\n  - name: x\n    as: r\n    request: GET /\n";
    let err = invalid(dir.path(), "nolisten.yaml", no_listen, &token);
    assert!(
        err.contains("nolisten.yaml:3:3: upstream `payments` has no `listen:`"),
        "{err}"
    );

    let typo = no_listen.replace("    routes: []", "    rutes: []\n    listen: 127.0.0.1:9");
    let err = invalid(dir.path(), "typo.yaml", &typo, &token);
    assert!(
        err.contains("typo.yaml:4:5") && err.contains("rutes"),
        "{err}"
    );
}

/// `authspec validate` of `yaml` written as `name`: exit 2, and its error output.
fn invalid(dir: &std::path::Path, name: &str, yaml: &str, token: &str) -> String {
    let file = write(dir, name, yaml);
    let run = authspec(
        &["validate", file.to_str().unwrap()],
        &[("CUSTOMER_TOKEN", token)],
        dir,
    );
    assert_eq!(run.code, 2, "{}", run.all_output());
    run.stderr
}
