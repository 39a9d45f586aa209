//! Property: no secret of a run, nor any 8-character piece of one, reaches any output
//! (stdout, stderr, the JUnit, JSON, SARIF and HTML reports, the last three both as
//! written and decoded: every JSON string, the page's text with its references
//! resolved), whatever the secret's alphabet and however a server
//! echoes it back. A test server answers `GET /e/K` with the caller's credentials in the
//! K-th of the encodings real stacks use (percent-encodings of several libraries, JSON,
//! Rust debug escapes, HTML references, Base64 in several shapes, hex, case changes, cut
//! pieces, split headers), in the body and, where a header can carry it, in `x-echo`.
//! Every access cell and scenario fails, so every response is shown.
//!
//! `AUTHSPEC_REDACTION_CASES=N` runs N runs instead of the default (each run checks four
//! secrets in every encoding).

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ENCODINGS: usize = 30;

fn percent(s: &str, keep: impl Fn(u8) -> bool, lower: bool) -> String {
    s.bytes()
        .map(|b| match (keep(b), lower) {
            (true, _) => (b as char).to_string(),
            (false, false) => format!("%{b:02X}"),
            (false, true) => format!("%{b:02x}"),
        })
        .collect()
}

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

fn json_ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_ascii() && !c.is_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out
}

fn html(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() => c.to_string(),
            '&' => "&amp;".into(),
            c => format!("&#x{:X};", c as u32),
        })
        .collect()
}

fn mime(s: &str) -> String {
    let long = format!("{}{s}{}", "header-line ".repeat(6), " trailer".repeat(4));
    let encoded = STANDARD.encode(long);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    lines.join("\r\n")
}

fn cut(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The K-th encoding of `s`, as the body shows it.
fn encode(k: usize, s: &str) -> String {
    match k {
        0 => s.to_string(),
        1 => percent(s, |b| unreserved(b) || b == b'/', false),
        2 => percent(
            s,
            |b| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b),
            false,
        ),
        3 => percent(s, unreserved, false),
        4 => percent(s, unreserved, true),
        5 => percent(s, unreserved, false).replace("%20", "+"),
        6 => serde_json::to_string(s).unwrap(),
        7 => json_ascii(s),
        8 => serde_json::to_string(s).unwrap().replace('/', "\\/"),
        9 => format!("{s:?}"),
        10 => STANDARD.encode(s),
        11 => STANDARD_NO_PAD.encode(s),
        12 => URL_SAFE_NO_PAD.encode(s),
        13 => STANDARD.encode(format!("Bearer {s}")),
        14 => STANDARD.encode(format!("user:{s}")),
        15 => mime(s),
        16 => s.bytes().map(|b| format!("{b:02x}")).collect(),
        17 => s.bytes().map(|b| format!("{b:02X}")).collect(),
        18 => html(s),
        19 => s.to_ascii_lowercase(),
        20 => s.to_ascii_uppercase(),
        21 => format!(
            "ORA-01017: invalid username/password; logon denied for {}",
            cut(s, 32)
        ),
        22 => format!("panic: bad token {}\ngoroutine 1 [running]:", cut(s, 36)),
        23 => format!("{}{s} (cut here)", "x".repeat(190)),
        24 => format!(
            "https://app.invalid/callback?token={}&x=1",
            percent(s, unreserved, false)
        ),
        25 => format!(
            "{{\"error\":{}}}",
            serde_json::to_string(&format!("bad key {s}")).unwrap()
        ),
        26 => format!("<p>Invalid token: {}</p>", html(s)),
        27 => format!("{:?}", format!("key={s}")),
        28 => serde_json::to_string(&serde_json::to_string(s).unwrap()).unwrap(),
        _ => {
            let half = s.chars().count() / 2;
            format!(
                "{} / {}",
                cut(s, half),
                s.chars().skip(half).collect::<String>()
            )
        }
    }
}

/// The credential the request carries: a bearer token, `X-Api-Key` or `?api_key=`.
fn credential(req: &Request) -> String {
    let header = |name: &str| {
        req.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    if let Some(auth) = header("authorization") {
        return auth.strip_prefix("Bearer ").unwrap_or(&auth).to_string();
    }
    if let Some(key) = header("x-api-key") {
        return key;
    }
    req.url
        .query_pairs()
        .find(|(k, _)| k == "api_key")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn echo(req: &Request) -> ResponseTemplate {
    let k: usize = req
        .url
        .path()
        .rsplit('/')
        .next()
        .and_then(|k| k.parse().ok())
        .unwrap_or(0);
    let secret = credential(req);
    let body = encode(k, &secret);
    let mut response = ResponseTemplate::new(200).set_body_string(body.clone());
    let line = body.replace(['\r', '\n'], " ");
    if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        response = response.insert_header("x-echo", line.as_str());
    }
    if k == ENCODINGS - 1 {
        let half = secret.chars().count() / 2;
        let (a, b): (String, String) = (cut(&secret, half), secret.chars().skip(half).collect());
        if a.is_ascii() && b.is_ascii() {
            response = response
                .insert_header("x-part-a", a.as_str())
                .insert_header("x-part-b", b.as_str());
        }
    }
    response
}

fn suite() -> String {
    let mut s = String::from(
        "suite: echoes\ntarget:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:BEARER}\n  \
         partner:\n    api_key: { header: X-Api-Key, value: \"${env:HEADER_KEY}\" }\n  legacy:\n    \
         api_key: { query: api_key, value: \"${env:QUERY_KEY}\" }\n  filed:\n    bearer: ${file:token.txt}\n\
         access:\n",
    );
    for k in 0..ENCODINGS {
        s.push_str(&format!(
            "  - request: GET /e/{k}\n    deny: [user, partner, legacy, filed]\n"
        ));
    }
    s.push_str("scenarios:\n");
    for k in 0..ENCODINGS {
        for role in ["user", "partner"] {
            s.push_str(&format!(
                "  - name: echo {k} as {role}\n    as: {role}\n    request: GET /e/{k}\n    expect:\n      \
                 status: 500\n      headers: {{ x-echo: nothing, x-part-a: nothing, x-part-b: nothing }}\n"
            ));
        }
    }
    s
}

/// Secrets from the alphabets credentials are drawn from, 6 to 128 characters.
fn secret() -> impl Strategy<Value = String> {
    let alnum = "[A-Za-z0-9]{6,128}";
    let b64 = "[A-Za-z0-9+/]{6,126}={0,2}";
    let urlsafe = "[A-Za-z0-9_-]{6,128}";
    let hex = "[0-9a-f]{6,128}";
    let punct = r#"[!-~]{6,128}"#;
    let wide = "[a-zA-Z0-9éüßøΩжक漢字\u{ad}\u{200b}]{6,64}";
    prop_oneof![alnum, b64, urlsafe, hex, punct, wide].prop_filter(
        "a value the environment and a file keep as is",
        |s| {
            let t = s.trim();
            t == s && !s.contains("${") && !s.contains("{{") && t.chars().count() >= 6
        },
    )
}

/// Every 8-character piece of `secret` (or `secret` itself when shorter), lower-cased.
fn pieces(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() <= 8 {
        return vec![secret.to_lowercase()];
    }
    chars
        .windows(8)
        .map(|w| w.iter().collect::<String>().to_lowercase())
        .collect()
}

#[test]
fn no_secret_nor_a_piece_of_one_reaches_any_output() {
    let cases: u32 = std::env::var("AUTHSPEC_REDACTION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(echo).mount(&server).await;
        server
    });
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "echo.yaml", &suite());
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (secret(), secret(), secret(), secret());
    let result = runner.run(&strategy, |(bearer, header_key, query_key, filed)| {
        write(dir.path(), "token.txt", &format!("{filed}\n"));
        let report = dir.path().join("r.xml");
        let (json, sarif, html, gitlab) = (
            dir.path().join("r.json"),
            dir.path().join("r.sarif"),
            dir.path().join("r.html"),
            dir.path().join("r.gl-sast.json"),
        );
        for p in [&report, &json, &sarif, &html, &gitlab] {
            let _ = std::fs::remove_file(p);
        }
        let run = authspec(
            &[
                "run",
                "echo.yaml",
                "--junit",
                report.to_str().unwrap(),
                "--json",
                json.to_str().unwrap(),
                "--sarif",
                sarif.to_str().unwrap(),
                "--html",
                html.to_str().unwrap(),
                "--gitlab-sast",
                gitlab.to_str().unwrap(),
            ],
            &[
                ("API_URL", &server.uri()),
                ("BEARER", &bearer),
                ("HEADER_KEY", &header_key),
                ("QUERY_KEY", &query_key),
            ],
            dir.path(),
        );
        prop_assert_eq!(run.code, 1, "every check fails: {}", run.all_output());
        let junit = std::fs::read_to_string(&report).unwrap_or_default();
        prop_assert!(junit.contains("<testcase"), "a report was written");
        let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
        let (json, sarif, html, gitlab) = (read(&json), read(&sarif), read(&html), read(&gitlab));
        prop_assert!(json.contains("\"results\""), "a JSON report was written");
        prop_assert!(sarif.contains("\"ruleId\""), "a SARIF report was written");
        prop_assert!(html.contains("<article"), "an HTML report was written");
        prop_assert!(
            gitlab.contains("\"identifiers\""),
            "a GitLab report was written"
        );
        let (json_strings, sarif_strings, html_text, gitlab_strings) = (
            strings(&json),
            strings(&sarif),
            unescape_html(&html),
            strings(&gitlab),
        );
        let outputs = [
            ("stdout", &run.stdout),
            ("stderr", &run.stderr),
            ("JUnit", &junit),
            ("JSON", &json),
            ("JSON strings", &json_strings),
            ("SARIF", &sarif),
            ("SARIF strings", &sarif_strings),
            ("HTML", &html),
            ("HTML text", &html_text),
            ("GitLab", &gitlab),
            ("GitLab strings", &gitlab_strings),
        ];
        for secret in [&bearer, &header_key, &query_key, &filed] {
            for (name, text) in outputs {
                let text = text.to_lowercase();
                for piece in pieces(secret) {
                    prop_assert!(
                        !text.contains(&piece),
                        "{name} shows {piece:?} of secret {secret:?}"
                    );
                }
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Every string of a JSON document (keys too), decoded, one a line.
fn strings(text: &str) -> String {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    out.push(k.clone());
                    walk(v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        walk(&v, &mut out);
    }
    out.join("\n")
}

/// The page's text as a browser shows it: the references the writer uses resolved.
fn unescape_html(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
