//! Scenarios: steps run in order, each as its role, with captures feeding later steps.
//! The first step that does not meet its expectations fails the scenario. A step may
//! carry access semantics (allow/deny), judged exactly as an access-matrix cell.

use std::collections::HashMap;

use crate::engine::checks::access::{Judgement, Proof, actual, judge};
use crate::engine::checks::expect::mismatches;
use crate::engine::doubles::upstreams::{Upstreams, verdict};
use crate::engine::request::context::Context;
use crate::engine::template::Vars;
use crate::model::{RoleId, Scenario, Step, Verdict};
use crate::results::rule::{self, Rule};
use crate::results::{CheckError, ErrorKind, Evidence, Finding, Outcome, Problem, RequestInfo};

/// The outcome, the roles whose allow steps passed (they are proven from now on), and
/// notes for the report (how the SUT refused an upstream's certificate).
pub async fn run(
    ctx: &Context,
    si: usize,
    scenario: &Scenario,
    proofs: &HashMap<(usize, RoleId), Proof>,
) -> (Outcome, Vec<RoleId>, Vec<String>) {
    let ups = ctx.suites[si].upstreams.as_ref();
    let mut seen = verdict::Seen::default();
    if let Some(u) = ups {
        u.present(&scenario.upstream_tls);
        u.handshakes().await;
    }
    let (outcome, proven) = steps(ctx, si, scenario, proofs, ups, &mut seen).await;
    if let Some(u) = ups {
        // Other checks of the suite meet valid upstreams.
        u.present(&[]);
    }
    let (Some(u), Outcome::Pass) = (ups, &outcome) else {
        return (outcome, proven, Vec::new());
    };
    match verdict::refusals(&scenario.upstream_tls, &seen, u) {
        Ok(notes) => (outcome, proven, notes),
        Err(verdict::Untried(vacuous)) => {
            let e = CheckError::new(
                ErrorKind::Vacuous,
                vacuous,
                Evidence::at(&scenario.location),
            );
            (Outcome::Error(e), proven, Vec::new())
        }
    }
}

async fn steps(
    ctx: &Context,
    si: usize,
    scenario: &Scenario,
    proofs: &HashMap<(usize, RoleId), Proof>,
    ups: Option<&Upstreams>,
    seen: &mut verdict::Seen,
) -> (Outcome, Vec<RoleId>) {
    let suite = &ctx.suites[si].suite;
    let mut vars = Vars::new();
    let mut proven: Vec<RoleId> = Vec::new();
    let total = scenario.steps.len();
    for (i, step) in scenario.steps.iter().enumerate() {
        let mark = match ups {
            Some(u) => Some(u.mark().await),
            None => None,
        };
        let role = suite.role(step.role);
        let which = if total > 1 {
            format!(
                "step {} of {total} ({} as {})",
                i + 1,
                step.request.line(),
                role.name
            )
        } else {
            format!("{} as {}", step.request.line(), role.name)
        };
        let ex = match ctx.send(si, step.role, &step.request, &vars).await {
            Ok(ex) => ex,
            Err(e) => {
                let message = format!("{which}: the request could not be made: {e}");
                let evidence = Evidence {
                    notes: ctx.suites[si].sut_exited().await.into_iter().collect(),
                    ..Evidence::at(&step.request.location)
                };
                let e = CheckError::new(ErrorKind::Harness(e), message, evidence);
                return (Outcome::Error(e), proven);
            }
        };
        // Scan before registering what this very response issues: delivering a key is
        // not leaking it. Everything shown is redacted after registration.
        let issued = issued_key(step, &ex.body);
        let leaks = ctx.leak_lines(si, &ex, issued.as_slice());
        if let (Some(key), Some(k)) = (&issued, &step.expect.key_quality) {
            ctx.redactor
                .add(&format!("issued key {}", k.path_text), key);
        }
        let shown = ctx.redactor.redact(&ex.body);
        let request = RequestInfo::new(&ex.request_line, Some(&role.name));
        let mut problems: Vec<Problem> = Vec::new();
        // The rule of the headline problem, when it is not a plain expectation.
        let mut headline: Option<&'static Rule> = None;
        if let Some(verdict) = step.expect.access {
            let proof = if proven.contains(&step.role) {
                Proof::Proven
            } else {
                proofs
                    .get(&(si, step.role))
                    .cloned()
                    .unwrap_or_else(|| Proof::missing(role))
            };
            match judge(verdict, &ex, &suite.policy, role, &proof) {
                Judgement::Pass if verdict == Verdict::Allow => proven.push(step.role),
                Judgement::Pass => {
                    problems.extend(proof.leaks().iter().cloned().map(Problem::Leak));
                }
                Judgement::Fail(rule, message, _) => {
                    headline.get_or_insert(rule);
                    problems.push(Problem::Text(message));
                }
                Judgement::Vacuous(message, why) => {
                    let evidence = Evidence {
                        notes: vec![why],
                        request: Some(request),
                        ..Evidence::at(&step.request.location)
                    };
                    let message = format!("{which}: {message}");
                    let e = CheckError::new(ErrorKind::VacuousDeny, message, evidence);
                    return (Outcome::Error(e), proven);
                }
            }
        }
        if let (Some(u), Some(mark)) = (ups, &mark) {
            let received = u.since(mark).await;
            seen.add(&received, u.handshakes().await);
            // Accepting a certificate it must refuse is the headline of a failure.
            let breaches = verdict::breaches(&scenario.upstream_tls, seen, u);
            if !breaches.is_empty() {
                headline = Some(&rule::UPSTREAM_TLS_BREACH);
            }
            problems.splice(0..0, breaches.into_iter().map(Problem::Text));
            let unmet = verdict::expectations(&step.expect.upstream, &received, u, &ctx.redactor);
            if problems.is_empty() && !unmet.is_empty() {
                headline = Some(&rule::UPSTREAM_EXPECTATION);
            }
            problems.extend(unmet.into_iter().map(Problem::Text));
        }
        problems.extend(
            mismatches(&step.expect, &ex, &shown)
                .into_iter()
                .map(Problem::Text),
        );
        problems.extend(leaks.into_iter().map(Problem::Leak));
        // Captured credentials are secrets before anything about this step is reported.
        let mut capture_problems = Vec::new();
        capture(step, &ex.body, &mut vars, &mut capture_problems);
        register_captured_secrets(ctx, step, &vars);
        if problems.is_empty() {
            problems = capture_problems.into_iter().map(Problem::Text).collect();
        }
        if let Some(first) = problems.first() {
            let message = format!("{which}: {first}");
            let evidence = Evidence {
                request: Some(request),
                problems: problems.clone(),
                actual: Some(actual(ctx, &ex)),
                ..Evidence::at(&step.request.location)
            };
            let finding = match (headline, first) {
                (Some(rule), _) => Finding::of(rule, message, evidence),
                (None, Problem::Leak(leak)) => Finding::leak(leak, message, evidence),
                (None, Problem::Text(_)) => {
                    Finding::of(&rule::SCENARIO_EXPECTATION, message, evidence)
                }
            };
            return (Outcome::Fail(finding), proven);
        }
    }
    (Outcome::Pass, proven)
}

/// The key the API issues (`json_key_quality`): a secret from the moment it arrives.
fn issued_key(step: &Step, body: &str) -> Option<String> {
    let k = step.expect.key_quality.as_ref()?;
    let doc = serde_json::from_str::<serde_json::Value>(body).ok()?;
    match k.path.query(&doc).exactly_one() {
        Ok(serde_json::Value::String(key)) => Some(key.clone()),
        _ => None,
    }
}

/// A value captured under a credential-like name (`access_token`, `$.api_key`, …) is a
/// secret of the run from then on: redacted everywhere, and a canary in later responses.
fn register_captured_secrets(ctx: &Context, step: &Step, vars: &Vars) {
    const HINTS: [&str; 7] = [
        "token",
        "secret",
        "key",
        "password",
        "session",
        "cookie",
        "credential",
    ];
    for c in &step.captures {
        let text = format!("{} {}", c.name, c.path_text).to_ascii_lowercase();
        if HINTS.iter().any(|h| text.contains(h))
            && let Some(value) = vars.get(&c.name)
        {
            ctx.redactor.add(&format!("captured.{}", c.name), value);
        }
    }
}

fn capture(step: &Step, body: &str, vars: &mut Vars, problems: &mut Vec<String>) {
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
