//! Scenarios: steps run in order, each as its role, with captures feeding later steps.
//! The first step that does not meet its expectations fails the scenario. A step may
//! carry access semantics (allow/deny), judged exactly as an access-matrix cell.

use std::collections::HashMap;

use crate::engine::checks::access::{Judgement, Proof, actual_shown, judge};
use crate::engine::checks::capture::{capture, register_captured_secrets};
use crate::engine::checks::expect::{self, mismatches};
use crate::engine::checks::leaks::{cut_note, too_large};
use crate::engine::checks::step_finding::{Problems, failure, late};
use crate::engine::doubles::upstreams::{Mark, Upstreams, verdict};
use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::template::Vars;
use crate::model::{RoleId, Scenario, Step, Verdict};
use crate::results::rule;
use crate::results::{Actual, CheckError, ErrorKind, Evidence, Outcome, Problem, RequestInfo};

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
        u.stage(&scenario.upstream_faults);
        u.handshakes().await;
    }
    let (outcome, proven) = steps(ctx, si, scenario, proofs, ups, &mut seen).await;
    if let Some(u) = ups {
        // Other checks of the suite meet valid, well-behaved upstreams.
        u.present(&[]);
        u.stage(&[]);
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
    let mut walk = Walk {
        ctx,
        si,
        scenario,
        proofs,
        ups,
        seen,
        vars: ctx.suites[si].vars.clone(),
        proven: Vec::new(),
    };
    for (i, step) in scenario.steps.iter().enumerate() {
        if let Some(outcome) = walk.step(i, step).await {
            return (outcome, walk.proven);
        }
    }
    (Outcome::Pass, walk.proven)
}

/// A scenario's state between steps: captured variables, roles proven by its allow
/// steps, what the upstreams have seen.
struct Walk<'a> {
    ctx: &'a Context,
    si: usize,
    scenario: &'a Scenario,
    proofs: &'a HashMap<(usize, RoleId), Proof>,
    ups: Option<&'a Upstreams>,
    seen: &'a mut verdict::Seen,
    vars: Vars,
    proven: Vec<RoleId>,
}

impl Walk<'_> {
    /// The scenario's outcome when this step ends it.
    async fn step(&mut self, i: usize, step: &Step) -> Option<Outcome> {
        let ctx = self.ctx;
        let mark = match self.ups {
            Some(u) => Some(u.mark().await),
            None => None,
        };
        let role = ctx.suites[self.si].suite.role(step.role);
        let which = self.which(i, step, &role.name);
        // Expected values may name what earlier steps captured.
        let expect = match expect::rendered(&step.expect, &self.vars) {
            Ok(e) => e,
            Err(e) => {
                let message = format!("{which}: the expectation could not be made: {e}");
                let e = CheckError::new(
                    ErrorKind::Harness(crate::results::HarnessError::request(e)),
                    message,
                    Evidence::at(&step.request.location),
                );
                return Some(Outcome::Error(e));
            }
        };
        let exchange = ctx.exchange(self.si, step.role, &step.request, &self.vars);
        let answered = match step.expect.within {
            // Past the bound the request is abandoned: dropping it closes the connection.
            Some(bound) => match tokio::time::timeout(bound, exchange).await {
                Ok(answered) => answered,
                Err(_) => return Some(late(&which, bound, step, &role.name)),
            },
            None => exchange.await,
        };
        let ex = match answered {
            Ok(ex) => ex,
            Err(e) => {
                let message = format!("{which}: the request could not be made: {e}");
                let evidence = Evidence {
                    notes: ctx.suites[self.si].sut_exited().await.into_iter().collect(),
                    ..Evidence::at(&step.request.location)
                };
                let e = CheckError::new(ErrorKind::Harness(e), message, evidence);
                return Some(Outcome::Error(e));
            }
        };
        // Scan before registering what this very response issues: delivering a key is
        // not leaking it. Everything shown is redacted after registration.
        let issued = issued_key(step, &ex.body);
        // What the step captures is the caller's own (a login's `auth_token`): never a
        // finding, so it is delivered too.
        let mut delivered: Vec<String> = issued.iter().cloned().collect();
        if ex.truncated.is_none() {
            let mut scratch = self.vars.clone();
            capture(&step.captures, &ex.body, &mut scratch, &mut Vec::new());
            delivered.extend(
                step.captures
                    .iter()
                    .filter_map(|c| scratch.get(&c.name).cloned()),
            );
        }
        let leaks = ctx.leak_lines(self.si, &ex, &delivered);
        if let (Some(key), Some(k)) = (&issued, &step.expect.key_quality) {
            ctx.redactor
                .add(&format!("issued key {}", k.path_text), key);
        }
        let shown = ctx.redactor.redact(&ex.body);
        let request = RequestInfo::new(&ex.request_line, Some(&role.name));
        let mut problems = Problems::default();
        if let Some(vacuous) = self.access(step, &ex, &which, &request, &mut problems) {
            return Some(vacuous);
        }
        if let (Some(u), Some(mark)) = (self.ups, &mark) {
            self.upstreams(u, mark, step, &mut problems).await;
        }
        let list = &mut problems.list;
        list.extend(
            mismatches(&expect, &ex, &shown)
                .into_iter()
                .map(Problem::Text),
        );
        list.extend(leaks.into_iter().map(Problem::Leak));
        let unjudged = unjudged(ctx, self.si, step, &expect, &ex);
        // Captured credentials are secrets before anything about this step is reported.
        // A cut body is not captured from: its JSON is not whole.
        let mut capture_problems = Vec::new();
        if ex.truncated.is_none() {
            capture(
                &step.captures,
                &ex.body,
                &mut self.vars,
                &mut capture_problems,
            );
            register_captured_secrets(ctx, &step.captures, &self.vars);
        }
        if list.is_empty() {
            *list = capture_problems.into_iter().map(Problem::Text).collect();
        }
        // The headers the step's expectations name, as they came back.
        let headers = step.expect.headers.iter().filter_map(|h| {
            let value = ex.header(&h.name)?;
            Some((h.name.to_ascii_lowercase(), value.to_string()))
        });
        // Redacted again only when captures added secrets since `shown` was made.
        let shown = if step.captures.is_empty() {
            shown
        } else {
            ctx.redactor.redact(&ex.body)
        };
        let actual = Actual {
            headers: headers.collect(),
            ..actual_shown(&ex, &shown)
        };
        // What the part read shows wrong is a finding; with nothing wrong in it, what
        // needed the rest could not be judged.
        if problems.list.is_empty() && !unjudged.is_empty() {
            let e = too_large(&ex, &unjudged);
            let evidence = Evidence {
                request: Some(request),
                actual: Some(actual),
                ..Evidence::at(&step.request.location)
            };
            let message = format!("{which}: {e}");
            return Some(Outcome::Error(CheckError::new(
                ErrorKind::Harness(e),
                message,
                evidence,
            )));
        }
        let notes = cut_note(&ex, &unjudged).into_iter().collect();
        failure(problems, &which, request, actual, step, notes).map(Outcome::Fail)
    }

    /// `step 2 of 3 (GET /orders as reader)`, or `GET /orders as reader` alone.
    fn which(&self, i: usize, step: &Step, role: &str) -> String {
        let total = self.scenario.steps.len();
        if total > 1 {
            format!(
                "step {} of {total} ({} as {role})",
                i + 1,
                step.request.line()
            )
        } else {
            format!("{} as {role}", step.request.line())
        }
    }

    /// The step's `allow`/`deny`, judged as an access cell; a vacuous deny ends the
    /// scenario as the error returned.
    fn access(
        &mut self,
        step: &Step,
        ex: &Exchange,
        which: &str,
        request: &RequestInfo,
        problems: &mut Problems,
    ) -> Option<Outcome> {
        let verdict = step.expect.access?;
        let suite = &self.ctx.suites[self.si].suite;
        let role = suite.role(step.role);
        let proof = if self.proven.contains(&step.role) {
            Proof::Proven
        } else {
            self.proofs
                .get(&(self.si, step.role))
                .cloned()
                .unwrap_or_else(|| Proof::missing(role))
        };
        match judge(verdict, ex, &suite.policy, role, &proof) {
            Judgement::Pass if verdict == Verdict::Allow => self.proven.push(step.role),
            Judgement::Pass => {
                let leaks = proof.leaks().iter().cloned();
                problems.list.extend(leaks.map(Problem::Leak));
            }
            Judgement::Fail(rule, message, _) => {
                problems.headline.get_or_insert(rule);
                problems.list.push(Problem::Text(message));
            }
            Judgement::Vacuous(message, why) => {
                let evidence = Evidence {
                    notes: vec![why],
                    request: Some(request.clone()),
                    ..Evidence::at(&step.request.location)
                };
                let message = format!("{which}: {message}");
                let e = CheckError::new(ErrorKind::VacuousDeny, message, evidence);
                return Some(Outcome::Error(e));
            }
        }
        None
    }

    /// What the upstreams received during this step.
    async fn upstreams(
        &mut self,
        u: &Upstreams,
        mark: &Mark,
        step: &Step,
        problems: &mut Problems,
    ) {
        let received = u.since(mark).await;
        self.seen.add(&received, u.handshakes().await);
        // Accepting a certificate it must refuse is the headline of a failure.
        let breaches = verdict::breaches(&self.scenario.upstream_tls, self.seen, u);
        if !breaches.is_empty() {
            problems.headline = Some(&rule::UPSTREAM_TLS_BREACH);
        }
        let list = &mut problems.list;
        list.splice(0..0, breaches.into_iter().map(Problem::Text));
        let redactor = &self.ctx.redactor;
        let arrivals = u.arrivals_since(mark);
        let unmet = verdict::expectations(&step.expect.upstream, &received, &arrivals, u, redactor);
        if list.is_empty() && !unmet.is_empty() {
            problems.headline = Some(&rule::UPSTREAM_EXPECTATION);
        }
        list.extend(unmet.into_iter().map(Problem::Text));
    }
}

/// What of `step` needs the whole of a body cut at `--max-body` and was not decided by
/// the part read: its leak scan, body and JSON expectations, its captures.
fn unjudged(
    ctx: &Context,
    si: usize,
    step: &Step,
    expect: &crate::model::Expectation,
    ex: &Exchange,
) -> Vec<&'static str> {
    if ex.truncated.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if ctx.scan_is_partial(si, ex) {
        out.push("the leak scan");
    }
    out.extend(expect::unjudged(expect, ex));
    if !step.captures.is_empty() {
        out.push("`capture`");
    }
    out
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
