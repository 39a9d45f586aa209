//! What `same_body` and `same_headers` compare: each answer with the inputs of both
//! variants (as sent, JSON-escaped, URL- and form-encoded, HTML-escaped, in any case)
//! replaced by one marker, and values that change on every request (timestamps, UUIDs,
//! request and trace ids) by another; headers without the ones that vary per request.
//! A server that only echoes the username back answers both variants alike here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

use crate::model::template::{Vars, render, render_json};
use crate::model::{Body, Request};

const INPUT: &str = "«input»";
const VOLATILE: &str = "«volatile»";
/// Shorter inputs are left: replacing `no` would also replace it inside `not found`.
const MIN_ECHO: usize = 3;

/// Values that differ on every request whatever the input.
static VOLATILE_VALUES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // JSON members that name a time or a per-request id: their value, whatever it is.
        r#"(?i)("(?:request|req|trace|span|correlation|transaction|event|error)[_-]?id"|"(?:timestamp|time|ts|date|datetime|now|nonce|took|elapsed|duration)(?:[_-]?(?:ms|us|ns|s))?")\s*:\s*(?:"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*)"#,
        r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
        r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b",
        // Epoch seconds, milliseconds or microseconds.
        r"\b\d{10,16}(?:\.\d+)?\b",
        r"(?i)\b[0-9a-f]{16,}\b",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

/// Headers that change per request or per answer whatever the input; `set-cookie` keeps
/// its cookie names. `Content-Length` differs by the length of an echo, and otherwise
/// only where the bodies do, which is `same_body`'s finding, not this one's.
fn volatile_header(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "date",
        "content-length",
        "expires",
        "last-modified",
        "age",
        "etag",
        "connection",
        "keep-alive",
        "via",
        "request-id",
        "correlation-id",
        "traceparent",
        "tracestate",
        "server-timing",
        "cf-ray",
        "ratelimit",
    ];
    const PREFIXES: &[&str] = &["x-ratelimit-", "ratelimit-", "x-rate-limit-", "x-b3-"];
    const PARTS: &[&str] = &[
        "request-id",
        "requestid",
        "trace-id",
        "traceid",
        "correlation-id",
        "span-id",
        "runtime",
        "response-time",
        "served-by",
        "x-cache",
        "x-timer",
        "upstream-service-time",
        "x-amz-cf-",
    ];
    EXACT.contains(&name)
        || PREFIXES.iter().any(|p| name.starts_with(p))
        || PARTS.iter().any(|p| name.contains(p))
}

/// Rate-limit headers: compared by presence, not value.
fn counter_header(name: &str) -> bool {
    name == "ratelimit"
        || ["x-ratelimit-", "ratelimit-", "x-rate-limit-"]
            .iter()
            .any(|p| name.starts_with(p))
}

/// The inputs of both variants, in every form a server might echo them, as one pattern.
pub struct Echo(Option<Regex>);

impl Echo {
    /// From what both variants send (their templates filled in with `vars`).
    pub fn of(requests: &[&Request], vars: &Vars) -> Self {
        let mut values: BTreeSet<String> = BTreeSet::new();
        for r in requests {
            for v in inputs(r, vars) {
                if v.chars().count() >= MIN_ECHO {
                    values.extend(forms(&v));
                }
            }
        }
        let mut values: Vec<String> = values.into_iter().collect();
        // Longest first: an input that contains another is replaced whole.
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        let alternation: Vec<String> = values.iter().map(|v| regex::escape(v)).collect();
        let pattern = (!alternation.is_empty())
            .then(|| {
                RegexBuilder::new(&alternation.join("|"))
                    .case_insensitive(true)
                    .size_limit(1 << 24)
                    .build()
                    .ok()
            })
            .flatten();
        Self(pattern)
    }

    /// `text` with the inputs and the volatile values replaced.
    pub fn normalised(&self, text: &str) -> String {
        let mut out = match &self.0 {
            Some(re) => re.replace_all(text, INPUT).into_owned(),
            None => text.to_string(),
        };
        for (i, re) in VOLATILE_VALUES.iter().enumerate() {
            out = if i == 0 {
                re.replace_all(&out, format!("$1: {VOLATILE}")).into_owned()
            } else {
                re.replace_all(&out, VOLATILE).into_owned()
            };
        }
        out
    }

    /// The headers that say something about the input: name to the set of normalised
    /// values; `set-cookie` as the names of the cookies set.
    pub fn headers(&self, headers: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, value) in headers {
            let name = name.to_ascii_lowercase();
            let value = if counter_header(&name) {
                // Its value counts down per request, but sent for one variant only it
                // tells the accounts apart (a counter per existing account).
                VOLATILE.to_string()
            } else if volatile_header(&name) {
                continue;
            } else if name == "set-cookie" {
                let cookie = value.split(';').next().unwrap_or_default();
                let name = cookie.split('=').next().unwrap_or_default().trim();
                format!("{name}=…")
            } else {
                self.normalised(value)
            };
            out.entry(name).or_default().insert(value);
        }
        out
    }
}

/// The values a request sends: query and header values, body fields or the body.
fn inputs(r: &Request, vars: &Vars) -> Vec<String> {
    let fill = |t: &str| render(t, vars).unwrap_or_else(|_| t.to_string());
    let mut out: Vec<String> = r.query.iter().map(|(_, v)| fill(v)).collect();
    out.extend(r.headers.iter().map(|(_, v)| fill(v)));
    match r.body.as_deref() {
        Some(Body::Json(j)) => {
            let filled = render_json(j, vars).unwrap_or_else(|_| j.clone());
            leaves(&filled, &mut out);
        }
        Some(Body::Form(fields)) => out.extend(fields.iter().map(|(_, v)| fill(v))),
        Some(Body::Text(t)) => out.push(fill(t)),
        None => {}
    }
    out
}

fn leaves(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| leaves(v, out)),
        serde_json::Value::Object(m) => m.values().for_each(|v| leaves(v, out)),
        _ => {}
    }
}

/// `v` as sent, JSON-escaped, percent-encoded, form-encoded and HTML-escaped.
fn forms(v: &str) -> Vec<String> {
    let json = serde_json::to_string(v).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(&json)
        .to_string();
    let encoded = percent(v, false);
    let form = percent(v, true);
    let html = v
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    vec![v.to_string(), json, encoded, form, html]
}

fn percent(v: &str, form: bool) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' if form => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn login(user: &str) -> Request {
        Request {
            method: "POST",
            path: "/login".into(),
            written: None,
            headers: thin_vec::ThinVec::new(),
            query: thin_vec::ThinVec::new(),
            body: Some(Box::new(Body::Json(
                serde_json::json!({"username": format!("{user}-{{{{run.id}}}}"), "password": "not her password"}),
            ))),
            location: Location {
                file: "s.yaml".into(),
                line: 1,
                column: 1,
            },
        }
    }

    fn echo() -> Echo {
        let vars: Vars = [("run.id".to_string(), "r1x".to_string())].into();
        Echo::of(&[&login("nobody"), &login("alice")], &vars)
    }

    #[test]
    fn inputs_in_any_form_are_normalised_away() {
        let e = echo();
        for (a, b) in [
            (
                r#"{"error":"bad credentials for nobody-r1x"}"#,
                r#"{"error":"bad credentials for alice-r1x"}"#,
            ),
            ("user NOBODY-R1X unknown", "user alice-r1x unknown"),
            ("/login?u=not%20her%20password", "/login?u=not+her+password"),
        ] {
            assert_eq!(e.normalised(a), e.normalised(b), "{a} / {b}");
        }
        assert_ne!(
            e.normalised(r#"{"error":"no such user nobody-r1x"}"#),
            e.normalised(r#"{"error":"wrong password for alice-r1x"}"#)
        );
    }

    #[test]
    fn volatile_values_are_normalised_away() {
        let e = echo();
        let a = r#"{"error":"denied","request_id":"abc-1","at":"2026-12-02T10:00:00.123Z","trace":"0af7651916cd43dd8448eb211c80319c","id":"6f1c9c1e-3f5a-4c7e-9a57-1c2b3d4e5f60","ts":1764669600}"#;
        let b = r#"{"error":"denied","request_id":"xyz-22","at":"2026-12-02T10:00:01Z","trace":"1bf7651916cd43dd8448eb211c80319d","id":"00000000-3f5a-4c7e-9a57-1c2b3d4e5f61","ts":1764669601}"#;
        assert_eq!(e.normalised(a), e.normalised(b));
        assert_ne!(e.normalised(r#"{"e":1}"#), e.normalised(r#"{"e":2}"#));
    }

    #[test]
    fn volatile_headers_are_ignored_and_telling_ones_kept() {
        let e = echo();
        let h = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
            extra
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let a = e.headers(&h(&[
            ("Date", "Wed, 02 Dec 2026 10:00:00 GMT"),
            ("x-request-id", "1"),
            ("set-cookie", "sid=abc; HttpOnly"),
            ("content-length", "40"),
            ("content-type", "application/json"),
            ("location", "/users/nobody-r1x"),
        ]));
        let b = e.headers(&h(&[
            ("date", "Wed, 02 Dec 2026 10:00:01 GMT"),
            ("X-Request-Id", "2"),
            ("set-cookie", "sid=def; HttpOnly"),
            ("content-length", "39"),
            ("content-type", "application/json"),
            ("location", "/users/alice-r1x"),
        ]));
        assert_eq!(a, b);
        let c = e.headers(&h(&[("x-user-exists", "true")]));
        assert_ne!(c, e.headers(&[]));
        // A rate-limit counter: its value may differ, its presence may not.
        let left = |n: &str| e.headers(&h(&[("X-RateLimit-Remaining", n)]));
        assert_eq!(left("4"), left("3"));
        assert_ne!(left("4"), e.headers(&[]));
    }
}
