//! Matches a step's text against the catalogue's patterns, and suggests the closest
//! patterns for a step that matches none.

use super::steps::{CATALOGUE, StepDef};
use crate::load::suggest::did_you_mean;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Int(u16),
    Ints(Vec<u16>),
}

/// The first catalogue entry that matches `text` (the step without its keyword).
pub fn find(text: &str) -> Option<(&'static StepDef, Vec<Arg>)> {
    CATALOGUE
        .iter()
        .find_map(|def| match_pattern(def.pattern, text).map(|args| (def, args)))
}

/// Up to three known steps close to `text`, best first.
pub fn suggestions(text: &str) -> Vec<&'static str> {
    let shape = shape_of(text);
    let mut scored: Vec<(f64, &'static str)> = CATALOGUE
        .iter()
        .map(|d| (strsim::jaro_winkler(&shape, d.pattern), d.pattern))
        .filter(|(s, _)| *s >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let best: Vec<&str> = scored.iter().take(3).map(|(_, p)| *p).collect();
    if best.is_empty() {
        did_you_mean(&shape, CATALOGUE.iter().map(|d| d.pattern))
            .into_iter()
            .collect()
    } else {
        best
    }
}

/// `I am "reader"` becomes `I am {string}`, numbers become `{int}`: what a pattern looks
/// like, for comparing.
fn shape_of(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            for d in chars.by_ref() {
                if d == '"' {
                    break;
                }
            }
            out.push_str("{string}");
        } else if c.is_ascii_digit() {
            while chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                chars.next();
            }
            out.push_str("{int}");
        } else {
            out.push(c);
        }
    }
    out
}

fn match_pattern(pattern: &str, text: &str) -> Option<Vec<Arg>> {
    let mut args = Vec::new();
    let mut rest = text.trim();
    let mut pat = pattern;
    while !pat.is_empty() {
        if let Some(p) = pat.strip_prefix("{string}") {
            let inner = rest.strip_prefix('"')?;
            let end = inner.find('"')?;
            args.push(Arg::Text(inner[..end].to_string()));
            rest = &inner[end + 1..];
            pat = p;
        } else if let Some(p) = pat.strip_prefix("{ints}") {
            // Always last in a pattern: the rest of the step is the list.
            let codes: Option<Vec<u16>> = rest
                .split([',', ' '])
                .map(str::trim)
                .filter(|w| !w.is_empty() && *w != "or" && *w != "and")
                .map(|w| w.parse().ok())
                .collect();
            let codes = codes.filter(|c| !c.is_empty())?;
            args.push(Arg::Ints(codes));
            rest = "";
            pat = p;
        } else if let Some(p) = pat
            .strip_prefix("{duration}")
            .or_else(|| pat.strip_prefix("{size}"))
        {
            // A number and its unit (`30s`, `500ms`, `20MiB`); the lowering judges it.
            let digits = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            if digits == 0 {
                return None;
            }
            let end = rest[digits..]
                .find(|c: char| !c.is_ascii_alphabetic())
                .map_or(rest.len(), |e| digits + e);
            args.push(Arg::Text(rest[..end].to_string()));
            rest = &rest[end..];
            pat = p;
        } else if let Some(p) = pat.strip_prefix("{int}") {
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            args.push(Arg::Int(rest[..end].parse().ok()?));
            rest = &rest[end..];
            pat = p;
        } else {
            let next = pat.find('{').unwrap_or(pat.len());
            rest = rest.strip_prefix(&pat[..next])?;
            pat = &pat[next..];
        }
    }
    rest.is_empty().then_some(args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::gherkin::probes::ProbeKind;
    use crate::load::gherkin::steps::{FaultStep, Op};

    #[test]
    fn every_step_of_the_acceptance_feature_matches() {
        let cases: &[(&str, Op, Vec<Arg>)] = &[
            (
                "I am \"reader\"",
                Op::Role,
                vec![Arg::Text("reader".into())],
            ),
            ("I am anonymous", Op::Anonymous, vec![]),
            (
                "I send \"GET /orders\"",
                Op::Send,
                vec![Arg::Text("GET /orders".into())],
            ),
            (
                "I send \"POST /orders\" with JSON:",
                Op::SendJson,
                vec![Arg::Text("POST /orders".into())],
            ),
            ("access is allowed", Op::AccessAllowed, vec![]),
            ("access is denied", Op::AccessDenied, vec![]),
            (
                "the response status is one of 500, 503",
                Op::StatusOneOf,
                vec![Arg::Ints(vec![500, 503])],
            ),
            (
                "the response status is 201",
                Op::Status,
                vec![Arg::Int(201)],
            ),
            (
                "the response body does not contain \"java.lang.\"",
                Op::BodyNotContains,
                vec![Arg::Text("java.lang.".into())],
            ),
            (
                "I remember \"$.id\" as \"order_id\"",
                Op::Remember,
                vec![Arg::Text("$.id".into()), Arg::Text("order_id".into())],
            ),
            (
                "the JSON at \"$.item\" is \"gizmo\"",
                Op::JsonIs,
                vec![Arg::Text("$.item".into()), Arg::Text("gizmo".into())],
            ),
            (
                "the response header \"Server\" is absent",
                Op::HeaderAbsent,
                vec![Arg::Text("Server".into())],
            ),
            (
                "the JSON at \"$.api_key\" is a key of at least 32 characters and 128 bits of entropy",
                Op::KeyQuality,
                vec![Arg::Text("$.api_key".into()), Arg::Int(32), Arg::Int(128)],
            ),
            ("the request headers are:", Op::RequestHeaders, vec![]),
            ("the query parameters are:", Op::QueryParams, vec![]),
            (
                "the rate limit probe passes with:",
                Op::Probe(ProbeKind::RateLimit),
                vec![],
            ),
            (
                "the upstream \"payments\" delays 30s",
                Op::Fault(FaultStep::Delay),
                vec![Arg::Text("payments".into()), Arg::Text("30s".into())],
            ),
            (
                "the upstream \"payments\" answers 401 with:",
                Op::Fault(FaultStep::StatusWith),
                vec![Arg::Text("payments".into()), Arg::Int(401)],
            ),
            (
                "the upstream \"payments\" answers 503",
                Op::Fault(FaultStep::Status),
                vec![Arg::Text("payments".into()), Arg::Int(503)],
            ),
            (
                "the upstream \"payments\" answers in sequence 503, 503, 200",
                Op::Fault(FaultStep::Sequence),
                vec![Arg::Text("payments".into()), Arg::Ints(vec![503, 503, 200])],
            ),
            (
                "the upstream \"payments\" sends a huge body of 20MiB",
                Op::Fault(FaultStep::HugeBodyOf),
                vec![Arg::Text("payments".into()), Arg::Text("20MiB".into())],
            ),
            (
                "the upstream \"payments\" sends a slow body",
                Op::Fault(FaultStep::SlowBody),
                vec![Arg::Text("payments".into())],
            ),
            (
                "the response arrives within 500ms",
                Op::Within,
                vec![Arg::Text("500ms".into())],
            ),
            (
                "the upstream \"payments\" received between 1 and 3 requests",
                Op::UpstreamReceivedBetween,
                vec![Arg::Text("payments".into()), Arg::Int(1), Arg::Int(3)],
            ),
            (
                "the upstream \"payments\" was retried with increasing backoff",
                Op::UpstreamBackoff,
                vec![Arg::Text("payments".into())],
            ),
        ];
        for (text, op, args) in cases {
            let (def, got) = find(text).unwrap_or_else(|| panic!("no match for {text}"));
            assert_eq!((def.op, &got), (*op, args), "{text}");
        }
    }

    #[test]
    fn near_misses_do_not_match_and_get_suggestions() {
        assert!(find("acess is allowed").is_none());
        assert!(find("the response status is 2O1").is_none());
        assert!(find("the response arrives within s").is_none());
        assert!(find("the response arrives within 5 s").is_none());
        assert_eq!(
            suggestions("acess is allowed").first(),
            Some(&"access is allowed")
        );
        assert!(suggestions("I am \"writr\" now").contains(&"I am {string}"));
        assert_eq!(
            suggestions("the rate limit probe passes:").first(),
            Some(&"the rate limit probe passes with:")
        );
    }
}
