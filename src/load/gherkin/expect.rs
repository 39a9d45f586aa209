//! `Then` steps: each fills a field of the latest raw step's expectation (or its
//! captures), where the step is written; the one lowering checks them as it checks a
//! YAML step's `expect:` and `capture:` (JSONPaths, status codes, variable names).

use super::matcher::Arg;
use super::scenario::{State, position, text};
use super::steps::Op;
use crate::load::raw::{OneOrMany, Pos, RawExpect, RawKeyQuality, RawStep, S, SpannedMap};

pub(super) fn apply(st: &mut State<'_, '_>, step: &gherkin::Step, op: Op, args: &[Arg]) {
    let Some(last) = st.steps.last_mut() else {
        return st.error(
            step,
            "no request yet",
            "a `Then` step checks the latest response: add `When I send \"METHOD /path\"` before it",
        );
    };
    let at = position(step);
    if op == Op::KeyQuality
        && last
            .expect
            .as_ref()
            .is_some_and(|e| e.json_key_quality.is_some())
    {
        return st.error(
            step,
            "the latest request already has a key quality step",
            "a response carries one issued key: check it once",
        );
    }
    fill(last, op, args, at);
}

/// Sets what `op` says on the step's expectation or captures, every value at `at`.
fn fill(last: &mut RawStep, op: Op, args: &[Arg], at: Pos) {
    let spanned = |i: usize| S::new(text(args, i), at);
    let int = |i: usize| match args.get(i) {
        Some(Arg::Int(n)) => *n,
        _ => 0,
    };
    if op == Op::Remember {
        let capture = last.capture.get_or_insert_with(SpannedMap::default);
        capture.0.push((spanned(1), text(args, 0)));
        return;
    }
    let e = last.expect.get_or_insert_with(RawExpect::default);
    match op {
        Op::AccessAllowed => e.access = Some(S::new("allow".into(), at)),
        Op::AccessDenied => e.access = Some(S::new("deny".into(), at)),
        Op::Status => e.status = Some(S::new(OneOrMany(vec![int(0)]), at)),
        Op::StatusOneOf => {
            if let Some(Arg::Ints(codes)) = args.first() {
                e.status = Some(S::new(OneOrMany(codes.clone()), at));
            }
        }
        Op::BodyContains => push(&mut e.body_contains, text(args, 0), at),
        Op::BodyNotContains => push(&mut e.body_not_contains, text(args, 0), at),
        Op::HeaderIs => push_entry(&mut e.headers, spanned(0), Some(text(args, 1))),
        Op::HeaderAbsent => push_entry(&mut e.headers, spanned(0), None),
        Op::JsonIs => push_entry(&mut e.json, spanned(0), json_value(&text(args, 1))),
        Op::KeyQuality => {
            e.json_key_quality = Some(RawKeyQuality {
                path: spanned(0),
                min_length: Some(usize::from(int(1))),
                min_entropy_bits: Some(f64::from(int(2))),
            });
        }
        _ => {}
    }
}

fn push(list: &mut Option<S<OneOrMany<String>>>, item: String, at: Pos) {
    list.get_or_insert_with(|| S::new(OneOrMany(Vec::new()), at))
        .value
        .0
        .push(item);
}

fn push_entry<V>(map: &mut Option<SpannedMap<V>>, key: S<String>, value: V) {
    map.get_or_insert_with(SpannedMap::default)
        .0
        .push((key, value));
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
