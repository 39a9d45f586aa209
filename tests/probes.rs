//! Probes end to end, against receivers written here independently of authspec's own
//! signing code: for each webhook scheme a correct receiver (every case passes), a naive
//! one (every refusal case fails) and one that refuses everything (the positive control
//! fails and the rest are vacuous errors); rate limits; security headers; service logs;
//! issued key quality.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use common::*;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let k = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, key);
    aws_lc_rs::hmac::sign(&k, msg).as_ref().to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn header<'a>(r: &'a Request, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn fresh(ts: &str) -> bool {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    ts.parse::<i64>().is_ok_and(|t| (now - t).abs() <= 300)
}

/// Verifies a delivery the way each provider documents it.
fn verify(scheme: &str, secret: &str, r: &Request) -> bool {
    let body = String::from_utf8_lossy(&r.body);
    match scheme {
        "stripe" => {
            let h = header(r, "stripe-signature");
            let part = |k: &str| {
                h.split(',')
                    .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
            };
            let (Some(t), Some(v1)) = (part("t"), part("v1")) else {
                return false;
            };
            fresh(t) && hex(&hmac(secret.as_bytes(), format!("{t}.{body}").as_bytes())) == v1
        }
        "github" => {
            header(r, "x-hub-signature-256")
                == format!("sha256={}", hex(&hmac(secret.as_bytes(), body.as_bytes())))
        }
        "slack" => {
            let t = header(r, "x-slack-request-timestamp");
            fresh(t)
                && header(r, "x-slack-signature")
                    == format!(
                        "v0={}",
                        hex(&hmac(
                            secret.as_bytes(),
                            format!("v0:{t}:{body}").as_bytes()
                        ))
                    )
        }
        "standard_webhooks" => {
            let key = base64::engine::general_purpose::STANDARD
                .decode(secret.trim_start_matches("whsec_"))
                .unwrap();
            let (id, t) = (header(r, "webhook-id"), header(r, "webhook-timestamp"));
            let mac = base64::engine::general_purpose::STANDARD
                .encode(hmac(&key, format!("{id}.{t}.{body}").as_bytes()));
            fresh(t)
                && header(r, "webhook-signature")
                    .split(' ')
                    .any(|s| s == format!("v1,{mac}"))
        }
        _ => header(r, "x-signature") == hex(&hmac(secret.as_bytes(), body.as_bytes())),
    }
}

async fn receiver(scheme: &'static str, secret: String, mode: &'static str) -> MockServer {
    let server = MockServer::start().await;
    let seen: Mutex<HashSet<Vec<u8>>> = Mutex::new(HashSet::new());
    Mock::given(method("POST"))
        .and(path("/hooks"))
        .respond_with(move |r: &Request| {
            let ok = match mode {
                "naive" => true,
                "refuse_all" => false,
                _ => {
                    verify(scheme, &secret, r) && {
                        // A careful receiver also refuses a delivery it has already processed.
                        let mut key = r.body.clone();
                        key.extend_from_slice(format!("{:?}", r.headers).as_bytes());
                        seen.lock().unwrap().insert(key)
                    }
                }
            };
            ResponseTemplate::new(if ok { 200 } else { 401 })
        })
        .mount(&server)
        .await;
    server
}

fn webhook_suite(scheme: &str) -> String {
    format!(
        "suite: hooks\ntarget:\n  base_url: ${{env:API_URL}}\nprobes:\n  - webhooks:\n      request: POST /hooks\n      scheme: {scheme}\n      secret: ${{env:HOOK_SECRET}}\n      payload: {{ type: ping, id: evt_1 }}\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_webhook_scheme_against_correct_naive_and_refusing_receivers() {
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(fake_secret("hook"))
    );
    for scheme in [
        "stripe",
        "github",
        "slack",
        "standard_webhooks",
        "hmac_sha256",
    ] {
        let timestamped = matches!(scheme, "stripe" | "slack" | "standard_webhooks");
        let cases = if timestamped { 6 } else { 5 };
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "h.yaml", &webhook_suite(scheme));
        for mode in ["correct", "naive", "refuse_all"] {
            let server = receiver(scheme, secret.clone(), mode).await;
            let report = dir.path().join(format!("{mode}.xml"));
            let run = authspec(
                &["run", "h.yaml", "--junit", report.to_str().unwrap()],
                &[("API_URL", &server.uri()), ("HOOK_SECRET", &secret)],
                dir.path(),
            );
            let what = format!("{scheme}/{mode}:\n{}", run.stdout);
            assert_eq!(count(&report, "//testcase"), cases, "{what}");
            match mode {
                "correct" => {
                    assert_eq!(run.code, 0, "{what}");
                    assert_eq!(count(&report, "//testcase/system-out"), 0, "{what}");
                }
                "naive" => {
                    assert_eq!(run.code, 1, "{what}");
                    let replay_fails = usize::from(scheme == "standard_webhooks");
                    assert_eq!(
                        count(&report, "//testcase[failure]"),
                        cases - 2 + replay_fails,
                        "{what}"
                    );
                    assert_eq!(
                        count(
                            &report,
                            "//testcase[contains(@name, 'valid_signature_accepted')][not(*)]"
                        ),
                        1,
                        "{what}"
                    );
                    if replay_fails == 0 {
                        assert!(
                            run.stdout.contains("an identical redelivery was accepted"),
                            "{what}"
                        );
                    }
                }
                _ => {
                    assert_eq!(run.code, 1, "{what}");
                    assert_eq!(count(&report, "//testcase[failure]"), 1, "{what}");
                    assert_eq!(count(&report, "//testcase[error]"), cases - 1, "{what}");
                    assert!(run.stdout.contains("vacuous"), "{what}");
                }
            }
            assert!(
                !run.all_output().contains(&secret[6..30]),
                "the secret leaked"
            );
        }
    }
}

async fn limiter(limit_after: Option<u32>, retry_after: bool) -> MockServer {
    let server = MockServer::start().await;
    let n = Mutex::new(0u32);
    Mock::given(any())
        .respond_with(move |_: &Request| {
            let mut n = n.lock().unwrap();
            *n += 1;
            match limit_after {
                Some(l) if *n > l => {
                    let t = ResponseTemplate::new(429);
                    if retry_after {
                        t.insert_header("Retry-After", "30")
                    } else {
                        t
                    }
                }
                _ => ResponseTemplate::new(200),
            }
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_passes_only_when_a_timely_429_with_retry_after_comes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "r.yaml",
        "suite: rl\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\nprobes:\n  - rate_limit:\n      as: user\n      request: GET /search\n      burst: 40\n      expect_within: 10\n      retry_after: required\n",
    );
    let token = fake_secret("user");
    let cases = [
        (Some(5), true, 0, "429 at request 6"),
        (None, true, 1, "no 429 after 40 requests"),
        (Some(5), false, 1, "without a Retry-After header"),
        (
            Some(20),
            true,
            1,
            "limiting began only at request 21, expected by request 10",
        ),
        // The positive control: a burst of refusals proves nothing (an error: exit 3).
        (Some(0), true, 3, "got 429, not a 2xx"),
    ];
    for (limit, retry, code, says) in cases {
        let server = limiter(limit, retry).await;
        let run = authspec(
            &["run", "r.yaml"],
            &[("API_URL", &server.uri()), ("T", &token)],
            dir.path(),
        );
        assert_eq!(run.code, code, "{limit:?}/{retry}: {}", run.stdout);
        assert!(
            run.stdout.contains(says),
            "{limit:?}/{retry}: expected {says:?} in\n{}",
            run.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_probe_finds_reflected_origins_and_cacheable_tokens() {
    let server = MockServer::start().await;
    Mock::given(path("/good"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Content-Type-Options", "nosniff")
                .insert_header("Content-Security-Policy", "frame-ancestors 'none'")
                .set_body_json(serde_json::json!({"items": []})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/leaky"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Content-Type-Options", "nosniff")
                .set_body_json(
                    serde_json::json!({"items": [], "debug": "cannot open /var/www/shop/config/database.yml"}),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/bad"))
        .respond_with(|r: &Request| {
            ResponseTemplate::new(200)
                .insert_header("Access-Control-Allow-Origin", header(r, "origin"))
                .insert_header("Access-Control-Allow-Credentials", "true")
                .set_body_json(serde_json::json!({"access_token": "fake-issued"}))
        })
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "h.yaml",
        "suite: h\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\nprobes:\n  - headers:\n      as: user\n      requests: [GET /good, GET /bad, GET /leaky]\n",
    );
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "h.yaml", "--junit", report.to_str().unwrap()],
        &[("API_URL", &server.uri()), ("T", &fake_secret("t"))],
        dir.path(),
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        count(
            &report,
            "//testcase[starts-with(@name, 'headers GET /good')][failure]"
        ),
        0,
        "{}",
        run.stdout
    );
    let leaky = xpath(
        &report,
        "string(//testcase[@name='headers GET /leaky as user: nosniff']/failure/@message)",
    );
    assert!(
        leaky.contains("file_path"),
        "the probe's responses are scanned too: {leaky:?}"
    );
    for case in ["nosniff", "framing", "no_store_with_tokens", "cors"] {
        let name = format!("headers GET /bad as user: {case}");
        assert_eq!(
            count(&report, &format!("//testcase[@name='{name}']/failure")),
            1,
            "{name}\n{}",
            run.stdout
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_scan_reads_only_the_runs_lines_and_finds_secrets_in_them() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("service.log");
    let token = fake_secret("logtok");
    // Written before the run: not this run's business.
    std::fs::write(&log, "old line without auth failures\n").unwrap();
    let server = MockServer::start().await;
    let log_path = log.clone();
    Mock::given(any())
        .respond_with(move |r: &Request| {
            use std::io::Write;
            let auth = header(r, "authorization").to_string();
            let line = if header(r, "x-leak") == "yes" {
                format!(
                    "401 auth failed for {}\n",
                    base64::engine::general_purpose::STANDARD.encode(&auth)
                )
            } else {
                "401 request refused\n".to_string()
            };
            std::fs::OpenOptions::new()
                .append(true)
                .open(&log_path)
                .unwrap()
                .write_all(line.as_bytes())
                .unwrap();
            ResponseTemplate::new(401)
        })
        .mount(&server)
        .await;
    let suite = |leak: &str| {
        format!(
            "suite: logs\ntarget:\n  base_url: ${{env:API_URL}}\nroles:\n  anonymous: {{}}\n  user:\n    bearer: ${{env:T}}\n    proof: GET /p\nscenarios:\n  - name: refused\n    as: user\n    request: GET /x\n    headers: {{ X-Leak: {leak} }}\n    expect: {{ status: 401 }}\nlogs:\n  - path: service.log\n    must_not_contain: secrets\n    must_record: [\"auth failed\", \"401\"]\n"
        )
    };
    let env = [("API_URL", server.uri()), ("T", token.clone())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    write(dir.path(), "l.yaml", &suite("yes"));
    let run = authspec(&["run", "l.yaml"], &env, dir.path());
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("the log holds credentials of this run: user.bearer/base64"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("PASS  logs › log service.log: records \"auth failed\", \"401\""),
        "{}",
        run.stdout
    );
    write(dir.path(), "l.yaml", &suite("no"));
    let run = authspec(&["run", "l.yaml"], &env, dir.path());
    assert!(
        run.stdout
            .contains("PASS  logs › log service.log: no secrets"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the log does not record \"auth failed\""),
        "{}",
        run.stdout
    );
    assert!(!run.all_output().contains(&token[..20]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issued_keys_must_be_long_and_random_and_are_never_printed() {
    let strong = "k3Jd9_Qm2ZxV8pLw0RtY6uHs4NcB1aEf7GjKq5WeTz".to_string();
    // Keys in a well-known format (`sk_live_…`) are what such APIs issue: delivering one
    // where `json_key_quality` expects it is not a leak.
    let stripe_like = format!(
        "sk_live_{}{}",
        fake_secret("a").replace('-', ""),
        fake_secret("b").replace('-', "")
    );
    for (key, code) in [
        (strong.clone(), 0),
        (stripe_like, 0),
        ("abc123abc123".to_string(), 1),
    ] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(201).set_body_json(serde_json::json!({ "api_key": key })),
            )
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "k.yaml",
            "suite: keys\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  anonymous: {}\nscenarios:\n  - name: issue a key\n    as: anonymous\n    request: POST /keys\n    expect:\n      status: 201\n      json_key_quality: { path: $.api_key, min_length: 32, min_entropy_bits: 128 }\n",
        );
        let run = authspec(
            &["run", "k.yaml"],
            &[("API_URL", &server.uri())],
            dir.path(),
        );
        assert_eq!(run.code, code, "{}", run.stdout);
        assert!(
            !run.all_output().contains(&key),
            "the issued key was printed:\n{}",
            run.stdout
        );
        if code == 1 {
            assert!(
                run.stdout
                    .contains("has 12 characters, expected at least 32"),
                "{}",
                run.stdout
            );
            assert!(
                run.stdout
                    .contains("bits of entropy, expected at least 128"),
                "{}",
                run.stdout
            );
        }
    }
}

/// A filter runs only the selected cases (and the positive control they need), and the
/// report has exactly those, under their own names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filtered_probe_runs_and_reports_only_the_selected_cases() {
    let secret = fake_secret("hook");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "h.yaml", &webhook_suite("github"));
    for (filter, mode, deliveries, failed) in [
        // The control, then the delivery and its replay.
        ("replay_refused", "correct", 3, 0),
        // The control, then the tampered delivery, accepted.
        ("tampered_body_refused", "naive", 2, 1),
    ] {
        let server = receiver("github", secret.clone(), mode).await;
        let report = dir.path().join(format!("{filter}.xml"));
        let run = authspec(
            &[
                "run",
                "h.yaml",
                "--filter",
                filter,
                "--junit",
                report.to_str().unwrap(),
            ],
            &[("API_URL", &server.uri()), ("HOOK_SECRET", &secret)],
            dir.path(),
        );
        let what = format!("{filter}:\n{}", run.stdout);
        assert_eq!(count(&report, "//testcase"), 1, "{what}");
        let name = format!("webhooks POST /hooks (github): {filter}");
        assert_eq!(
            count(&report, &format!("//testcase[@name='{name}']")),
            1,
            "{what}"
        );
        assert_eq!(count(&report, "//testcase[failure]"), failed, "{what}");
        let received = server.received_requests().await.unwrap().len();
        assert_eq!(received, deliveries, "{what}");
    }

    // A leak of a response goes with the first selected case of its request.
    let server = MockServer::start().await;
    Mock::given(path("/leaky"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Content-Type-Options", "nosniff")
                .insert_header("X-Frame-Options", "DENY")
                .set_body_json(
                    serde_json::json!({"items": [], "debug": "cannot open /var/www/shop/config/database.yml"}),
                ),
        )
        .mount(&server)
        .await;
    write(
        dir.path(),
        "headers.yaml",
        "suite: h\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\nprobes:\n  - headers:\n      as: user\n      requests: [GET /leaky, GET /other]\n",
    );
    let report = dir.path().join("headers.xml");
    let run = authspec(
        &[
            "run",
            "headers.yaml",
            "--filter",
            "/leaky as user: framing",
            "--junit",
            report.to_str().unwrap(),
        ],
        &[("API_URL", &server.uri()), ("T", &fake_secret("t"))],
        dir.path(),
    );
    assert_eq!(count(&report, "//testcase"), 1, "{}", run.stdout);
    let framing = xpath(
        &report,
        "string(//testcase[@name='headers GET /leaky as user: framing']/failure/@message)",
    );
    assert!(framing.contains("file_path"), "{framing:?}");
    // `GET /other` has no selected case: it is never sent.
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(paths, ["/leaky"]);
}
