//! Scenarios: steps run in order, each as its role, with captures feeding later steps.
//! The first step that does not meet its expectations fails the scenario.

use super::context::Context;
use super::expect::mismatches;
use super::template::Vars;
use crate::model::Scenario;
use crate::results::{Finding, Outcome};

pub async fn run(ctx: &Context, si: usize, scenario: &Scenario) -> Outcome {
    let suite = &ctx.suites[si].suite;
    let mut vars = Vars::new();
    let total = scenario.steps.len();
    for (i, step) in scenario.steps.iter().enumerate() {
        let role = &suite.role(step.role).name;
        let which = if total > 1 {
            format!(
                "step {} of {total} ({} as {role})",
                i + 1,
                step.request.line()
            )
        } else {
            format!("{} as {role}", step.request.line())
        };
        let ex = match ctx.send(si, step.role, &step.request, &vars).await {
            Ok(ex) => ex,
            Err(e) => {
                return Outcome::Error(Finding::new(
                    format!("{which}: the request could not be made: {e}"),
                    format!("--> {}", step.request.location),
                ));
            }
        };
        let shown = ctx.redactor.redact(&ex.body);
        let mut problems = mismatches(&step.expect, &ex, &shown);
        if problems.is_empty() {
            capture(step, &ex.body, &mut vars, &mut problems);
        }
        if !problems.is_empty() {
            let message = format!("{which}: {}", problems[0]);
            let detail = format!(
                "request:  {} (as {role})\n{}\ngot:      {}\nbody:     {}\n--> {}",
                ex.request_line,
                problems
                    .iter()
                    .map(|p| format!("  - {p}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                ex.status_line(),
                ex.body_excerpt(&shown),
                step.request.location,
            );
            return Outcome::Fail(Finding::new(message, detail));
        }
    }
    Outcome::Pass
}

fn capture(step: &crate::model::Step, body: &str, vars: &mut Vars, problems: &mut Vec<String>) {
    if step.captures.is_empty() {
        return;
    }
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(body) else {
        problems.push("capture: the body is not JSON".into());
        return;
    };
    for c in &step.captures {
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
