//! Runs `setup:` once before any check: each step in order, as its role or with no
//! credential, judged by its expectations (2xx when it gives none), its captures kept
//! as variables of every check of the suite. A setup that several suites share (one
//! `authspec.yaml`'s, for its features) runs once for all of them. When a step fails,
//! every check of those suites is an error that names the step and says why.

use std::sync::Arc;

use crate::engine::checks::capture::{capture, register_captured_secrets};
use crate::engine::checks::expect::{mismatches, rendered};
use crate::engine::request::context::Context;
use crate::model::template::Vars;
use crate::model::{Setup, SetupStep};
use crate::results::HarnessError;

/// Runs the setup of each suite with a planned check (`used`); a suite whose setup
/// failed is marked unavailable.
pub async fn run(ctx: &mut Context, used: &[bool]) {
    let mut done: Vec<(Arc<Setup>, Result<Vars, HarnessError>)> = Vec::new();
    let mut outcomes = Vec::new();
    for si in 0..ctx.suites.len() {
        let run = &ctx.suites[si];
        let setup = match &run.suite.setup {
            Some(s) if used.get(si) == Some(&true) && run.unavailable.is_none() => s.clone(),
            _ => continue,
        };
        let outcome = match done.iter().find(|(s, _)| Arc::ptr_eq(s, &setup)) {
            Some((_, outcome)) => outcome.clone(),
            None => {
                let outcome = steps(ctx, si, &setup).await;
                done.push((setup, outcome.clone()));
                outcome
            }
        };
        outcomes.push((si, outcome));
    }
    for (si, outcome) in outcomes {
        match outcome {
            Ok(vars) => ctx.suites[si].vars.extend(vars),
            Err(e) => ctx.suites[si].unavailable = Some(e),
        }
    }
}

/// The variables the steps captured, or why a step failed.
async fn steps(ctx: &Context, si: usize, setup: &Setup) -> Result<Vars, HarnessError> {
    let mut vars = ctx.suites[si].vars.clone();
    for (i, step) in setup.steps.iter().enumerate() {
        let which = which(ctx, si, setup, i, step);
        let fail = |why: String| HarnessError::setup(format!("{which} failed: {why}"));
        let expect = rendered(&step.expect, &vars).map_err(&fail)?;
        let ex = ctx
            .exchange_as(si, step.role, &step.request, &vars)
            .await
            .map_err(|e| fail(format!("the request could not be made: {e}")))?;
        let shown = ctx.redactor.redact(&ex.body);
        let mut problems = mismatches(&expect, &ex, &shown);
        if ex.truncated.is_some() && !step.captures.is_empty() {
            problems.push(format!(
                "the body is larger than --max-body ({}); its captures need all of it",
                ctx.http_for(si).max_body()
            ));
        } else {
            capture(&step.captures, &ex.body, &mut vars, &mut problems);
            register_captured_secrets(ctx, &step.captures, &vars);
        }
        if !problems.is_empty() {
            return Err(fail(problems.join("; ")));
        }
    }
    Ok(vars)
}

/// `setup step 1 of 2 (POST /auth/register at authspec.yaml:4:14)`.
fn which(ctx: &Context, si: usize, setup: &Setup, i: usize, step: &SetupStep) -> String {
    let role = step
        .role
        .map(|r| format!(" as {}", ctx.suites[si].suite.role(r).name))
        .unwrap_or_default();
    format!(
        "setup step {} of {} ({}{role}, {})",
        i + 1,
        setup.steps.len(),
        step.request.line(),
        step.request.location
    )
}
