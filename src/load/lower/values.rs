//! References and templates inside the values a request sends (path, headers, query,
//! JSON, form, body) or a step expects: every `${…}` resolved, what it resolves to
//! registered for redaction, every `{{name}}` checked against the variables known at that
//! point. Nothing that looks like either is ever left to be sent, or compared, as written.

use super::context::Cx;
use crate::load::raw::Pos;
use crate::model::template::{percent_encode, variables};

/// How a resolved value is registered with the redactor.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Register {
    /// A credential: redacted, and finding it in a response is a leak.
    Canary,
    /// Data the caller sends or expects (a note's text, a password it registers):
    /// redacted, but the API answering it back to its owner is no leak.
    Quiet,
}

/// `text` with its references resolved and registered as `label`; an error at `loc`
/// naming `field` when one does not resolve.
pub fn text(
    cx: &mut Cx<'_>,
    text: &str,
    loc: &Pos,
    field: &str,
    label: &str,
    register: Register,
) -> Option<String> {
    interpolated(cx, text, loc, field, label, register, false)
}

/// Like `text`, for a URL path: each resolved value is percent-encoded, so it fills one
/// part of the path and cannot change which resource is reached.
pub fn path(cx: &mut Cx<'_>, text: &str, loc: &Pos) -> Option<String> {
    interpolated(
        cx,
        text,
        loc,
        "request",
        "request.path",
        Register::Quiet,
        true,
    )
}

fn interpolated(
    cx: &mut Cx<'_>,
    text: &str,
    loc: &Pos,
    field: &str,
    label: &str,
    register: Register,
    encode: bool,
) -> Option<String> {
    let resolved = if encode {
        cx.ctx
            .interpolate_with(text, &cx.source.dir, &cx.secrets, &|v| percent_encode(&v))
    } else {
        cx.interpolate(text)
    };
    match resolved {
        Ok(v) => {
            for piece in cx.resolved_references(text) {
                match register {
                    Register::Canary => cx.redactor.add(label, &piece),
                    Register::Quiet => cx.redactor.add_quiet(label, &piece),
                }
            }
            Some(v)
        }
        Err(e) => {
            cx.reference_error(loc, field, e);
            None
        }
    }
}

/// Every string of a JSON value with its references resolved (quietly registered);
/// `field` names where it sits (`json`, `expect.json $.message`), each string by its
/// path below it.
pub fn json(
    cx: &mut Cx<'_>,
    value: &serde_json::Value,
    loc: &Pos,
    field: &str,
) -> Option<serde_json::Value> {
    use serde_json::Value;
    Some(match value {
        Value::String(s) => Value::String(text(cx, s, loc, field, field, Register::Quiet)?),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ok = true;
            for (i, item) in items.iter().enumerate() {
                match json(cx, item, loc, &format!("{field}[{i}]")) {
                    Some(v) => out.push(v),
                    None => ok = false,
                }
            }
            ok.then_some(Value::Array(out))?
        }
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            let mut ok = true;
            for (k, v) in map {
                match json(cx, v, loc, &format!("{field}.{k}")) {
                    Some(v) => {
                        out.insert(k.clone(), v);
                    }
                    None => ok = false,
                }
            }
            ok.then_some(Value::Object(out))?
        }
        other => other.clone(),
    })
}

/// Checks every `{{…}}` of `text` is closed and names a variable known there: what
/// earlier steps `captured`, and the run's own (`run.id`, what `setup:` captures).
/// False when one does not.
pub fn templates(cx: &mut Cx<'_>, text: &str, loc: &Pos, captured: &[String]) -> bool {
    let known: Vec<String> = captured.iter().chain(&cx.run_vars).cloned().collect();
    let mut ok = true;
    if text.matches("{{").count() > variables(text).len() {
        cx.error(loc, "a `{{` is not closed with `}}`")
            .help("variables are written `{{name}}`");
        ok = false;
    }
    for var in variables(text) {
        if !known.iter().any(|c| c == var) {
            // `run.id` goes without saying; what `setup:` captures is worth naming.
            let named: Vec<String> = known
                .iter()
                .filter(|k| k.as_str() != crate::model::template::RUN_ID)
                .cloned()
                .collect();
            let (message, help) = cx.front.uncaptured(var, &named);
            cx.error(loc, message).help(help);
            ok = false;
        }
    }
    ok
}

/// Every string inside a JSON value, for the template check.
pub fn strings(value: &serde_json::Value) -> Vec<&str> {
    use serde_json::Value;
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(map) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}
