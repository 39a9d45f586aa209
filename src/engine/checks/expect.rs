//! Evaluates a step's expectations against an exchange; each mismatch is one line that
//! says what was expected and what came back. On a body cut at `--max-body`, what needs
//! the whole body is judged only where the part read decides it (a forbidden text found,
//! a required one found); the rest is listed by `unjudged`, never passed.

use crate::engine::request::excerpt;
use crate::engine::request::http::Exchange;
use crate::model::template::{Vars, render, render_json};
use crate::model::{Expectation, KeyQuality, entropy_bits};

/// `expect` with the `{{name}}` templates of its values filled in from `vars` (what
/// earlier steps captured, `run.id`); the error names a variable without a value.
pub fn rendered(expect: &Expectation, vars: &Vars) -> Result<Expectation, String> {
    let texts = |list: &[String]| -> Result<Vec<String>, String> {
        list.iter().map(|t| render(t, vars)).collect()
    };
    let mut out = expect.clone();
    out.body_contains = texts(&expect.body_contains)?;
    out.body_not_contains = texts(&expect.body_not_contains)?;
    for h in &mut out.headers {
        if let Some(v) = &h.value {
            h.value = Some(render(v, vars)?);
        }
    }
    for a in &mut out.json {
        a.expected = render_json(&a.expected, vars)?;
    }
    Ok(out)
}

/// `shown` is the redacted body, used for every excerpt.
pub fn mismatches(expect: &Expectation, ex: &Exchange, shown: &str) -> Vec<String> {
    let mut out = Vec::new();
    // No status and no access rule: a step still has to succeed, never a silent pass,
    // unless what it expects or captures shows it got the response it meant.
    if expect.status.is_none()
        && expect.access.is_none()
        && !expect.any_status
        && !(200..300).contains(&ex.status)
    {
        out.push(format!(
            "status: expected 2xx (no `status` given, and nothing the body must hold), got {}",
            ex.status_line()
        ));
    }
    if let Some(status) = &expect.status
        && !status.contains(&ex.status)
    {
        out.push(format!(
            "status: expected {}, got {}",
            one_of(status),
            ex.status_line()
        ));
    }
    let cut = ex.truncated.is_some();
    for needle in &expect.body_contains {
        if !cut && !ex.body.contains(needle.as_str()) {
            out.push(format!("body: expected to contain {needle:?}, it does not"));
        }
    }
    for needle in &expect.body_not_contains {
        if ex.body.contains(needle.as_str()) {
            let at = shown.find(needle.as_str()).unwrap_or(0);
            out.push(format!(
                "body: must not contain {needle:?}, found: {}",
                excerpt::around(shown, at, 60)
            ));
        }
    }
    for h in &expect.headers {
        match (ex.header(&h.name), &h.value) {
            (Some(got), Some(want)) if got != want => {
                out.push(format!("header {}: expected {want:?}, got {got:?}", h.name));
            }
            (None, Some(want)) => out.push(format!(
                "header {}: expected {want:?}, it is absent",
                h.name
            )),
            (Some(got), None) => {
                out.push(format!("header {}: expected absent, got {got:?}", h.name))
            }
            _ => {}
        }
    }
    if cut {
        return out;
    }
    if let Some(k) = &expect.key_quality {
        out.extend(key_quality(k, &ex.body));
    }
    if !expect.json.is_empty() {
        match serde_json::from_str::<serde_json::Value>(&ex.body) {
            Err(_) => out.push(format!(
                "json: the body is not JSON: {}",
                excerpt::head(shown)
            )),
            Ok(doc) => {
                for a in &expect.json {
                    match a.path.query(&doc).exactly_one() {
                        Ok(got) if *got == a.expected => {}
                        Ok(got) => out.push(format!(
                            "json {}: expected {}, got {got}",
                            a.path_text, a.expected
                        )),
                        Err(_) => out.push(format!(
                            "json {}: expected {}, no single value there",
                            a.path_text, a.expected
                        )),
                    }
                }
            }
        }
    }
    out
}

/// What of `expect` needs the whole body and was not decided by the part of a cut body
/// that was read; empty for a whole body.
pub fn unjudged(expect: &Expectation, ex: &Exchange) -> Vec<&'static str> {
    let mut out = Vec::new();
    if ex.truncated.is_none() {
        return out;
    }
    let absent = |needles: &[String]| needles.iter().any(|n| !ex.body.contains(n.as_str()));
    if absent(&expect.body_contains) {
        out.push("`body_contains`");
    }
    if absent(&expect.body_not_contains) {
        out.push("`body_not_contains`");
    }
    if !expect.json.is_empty() {
        out.push("`json`");
    }
    if expect.key_quality.is_some() {
        out.push("`json_key_quality`");
    }
    out
}

/// The issued key must be long and random enough (CWE-331, insufficient entropy). The
/// key itself never appears in the message.
fn key_quality(k: &KeyQuality, body: &str) -> Vec<String> {
    let key = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|doc| {
            k.path
                .query(&doc)
                .exactly_one()
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
        });
    let Some(key) = key else {
        return vec![format!(
            "json_key_quality: no string key at {}",
            k.path_text
        )];
    };
    let mut out = Vec::new();
    let len = key.chars().count();
    if len < k.min_length {
        out.push(format!(
            "json_key_quality: the key at {} has {len} characters, expected at least {}",
            k.path_text, k.min_length
        ));
    }
    let bits = entropy_bits(&key);
    if bits < k.min_entropy_bits {
        out.push(format!(
            "json_key_quality: the key at {} has about {bits:.0} bits of entropy, expected at least {:.0}",
            k.path_text, k.min_entropy_bits
        ));
    }
    out
}

/// `401 or 403`, `201`.
pub fn one_of(codes: &[u16]) -> String {
    let texts: Vec<String> = codes.iter().map(u16::to_string).collect();
    match texts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => texts.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HeaderExpectation, JsonAssertion};

    fn exchange(status: u16, body: &str) -> Exchange {
        Exchange {
            request_line: "GET http://127.0.0.1/x".into(),
            url: reqwest::Url::parse("http://127.0.0.1/x").unwrap(),
            status,
            reason: "".into(),
            headers: vec![("x-frame-options".into(), "DENY".into())],
            body: body.into(),
            truncated: None,
        }
    }

    #[test]
    fn reports_each_mismatch() {
        let expect = Expectation {
            access: None,
            status: Some(vec![200]),
            json: vec![JsonAssertion {
                path_text: "$.item".into(),
                path: serde_json_path::JsonPath::parse("$.item").unwrap(),
                expected: serde_json::json!("gizmo"),
            }],
            body_contains: vec!["gizmo".into()],
            body_not_contains: vec!["gadget".into()],
            key_quality: None,
            upstream: Vec::new(),
            within: None,
            any_status: false,
            headers: vec![
                HeaderExpectation {
                    name: "X-Frame-Options".into(),
                    value: Some("DENY".into()),
                },
                HeaderExpectation {
                    name: "Server".into(),
                    value: Some("x".into()),
                },
            ],
        };
        let ex = exchange(201, r#"{"item":"gadget"}"#);
        let m = mismatches(&expect, &ex, &ex.body);
        assert_eq!(m.len(), 5, "{m:#?}");
        assert!(m[0].contains("expected 200, got 201"));
        assert!(
            m.iter()
                .any(|x| x.contains("json $.item: expected \"gizmo\", got \"gadget\""))
        );
        assert!(m.iter().any(|x| x.contains("header Server")));
    }

    #[test]
    fn a_cut_body_decides_only_what_its_part_shows() {
        let expect = Expectation {
            status: Some(vec![200]),
            body_contains: vec!["head".into(), "tail".into()],
            body_not_contains: vec!["trace".into()],
            ..Expectation::default()
        };
        let mut ex = exchange(200, "head of a long body");
        ex.truncated = Some(crate::results::BodyLimit(19));
        assert!(mismatches(&expect, &ex, &ex.body).is_empty());
        assert_eq!(
            unjudged(&expect, &ex),
            ["`body_contains`", "`body_not_contains`"]
        );
        ex.body = "head, then a trace".into();
        let m = mismatches(&expect, &ex, &ex.body);
        assert!(m[0].contains("must not contain \"trace\""), "{m:?}");
        assert_eq!(unjudged(&expect, &ex), ["`body_contains`"]);
        ex.truncated = None;
        assert!(unjudged(&expect, &ex).is_empty());
    }

    #[test]
    fn expected_values_are_rendered_with_the_captured_variables() {
        let expect = Expectation {
            json: vec![JsonAssertion {
                path_text: "$.message".into(),
                path: serde_json_path::JsonPath::parse("$.message").unwrap(),
                expected: serde_json::json!("{{first}}"),
            }],
            body_not_contains: vec!["note-{{run.id}}".into()],
            ..Expectation::default()
        };
        let vars: Vars = [
            ("first".to_string(), "invalid credentials".to_string()),
            ("run.id".to_string(), "0a1b2c3d".to_string()),
        ]
        .into();
        let r = rendered(&expect, &vars).unwrap();
        let same = exchange(401, r#"{"message":"invalid credentials"}"#);
        assert!(
            mismatches(&r, &same, &same.body).len() == 1,
            "only the status"
        );
        let other = exchange(200, r#"{"message":"wrong password","n":"note-0a1b2c3d"}"#);
        let m = mismatches(&r, &other, &other.body);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].contains("must not contain \"note-0a1b2c3d\""), "{m:?}");
        assert!(
            m[1].contains("expected \"invalid credentials\", got \"wrong password\""),
            "{m:?}"
        );
        assert_eq!(
            rendered(&expect, &Vars::new()).unwrap_err(),
            "variable `run.id` has no value"
        );
    }

    #[test]
    fn passes_when_everything_matches() {
        let expect = Expectation {
            status: Some(vec![500, 503]),
            ..Expectation::default()
        };
        assert!(mismatches(&expect, &exchange(503, ""), "").is_empty());
        assert_eq!(one_of(&[401, 403]), "401 or 403");
        assert_eq!(one_of(&[401, 403, 404]), "401, 403 or 404");
    }
}
