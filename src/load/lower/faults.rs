//! Lowers what a scenario does to its upstreams' behaviour and timing: `upstream_faults`
//! (one kind per upstream), `within:` on a step, and the `requests`/`backoff` of an
//! upstream expectation. Values a fault sends (its `${random:…}` references) become
//! canaries: seen in the SUT's answer, they leak.

use std::time::Duration;

use super::context::Cx;
use super::values::Register;
use crate::load::raw::{RawCount, RawFault, RawFaultAnswer, S, SpannedMap};
use crate::model::{Backoff, Body, Count, FaultAnswer, MAX_HUGE_BODY, Malformed, UpstreamFault};
use crate::results::BodyLimit;

/// `5`, `5s`, `500ms`, `2m`, `1h`.
pub fn duration(v: &serde_json::Value) -> Option<Duration> {
    if let Some(n) = v.as_u64() {
        return Some(Duration::from_secs(n));
    }
    let s = v.as_str()?.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().ok()?;
    match unit.trim() {
        "" | "s" => Some(Duration::from_secs(n)),
        "ms" => Some(Duration::from_millis(n)),
        "m" => Some(Duration::from_secs(n.checked_mul(60)?)),
        "h" => Some(Duration::from_secs(n.checked_mul(3600)?)),
        _ => None,
    }
}

/// A duration from 1 ms to 1 h, or an error at its position.
fn bounded(cx: &mut Cx<'_>, v: &S<serde_json::Value>, field: &str) -> Option<Duration> {
    match duration(&v.value) {
        Some(d) if d >= Duration::from_millis(1) && d <= Duration::from_secs(3600) => Some(d),
        _ => {
            cx.error(&v.at, format!("`{field}` takes a duration from 1ms to 1h"))
                .help("write seconds (`5`) or a unit: `500ms`, `5s`, `2m`");
            None
        }
    }
}

pub fn within(cx: &mut Cx<'_>, raw: Option<&S<serde_json::Value>>) -> Option<Duration> {
    bounded(cx, raw?, "within")
}

pub fn requests(cx: &mut Cx<'_>, raw: Option<&S<RawCount>>) -> Option<Count> {
    let raw = raw?;
    match &raw.value {
        RawCount::Exactly(n) => Some(Count::exactly(*n)),
        RawCount::Range(r) => {
            let min = r.min.unwrap_or(0);
            if r.min.is_none() && r.max.is_none() || r.max.is_some_and(|m| m < min) {
                cx.error(
                    &raw.at,
                    "`requests` needs `min:` and/or `max:`, with min <= max",
                )
                .help("`requests: 3`, or `requests: { min: 1, max: 3 }`");
                return None;
            }
            Some(Count { min, max: r.max })
        }
    }
}

pub fn backoff(cx: &mut Cx<'_>, raw: Option<&S<String>>) -> Option<Backoff> {
    let raw = raw?;
    if raw.value == "increasing" {
        return Some(Backoff::Increasing);
    }
    cx.error(&raw.at, format!("`backoff: {}` is not a backoff", raw.value))
        .help("`backoff: increasing`: each gap between the upstream's requests is longer than the one before");
    None
}

/// `upstream_faults:` of one scenario, by upstream index.
pub fn upstream_faults(
    cx: &mut Cx<'_>,
    raw: Option<&SpannedMap<RawFault>>,
) -> Vec<(usize, UpstreamFault)> {
    let mut out = Vec::new();
    for (name, f) in raw.iter().flat_map(|m| &m.0) {
        let id = super::upstreams::upstream_id(cx, name);
        if let (Some(i), Some(fault)) = (id, fault(cx, name, f)) {
            out.push((i, fault));
        }
    }
    out
}

fn fault(cx: &mut Cx<'_>, name: &S<String>, f: &RawFault) -> Option<UpstreamFault> {
    let kinds = [
        f.delay.is_some(),
        f.status.is_some(),
        f.sequence.is_some(),
        f.reset.is_some(),
        f.malformed.is_some(),
        f.huge_body.is_some(),
        f.slow_body.is_some(),
    ];
    let stray_body =
        (f.json.is_some() || f.body.is_some() || f.headers.is_some()) && f.status.is_none();
    if kinds.iter().filter(|k| **k).count() != 1 || stray_body {
        cx.error(&name.at, format!("upstream fault `{}` needs exactly one kind", name.value))
            .help("one of `delay: 30s`, `status: 503` (with `json:`/`body:`/`headers:`), `sequence: [503, 200]`, `reset: true`, `malformed: truncated|not_json`, `huge_body: 20MiB`, `slow_body: 30s`");
        return None;
    }
    let label = format!("upstream_faults.{}", name.value);
    if let Some(d) = &f.delay {
        return bounded(cx, d, "delay").map(UpstreamFault::Delay);
    }
    if let Some(status) = &f.status {
        return answer(
            cx,
            &label,
            status,
            f.json.as_ref(),
            f.body.as_ref(),
            f.headers.as_ref(),
        )
        .map(UpstreamFault::Respond);
    }
    if let Some(seq) = &f.sequence {
        if seq.value.is_empty() {
            cx.error(&seq.at, "`sequence` needs at least one answer");
            return None;
        }
        let mut answers = Vec::new();
        for (i, a) in seq.value.iter().enumerate() {
            let label = format!("{label}.sequence[{i}]");
            let got = match a {
                RawFaultAnswer::Status(s) => {
                    answer(cx, &label, &S::new(*s, seq.at), None, None, None)
                }
                RawFaultAnswer::Full(full) => answer(
                    cx,
                    &label,
                    &S::new(full.status, seq.at),
                    full.json.as_ref(),
                    full.body.as_ref(),
                    full.headers.as_ref(),
                ),
            };
            answers.push(got?);
        }
        return Some(UpstreamFault::Sequence(answers));
    }
    if let Some(reset) = &f.reset {
        if !reset.value {
            cx.error(
                &reset.at,
                "`reset: false` is no fault: leave the upstream out",
            );
            return None;
        }
        return Some(UpstreamFault::Reset);
    }
    if let Some(m) = &f.malformed {
        return match m.value.as_str() {
            "truncated" => Some(UpstreamFault::Malformed(Malformed::Truncated)),
            "not_json" => Some(UpstreamFault::Malformed(Malformed::NotJson)),
            other => {
                cx.error(&m.at, format!("`malformed: {other}` is not a kind of malformed body"))
                    .help("`truncated` (the route's JSON cut off halfway) or `not_json` (an HTML page as application/json)");
                None
            }
        };
    }
    if let Some(size) = &f.huge_body {
        let text = match &size.value {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            _ => String::new(),
        };
        return match text.parse::<BodyLimit>() {
            Ok(BodyLimit(n)) if n as u64 <= MAX_HUGE_BODY => {
                Some(UpstreamFault::HugeBody(n as u64))
            }
            _ => {
                cx.error(&size.at, "`huge_body` takes a size up to 256MiB")
                    .help("write bytes or `KiB`, `MiB`: `huge_body: 20MiB`");
                None
            }
        };
    }
    if let Some(d) = &f.slow_body {
        return bounded(cx, d, "slow_body").map(UpstreamFault::SlowBody);
    }
    None
}

fn answer(
    cx: &mut Cx<'_>,
    label: &str,
    status: &S<u16>,
    json: Option<&serde_json::Value>,
    body: Option<&String>,
    headers: Option<&SpannedMap<String>>,
) -> Option<FaultAnswer> {
    if !(100..=599).contains(&status.value) {
        cx.error(&status.at, "`status` takes an HTTP status code (100–599)");
        return None;
    }
    let body = match (json, body) {
        (Some(_), Some(_)) => {
            cx.error(
                &status.at,
                "a fault answers with `json:` or `body:`, not both",
            );
            return None;
        }
        (Some(j), None) => Some(Body::Json(resolve_json(cx, label, j, status)?)),
        (None, Some(b)) => Some(Body::Text(resolve_text(cx, label, b, status)?)),
        (None, None) => None,
    };
    let mut out = Vec::new();
    for (k, v) in headers.iter().flat_map(|m| &m.0) {
        let v = resolve_text(cx, label, v, &S::new(0, k.at))?;
        if reqwest::header::HeaderName::from_bytes(k.value.as_bytes()).is_err()
            || reqwest::header::HeaderValue::from_str(&v).is_err()
        {
            cx.error(&k.at, format!("`{}` is not a valid header", k.value));
            return None;
        }
        out.push((k.value.clone(), v));
    }
    Some(FaultAnswer {
        status: status.value,
        headers: out,
        body,
    })
}

/// The strings of a fault's JSON with their references resolved; each resolved value is a
/// canary of the run.
fn resolve_json(
    cx: &mut Cx<'_>,
    label: &str,
    v: &serde_json::Value,
    at: &S<u16>,
) -> Option<serde_json::Value> {
    Some(match v {
        serde_json::Value::String(s) => serde_json::Value::String(resolve_text(cx, label, s, at)?),
        serde_json::Value::Array(a) => serde_json::Value::Array(
            a.iter()
                .map(|x| resolve_json(cx, label, x, at))
                .collect::<Option<_>>()?,
        ),
        serde_json::Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m {
                out.insert(k.clone(), resolve_json(cx, label, x, at)?);
            }
            serde_json::Value::Object(out)
        }
        other => other.clone(),
    })
}

fn resolve_text(cx: &mut Cx<'_>, label: &str, s: &str, at: &S<u16>) -> Option<String> {
    super::values::text(cx, s, &at.at, label, label, Register::Canary)
}
