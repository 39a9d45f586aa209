//! Lowers a step's `expect:`: access, status, JSON values, body texts, headers, key
//! quality and upstream expectations. Expected values may hold references (resolved
//! here, registered for redaction) and `{{name}}` templates of earlier captures (checked
//! here, filled in by the engine when the step runs).

use super::context::Cx;
use super::request::json_path;
use super::values::{self, Register};
use crate::load::raw::{OneOrMany, RawExpect, S};
use crate::model::{Expectation, HeaderExpectation, JsonAssertion, KeyQuality, Verdict};

/// `captured` are the variables of earlier steps (the run's own are known besides).
pub fn expect(cx: &mut Cx<'_>, raw: Option<&RawExpect>, captured: &[String]) -> Expectation {
    let Some(raw) = raw else {
        return Expectation::default();
    };
    let mut out = Expectation::default();
    if let Some(access) = &raw.access {
        out.access = match access.value.as_str() {
            "allow" | "allowed" => Some(Verdict::Allow),
            "deny" | "denied" => Some(Verdict::Deny),
            other => {
                cx.error(
                    &access.at,
                    format!("`access: {other}` is neither allow nor deny"),
                )
                .help("`access: allow` (any 2xx) or `access: deny` (a policy refusal status)");
                None
            }
        };
    }
    if let Some(status) = &raw.status {
        if status.value.0.iter().any(|s| !(100..=599).contains(s)) || status.value.0.is_empty() {
            cx.error(&status.at, "`status` takes HTTP status codes (100–599)");
        }
        out.status = Some(status.value.0.clone());
    }
    for (path, expected) in raw.json.iter().flat_map(|m| &m.0) {
        let field = format!("expect.json {}", path.value);
        let templated = values::strings(expected)
            .into_iter()
            .all(|s| values::templates(cx, s, &path.at, captured));
        let expected = values::json(cx, expected, &path.at, &field);
        if let (Some(p), Some(expected), true) = (json_path(cx, path), expected, templated) {
            out.json.push(JsonAssertion {
                path_text: path.value.clone(),
                path: p,
                expected,
            });
        }
    }
    if let Some(k) = &raw.json_key_quality
        && let Some(path) = json_path(cx, &k.path)
    {
        out.key_quality = Some(KeyQuality {
            path_text: k.path.value.clone(),
            path,
            min_length: k.min_length.unwrap_or(32),
            min_entropy_bits: k.min_entropy_bits.unwrap_or(128.0),
        });
    }
    out.upstream = super::upstreams::upstream_expect(cx, raw.upstream.as_ref());
    out.within = super::faults::within(cx, raw.within.as_ref());
    out.body_contains = texts(cx, raw.body_contains.as_ref(), "body_contains", captured);
    out.body_not_contains = texts(
        cx,
        raw.body_not_contains.as_ref(),
        "body_not_contains",
        captured,
    );
    for (name, value) in raw.headers.iter().flat_map(|m| &m.0) {
        let value = match value {
            None => None,
            Some(v) => {
                let field = format!("expect.headers.{}", name.value);
                if !values::templates(cx, v, &name.at, captured) {
                    continue;
                }
                let Some(v) = values::text(cx, v, &name.at, &field, &field, Register::Quiet) else {
                    continue;
                };
                Some(v)
            }
        };
        out.headers.push(HeaderExpectation {
            name: name.value.clone(),
            value,
        });
    }
    out
}

/// `body_contains` or `body_not_contains`: each text resolved and its templates checked.
fn texts(
    cx: &mut Cx<'_>,
    raw: Option<&S<OneOrMany<String>>>,
    field: &str,
    captured: &[String],
) -> Vec<String> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    let label = format!("expect.{field}");
    let mut out = Vec::new();
    for t in &raw.value.0 {
        if values::templates(cx, t, &raw.at, captured)
            && let Some(v) = values::text(cx, t, &raw.at, field, &label, Register::Quiet)
        {
            out.push(v);
        }
    }
    out
}
