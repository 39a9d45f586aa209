//! Captures: a step's JSONPath values taken from its response into `{{name}}`
//! variables for later steps (and, for `setup:`, for every check); a value captured under
//! a credential-like name is a secret of the run from then on.

use crate::engine::request::context::Context;
use crate::model::Capture;
use crate::model::template::Vars;

/// A value captured under a credential-like name (`access_token`, `$.api_key`, …) is a
/// secret of the run from then on: redacted everywhere, and a canary in later responses.
pub fn register_captured_secrets(ctx: &Context, captures: &[Capture], vars: &Vars) {
    const HINTS: [&str; 7] = [
        "token",
        "secret",
        "key",
        "password",
        "session",
        "cookie",
        "credential",
    ];
    for c in captures {
        let text = format!("{} {}", c.name, c.path_text).to_ascii_lowercase();
        if HINTS.iter().any(|h| text.contains(h))
            && let Some(value) = vars.get(&c.name)
        {
            ctx.redactor.add(&format!("captured.{}", c.name), value);
        }
    }
}

/// Takes each capture's value from `body` into `vars`; what does not work is a problem.
pub fn capture(captures: &[Capture], body: &str, vars: &mut Vars, problems: &mut Vec<String>) {
    if captures.is_empty() {
        return;
    }
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(body) else {
        problems.push("capture: the body is not JSON".into());
        return;
    };
    for c in captures {
        match c.path.query(&doc).exactly_one() {
            Ok(serde_json::Value::String(s)) => {
                vars.insert(c.name.clone(), s.clone());
            }
            Ok(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => {
                vars.insert(c.name.clone(), v.to_string());
            }
            Ok(v) => problems.push(format!(
                "capture {}: {} is {v}, not a scalar",
                c.name, c.path_text
            )),
            Err(_) => problems.push(format!(
                "capture {}: no single value at {}",
                c.name, c.path_text
            )),
        }
    }
}
