//! Response bodies are judged whole or not at all (issue 13), end to end, each guarantee
//! against a flawed server and its sound twin: gzip, deflate, brotli and zstd bodies are
//! decoded before every expectation and leak detector (and excerpts show decoded text);
//! a decompression bomb stops at `--max-body` as an error naming the limit; a trace deep
//! in a large body is found; a body beyond `--max-body` fails no check and passes none
//! that needs all of it (status-only cells with `leakage: off` still judge); a secret cut
//! by the limit shows no fragment; a corrupt stream, or a coding authspec does not
//! decode, is an error; a probe's response beyond the limit is an error while its leak
//! scan is on.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRACE: &str = "{\"error\":\"java.lang.NullPointerException: order\\n\\tat com.shop.Cart.total(Cart.java:42)\\n\\tat com.shop.Api.get(Api.java:17)\"}";
const CLEAN: &str = "{\"error\":\"the order could not be found\"}";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// HTTP's `deflate` is the zlib format (RFC 9110 8.4.1.2).
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
    e.write_all(data).unwrap();
    drop(e);
    out
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

type Encoder = fn(&[u8]) -> Vec<u8>;

/// (Content-Encoding, encoder).
const CODECS: [(&str, Encoder); 4] = [
    ("gzip", gzip),
    ("deflate", deflate),
    ("br", brotli),
    ("zstd", zstd),
];

fn encoded(encoding: &str, bytes: Vec<u8>) -> ResponseTemplate {
    encoded_as(500, encoding, bytes)
}

fn encoded_as(status: u16, encoding: &str, bytes: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-encoding", encoding)
        .insert_header("content-type", "application/json")
        .set_body_bytes(bytes)
}

async fn serve(server: &MockServer, at: &str, response: ResponseTemplate) {
    Mock::given(path(at))
        .respond_with(response)
        .mount(server)
        .await;
}

/// A suite against `API_URL`: `leakage`, then `body` (access and scenarios).
fn suite(leakage: &str, body: &str) -> String {
    format!(
        "suite: bodies\ntarget:\n  base_url: ${{env:API_URL}}\n{leakage}roles:\n  anonymous: {{}}\n{body}"
    )
}

/// A one-step scenario `name` on `GET at` expecting `status` and no `needle`.
fn not_contains(name: &str, at: &str, status: u16, needle: &str) -> String {
    format!(
        "  - name: {name}\n    as: anonymous\n    request: GET {at}\n    expect:\n      status: {status}\n      body_not_contains: [\"{needle}\"]\n"
    )
}

struct Outcome {
    run: Run,
    report: std::path::PathBuf,
}

impl Outcome {
    /// The `failure` or `error` of the test case `name`, as (element, message, detail).
    fn case(&self, name: &str) -> (String, String, String) {
        let case = format!("//testcase[@name='{name}']");
        for element in ["failure", "error"] {
            if count(&self.report, &format!("{case}/{element}")) == 1 {
                let message = xpath(&self.report, &format!("string({case}/{element}/@message)"));
                let detail = xpath(&self.report, &format!("string({case}/{element})"));
                return (element.to_string(), message, detail);
            }
        }
        assert_eq!(
            count(&self.report, &case),
            1,
            "no test case {name}:\n{}",
            self.run.stdout
        );
        ("pass".into(), String::new(), String::new())
    }
}

fn run(dir: &Path, suite: &str, extra: &[&str], env: &[(&str, &str)]) -> Outcome {
    write(dir, "s.yaml", suite);
    let report = dir.join("r.xml");
    let mut args = vec!["run", "s.yaml", "--junit", report.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = authspec(&args, env, dir);
    assert_valid_junit(&report);
    Outcome { run, report }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_bodies_are_decoded_before_every_check_and_detector() {
    let server = MockServer::start().await;
    let mut access = String::from("access:\n");
    let mut scenarios = String::from("scenarios:\n");
    for (encoding, encode) in CODECS {
        serve(
            &server,
            &format!("/trace/{encoding}"),
            encoded(encoding, encode(TRACE.as_bytes())),
        )
        .await;
        serve(
            &server,
            &format!("/clean/{encoding}"),
            encoded(encoding, encode(CLEAN.as_bytes())),
        )
        .await;
        for kind in ["trace", "clean"] {
            let at = format!("/{kind}/{encoding}");
            access.push_str(&format!("  - request: GET {at}\n    deny: [anonymous]\n"));
            scenarios.push_str(&not_contains(
                &format!("{kind} {encoding}"),
                &at,
                500,
                "java.lang.",
            ));
        }
    }
    serve(
        &server,
        "/clean/plain",
        ResponseTemplate::new(500).set_body_string(CLEAN),
    )
    .await;
    scenarios.push_str(&not_contains(
        "clean plain",
        "/clean/plain",
        500,
        "java.lang.",
    ));
    let dir = tempfile::tempdir().unwrap();
    // Deny cells on a 500: the access rule fails on its own, so the leak is what is
    // asserted; the status-only scenarios isolate `body_not_contains` and the scan.
    let uri = server.uri();
    let out = run(
        dir.path(),
        &suite("", &format!("{access}{scenarios}")),
        &[],
        &[("API_URL", &uri)],
    );
    assert_eq!(out.run.code, 1, "{}", out.run.stdout);
    for (encoding, _) in CODECS {
        let (element, message, detail) = out.case(&format!("trace {encoding}"));
        assert_eq!(element, "failure", "{encoding}: {}", out.run.stdout);
        assert!(
            message.contains("must not contain \"java.lang.\", found:")
                && message.contains("java.lang.NullPointerException"),
            "{encoding}: the excerpt shows decoded text: {message}"
        );
        assert!(
            detail.contains("(stack_trace, CWE-209"),
            "{encoding}: {detail}"
        );
        assert!(
            detail.contains("com.shop.Cart.total"),
            "{encoding}: {detail}"
        );
        let (_, _, detail) = out.case(&format!("GET /trace/{encoding} as anonymous: deny"));
        assert!(
            detail.contains("(stack_trace, CWE-209"),
            "{encoding}: {detail}"
        );
        // The sound twin: the same encoding of a clean body passes.
        let (element, message, _) = out.case(&format!("clean {encoding}"));
        assert_eq!(element, "pass", "{encoding}: {message}");
        let (_, _, detail) = out.case(&format!("GET /clean/{encoding} as anonymous: deny"));
        assert!(!detail.contains("leak"), "{encoding}: {detail}");
        assert!(
            detail.contains("the order could not be found"),
            "{encoding}: {detail}"
        );
    }
    assert_eq!(out.case("clean plain").0, "pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bomb_stops_at_the_limit_and_a_corrupt_stream_is_an_error() {
    let server = MockServer::start().await;
    // 64 MiB of one letter: about 64 KiB of gzip, four times the default limit.
    let bomb = gzip(&vec![b'a'; 64 << 20]);
    assert!(bomb.len() < 128 << 10, "{}", bomb.len());
    serve(&server, "/bomb", encoded_as(200, "gzip", bomb)).await;
    serve(
        &server,
        "/small",
        encoded_as(200, "gzip", gzip(CLEAN.as_bytes())),
    )
    .await;
    let mut corrupt = gzip(CLEAN.as_bytes());
    corrupt[12] ^= 0xff;
    corrupt[14] ^= 0xff;
    serve(&server, "/corrupt", encoded_as(200, "gzip", corrupt)).await;
    // A coding reqwest does not decode: its bytes are not the text, so nothing judges it.
    serve(
        &server,
        "/compress",
        encoded_as(200, "compress", TRACE.into()),
    )
    .await;
    let body = "access:\n  - request: GET /bomb\n    allow: [anonymous]\n  - request: GET /small\n    allow: [anonymous]\n  - request: GET /corrupt\n    allow: [anonymous]\n  - request: GET /compress\n    allow: [anonymous]\n";
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let started = Instant::now();
    let out = run(dir.path(), &suite("", body), &[], &[("API_URL", &uri)]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    // Errors only (nothing judged wrong): exit 3.
    assert_eq!(out.run.code, 3, "{}", out.run.stdout);
    let (element, message, _) = out.case("GET /bomb as anonymous: allow");
    assert_eq!(element, "error", "{}", out.run.stdout);
    assert!(
        message.contains("the body is larger than --max-body (16 MiB); it was not judged")
            && message.contains("raise --max-body"),
        "{message}"
    );
    let (element, message, _) = out.case("GET /corrupt as anonymous: allow");
    assert_eq!(element, "error", "{message}");
    assert!(message.contains("reading the body"), "{message}");
    let (element, message, _) = out.case("GET /compress as anonymous: allow");
    assert_eq!(element, "error", "{message}");
    assert!(message.contains("encoded as `compress`"), "{message}");
    // The sound twin: a small gzip body is read whole and passes.
    assert_eq!(out.case("GET /small as anonymous: allow").0, "pass");
}

/// 2 MiB of JSON: filler, then `tail` after the first 1.5 MiB.
fn large(tail: &str) -> String {
    let filler = "{\"id\":1,\"item\":\"gadget\"},".repeat((3 << 19) / 25);
    let mut body = format!("[{filler}{{\"note\":\"{tail}\"}}");
    while body.len() < 2 << 20 {
        body.push(' ');
    }
    body.push(']');
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_after_the_first_mebibyte_is_found() {
    let server = MockServer::start().await;
    let trace = "java.lang.IllegalStateException\\n\\tat com.shop.Cart.total(Cart.java:42)";
    serve(
        &server,
        "/deep",
        ResponseTemplate::new(200).set_body_string(large(trace)),
    )
    .await;
    serve(
        &server,
        "/twin",
        ResponseTemplate::new(200).set_body_string(large("fine")),
    )
    .await;
    let body = format!(
        "access:\n  - request: GET /deep\n    allow: [anonymous]\n  - request: GET /twin\n    allow: [anonymous]\nscenarios:\n{}{}",
        not_contains("deep", "/deep", 200, "IllegalStateException"),
        not_contains("twin", "/twin", 200, "IllegalStateException"),
    );
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let out = run(dir.path(), &suite("", &body), &[], &[("API_URL", &uri)]);
    assert_eq!(out.run.code, 1, "{}", out.run.stdout);
    let (element, message, _) = out.case("GET /deep as anonymous: allow");
    assert_eq!(element, "failure", "{}", out.run.stdout);
    assert!(
        message.contains("Java stack trace (stack_trace"),
        "{message}"
    );
    let (element, message, _) = out.case("deep");
    assert_eq!(element, "failure");
    assert!(message.contains("IllegalStateException"), "{message}");
    assert_eq!(out.case("GET /twin as anonymous: allow").0, "pass");
    assert_eq!(out.case("twin").0, "pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_beyond_max_body_fails_nothing_and_passes_nothing_that_needs_it_whole() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/big",
        ResponseTemplate::new(200).set_body_string(large("fine")),
    )
    .await;
    let trace = "java.lang.IllegalStateException\\n\\tat com.shop.Cart.total(Cart.java:42)";
    let early = format!("{{\"error\":\"{trace}\"}}{}", large("fine"));
    serve(
        &server,
        "/early",
        ResponseTemplate::new(200).set_body_string(early),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let env = [("API_URL", uri.as_str())];
    let judged = format!(
        "access:\n  - request: GET /big\n    allow: [anonymous]\n  - request: GET /early\n    allow: [anonymous]\nscenarios:\n{}",
        not_contains("big", "/big", 200, "IllegalStateException")
    );
    for limit in ["1MiB", "1048576"] {
        let out = run(
            dir.path(),
            &suite("", &judged),
            &["--max-body", limit],
            &env,
        );
        assert_eq!(out.run.code, 1, "{}", out.run.stdout);
        let (element, message, _) = out.case("big");
        assert_eq!(element, "error", "{limit}: {}", out.run.stdout);
        assert!(
            message.contains("the body is larger than --max-body (1 MiB); it was not judged: the leak scan and `body_not_contains` need all of it (raise --max-body"),
            "{message}"
        );
        let (element, message, _) = out.case("GET /big as anonymous: allow");
        assert_eq!(element, "error");
        assert!(
            message.contains("the leak scan needs all of it"),
            "{message}"
        );
        // What was read leaks: a finding however much was left unread, and it says so.
        let (element, message, detail) = out.case("GET /early as anonymous: allow");
        assert_eq!(element, "failure", "{message}");
        assert!(message.contains("stack_trace"), "{message}");
        assert!(
            detail
                .contains("only its first 1 MiB was read, so the leak scan was not judged in full"),
            "{detail}"
        );
    }
    // The sound twin: the default limit reads the whole body, which is clean.
    let out = run(dir.path(), &suite("", &judged), &[], &env);
    assert_eq!(out.case("big").0, "pass", "{}", out.run.stdout);
    assert_eq!(out.case("GET /big as anonymous: allow").0, "pass");
    // With `leakage: off`, a status-only cell needs no body: judged either way.
    let status_only = "access:\n  - request: GET /big\n    allow: [anonymous]\n  - request: GET /big\n    deny: [anonymous]\n";
    let out = run(
        dir.path(),
        &suite("leakage: off\n", status_only),
        &["--max-body", "1MiB"],
        &env,
    );
    assert_eq!(
        out.case("GET /big as anonymous: allow").0,
        "pass",
        "{}",
        out.run.stdout
    );
    let (element, message, _) = out.case("GET /big as anonymous: deny");
    assert_eq!(element, "failure", "{message}");
    assert!(message.contains("the request was accepted"), "{message}");
    let bad = authspec(&["run", "s.yaml", "--max-body", "16MB"], &env, dir.path());
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("`16MiB`"), "{}", bad.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_cut_by_the_limit_shows_no_fragment() {
    let secret = fake_secret("cut");
    let server = MockServer::start().await;
    // 64 bytes are read: the filler and the secret's first 24, or 6, characters.
    for filler in [40, 58] {
        let flawed = format!("{}{secret} and more after it", "x".repeat(filler));
        let at = format!("/cut/{filler}");
        serve(
            &server,
            &at,
            ResponseTemplate::new(500).set_body_string(flawed),
        )
        .await;
    }
    let decoy = format!(
        "{}{} and more after it",
        "x".repeat(40),
        fake_secret("decoy")
    );
    serve(
        &server,
        "/decoy",
        ResponseTemplate::new(500).set_body_string(decoy.clone()),
    )
    .await;
    let body = "  reader:\n    bearer: ${env:TOKEN}\naccess:\n  - request: GET /cut/40\n    allow: [reader]\n  - request: GET /cut/58\n    allow: [reader]\n  - request: GET /decoy\n    allow: [reader]\nscenarios:\n  - name: cut\n    as: reader\n    request: GET /cut/40\n    expect:\n      status: 200\n      body_contains: [\"ok\"]\n";
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let env = [("API_URL", uri.as_str()), ("TOKEN", secret.as_str())];
    for leakage in ["leakage: off\n", ""] {
        let out = run(
            dir.path(),
            &suite(leakage, body),
            &["--max-body", "64"],
            &env,
        );
        assert_eq!(out.run.code, 1, "{}", out.run.stdout);
        let junit = std::fs::read_to_string(&out.report).unwrap();
        let everything = format!("{}\n{junit}", out.run.all_output());
        let chars: Vec<char> = secret.chars().collect();
        for piece in chars.windows(8) {
            let piece: String = piece.iter().collect();
            assert!(
                !everything.contains(&piece),
                "{leakage}{piece:?} of the secret shows:\n{everything}"
            );
        }
        assert!(
            everything.contains("[body cut at --max-body (64 B)]"),
            "{everything}"
        );
        for filler in [40, 58] {
            let (element, _, detail) = out.case(&format!("GET /cut/{filler} as reader: allow"));
            assert_eq!(element, "failure", "{leakage}{detail}");
            let shown = format!("{}{}", "x".repeat(filler), &secret[..64 - filler]);
            assert!(!detail.contains(&shown), "{leakage}{detail}");
            assert!(
                detail.contains(&"x".repeat(filler)),
                "the excerpt is shown: {detail}"
            );
        }
        // The sound twin: a value that is no secret of the run, cut alike, is shown.
        let (_, _, detail) = out.case("GET /decoy as reader: allow");
        assert!(detail.contains(&decoy[..64]), "{leakage}{detail}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_on_a_body_beyond_max_body_is_an_error_unless_leakage_is_off() {
    let server = MockServer::start().await;
    let safe = ResponseTemplate::new(200)
        .insert_header("x-content-type-options", "nosniff")
        .insert_header("x-frame-options", "DENY")
        .insert_header("cache-control", "no-store");
    serve(&server, "/big", safe.set_body_string("x".repeat(4096))).await;
    let dir = tempfile::tempdir().unwrap();
    let uri = server.uri();
    let env = [("API_URL", uri.as_str())];
    let probe = "probes:\n  - headers:\n      as: anonymous\n      requests: [GET /big]\n";
    let nosniff = "headers GET /big as anonymous: nosniff";
    let out = run(dir.path(), &suite("", probe), &["--max-body", "1KiB"], &env);
    let (element, message, _) = out.case(nosniff);
    assert_eq!(element, "error", "{}", out.run.stdout);
    assert!(
        message.contains("larger than --max-body (1 KiB); it was not judged: the leak scan"),
        "{message}"
    );
    // The sound twins: the whole body read, or no leak scan to need it.
    let out = run(dir.path(), &suite("", probe), &[], &env);
    assert_eq!(out.case(nosniff).0, "pass", "{}", out.run.stdout);
    let out = run(
        dir.path(),
        &suite("leakage: off\n", probe),
        &["--max-body", "1KiB"],
        &env,
    );
    assert_eq!(out.case(nosniff).0, "pass", "{}", out.run.stdout);
}
