//! `{{name}}` templates: variables captured by earlier steps (and the run's own, such as
//! `{{sut.url}}`), substituted into paths, headers, query values and bodies. The loader
//! checks the names a suite uses; the engine fills them in.

use std::collections::HashMap;

pub type Vars = HashMap<String, String>;

/// `{{run.id}}`: a short id, not secret, unique to the run (test data that must not
/// collide with the last run's: `alice-{{run.id}}`).
pub const RUN_ID: &str = "run.id";

/// The variable names a text refers to, in order.
pub fn variables(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim());
        rest = &after[end + 2..];
    }
    out
}

/// Whether `text` holds a `{{…}}` to substitute.
pub fn templated(text: &str) -> bool {
    text.contains("{{")
}

/// Substitutes every `{{name}}`; an unknown name is an error naming it.
pub fn render(text: &str, vars: &Vars) -> Result<String, String> {
    render_with(text, vars, |v| v.into())
}

/// `render`, each value put in as `put` makes it.
fn render_with(
    text: &str,
    vars: &Vars,
    put: impl Fn(&str) -> std::borrow::Cow<'_, str>,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push_str(&rest[..start]);
        let name = after[..end].trim();
        out.push_str(&put(vars
            .get(name)
            .ok_or_else(|| format!("variable `{name}` has no value"))?));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Like `render`, for a URL path: captured values are percent-encoded, so a value such
/// as `../admin` from a server cannot change which resource the next step reaches.
pub fn render_path(text: &str, vars: &Vars) -> Result<String, String> {
    render_with(text, vars, |v| percent_encode(v).into())
}

/// `v` with every byte but RFC 3986's unreserved characters percent-encoded: a value
/// that fills one part of a path, never its structure.
pub fn percent_encode(v: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// Renders every string inside a JSON body.
pub fn render_json(value: &serde_json::Value, vars: &Vars) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    Ok(match value {
        Value::String(s) => Value::String(render(s, vars)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| render_json(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), render_json(v, vars)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_renders_variables() {
        let vars: Vars = [("id".to_string(), "7".to_string())].into();
        assert_eq!(
            variables("/orders/{{id}}/x/{{ other }}"),
            vec!["id", "other"]
        );
        assert_eq!(render("/orders/{{id}}", &vars).as_deref(), Ok("/orders/7"));
        assert_eq!(
            render("/a/{{nope}}", &vars),
            Err("variable `nope` has no value".into())
        );
        let hostile: Vars = [("id".to_string(), "../admin?x=1".to_string())].into();
        assert_eq!(
            render_path("/orders/{{id}}", &hostile).as_deref(),
            Ok("/orders/..%2Fadmin%3Fx%3D1")
        );
        let body = serde_json::json!({"ref": "{{id}}", "n": [1, "{{id}}"]});
        assert_eq!(
            render_json(&body, &vars).unwrap(),
            serde_json::json!({"ref": "7", "n": [1, "7"]})
        );
    }
}
