//! `Then` steps: expectations on the latest response, and captures for later steps.

use serde_json_path::JsonPath;

use super::matcher::Arg;
use super::scenario::{State, text};
use super::steps::Op;
use crate::model::{Capture, HeaderExpectation, JsonAssertion, KeyQuality, Verdict};

pub(super) fn apply(st: &mut State<'_, '_>, step: &gherkin::Step, op: Op, args: &[Arg]) {
    if st.steps.is_empty() {
        return st.error(
            step,
            "no request yet",
            "a `Then` step checks the latest response: add `When I send \"METHOD /path\"` before it",
        );
    }
    let json_path = |st: &mut State<'_, '_>, p: &str| match JsonPath::parse(p) {
        Ok(path) => Some(path),
        Err(e) => {
            st.error(
                step,
                format!("invalid JSONPath `{p}`: {e}"),
                "JSONPath starts at `$`, e.g. `$.id`",
            );
            None
        }
    };
    let int = |i: usize| match args.get(i) {
        Some(Arg::Int(n)) => Some(*n),
        _ => None,
    };
    let mut capture = None;
    let mut assertion = None;
    let mut key = None;
    match op {
        Op::Remember => {
            let (p, name) = (text(args, 0), text(args, 1));
            if let Some(path) = json_path(st, &p) {
                capture = Some(Capture {
                    name,
                    path_text: p,
                    path,
                });
            }
        }
        Op::JsonIs => {
            let p = text(args, 0);
            if let Some(path) = json_path(st, &p) {
                assertion = Some(JsonAssertion {
                    expected: json_value(&text(args, 1)),
                    path_text: p,
                    path,
                });
            }
        }
        Op::KeyQuality => {
            let p = text(args, 0);
            let has_one = st
                .steps
                .last()
                .is_some_and(|s| s.expect.key_quality.is_some());
            if has_one {
                return st.error(
                    step,
                    "the latest request already has a key quality step",
                    "a response carries one issued key: check it once",
                );
            }
            if let (Some(path), Some(len), Some(bits)) = (json_path(st, &p), int(1), int(2)) {
                key = Some(KeyQuality {
                    path_text: p,
                    path,
                    min_length: usize::from(len),
                    min_entropy_bits: f64::from(bits),
                });
            }
        }
        _ => {}
    }
    let Some(last) = st.steps.last_mut() else {
        return;
    };
    let e = &mut last.expect;
    match op {
        Op::AccessAllowed => e.access = Some(Verdict::Allow),
        Op::AccessDenied => e.access = Some(Verdict::Deny),
        Op::Status => e.status = int(0).map(|n| vec![n]),
        Op::StatusOneOf => {
            e.status = match args.first() {
                Some(Arg::Ints(n)) => Some(n.clone()),
                _ => None,
            }
        }
        Op::BodyContains => e.body_contains.push(text(args, 0)),
        Op::BodyNotContains => e.body_not_contains.push(text(args, 0)),
        Op::HeaderIs => e.headers.push(HeaderExpectation {
            name: text(args, 0),
            value: Some(text(args, 1)),
        }),
        Op::HeaderAbsent => e.headers.push(HeaderExpectation {
            name: text(args, 0),
            value: None,
        }),
        Op::JsonIs => e.json.extend(assertion),
        Op::KeyQuality => e.key_quality = key,
        Op::Remember => {
            if let Some(c) = capture {
                st.captured.push(c.name.clone());
                last.captures.push(c);
            }
        }
        _ => {}
    }
}

/// `"42"`, `"true"`, `"null"` compare as JSON values; anything else as a string.
fn json_value(text: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(
            v @ (serde_json::Value::Number(_)
            | serde_json::Value::Bool(_)
            | serde_json::Value::Null),
        ) if serde_json::to_string(&v).is_ok_and(|canonical| canonical == text) => v,
        _ => serde_json::Value::String(text.to_string()),
    }
}
