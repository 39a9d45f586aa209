//! Turns outcomes into results: the suite's warnings on every check, probe cases matched
//! back to their planned checks, and the errors of checks that could not run (a suite
//! that did not start, a planning bug).

use std::time::{Duration, Instant};

use crate::engine::probes;
use crate::engine::request::context::Context;
use crate::model::{ProbeCase, RoleId, Suite};
use crate::plan::Check;
use crate::results::{CheckError, CheckResult, ErrorKind, Evidence, HarnessError, Outcome};

/// The result of `check`, with the warnings every check of its suite carries.
pub fn result(check: &Check, suite: &Suite, outcome: Outcome, duration: Duration) -> CheckResult {
    CheckResult {
        id: check.id(suite).into_owned(),
        suite: suite.name.as_str().into(),
        file: suite.file.clone(),
        name: check.name(suite).into_owned(),
        outcome,
        duration,
        warnings: suite
            .leakage
            .notice()
            .into_iter()
            .chain(crate::engine::request::tls_clients::notice(suite))
            .collect(),
        info: Vec::new(),
        waived: None,
    }
}

/// A skip in a run that fails on skips (`why`: the flag or the suite setting) is an
/// error: a gate must not read "nothing failed" when nothing was judged.
pub fn refuse_skip(outcome: Outcome, why: &str) -> Outcome {
    let Outcome::Skipped(reason) = outcome else {
        return outcome;
    };
    Outcome::Error(CheckError::new(
        ErrorKind::Skipped,
        format!("skipped ({reason}), and {why} makes a skip fail the run"),
        Evidence {
            notes: vec![format!(
                "nothing was judged: {reason}. Remove {why} to report this case as skipped."
            )],
            ..Evidence::default()
        },
    ))
}

/// The error of every check of a suite whose SUT or upstreams did not start.
pub fn unavailable(why: &HarnessError) -> Outcome {
    let text = why.to_string();
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let evidence = Evidence {
        notes: [rest]
            .into_iter()
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect(),
        ..Evidence::default()
    };
    let kind = ErrorKind::SuiteUnavailable(why.clone());
    Outcome::Error(CheckError::new(kind, first, evidence))
}

fn internal(message: &str) -> Outcome {
    Outcome::Error(CheckError::new(
        ErrorKind::Internal,
        message,
        Evidence::default(),
    ))
}

/// Probe cases travel as `Job::Probe` and log rules run after everything; either alone
/// here is a planning bug, reported as an error rather than a panic.
pub fn unreachable_probe() -> (Outcome, Vec<RoleId>) {
    (
        internal("internal error: a probe case ran alone"),
        Vec::new(),
    )
}

pub async fn run_probe(
    ctx: &Context,
    checks: &[Check],
    si: usize,
    pi: usize,
    cases: &[(usize, ProbeCase)],
) -> Vec<(usize, CheckResult)> {
    let started = Instant::now();
    let wanted: Vec<ProbeCase> = cases.iter().map(|(_, c)| *c).collect();
    let suite = &ctx.suites[si].suite;
    let results = match ctx.suites[si].unavailable.as_ref().map(unavailable) {
        Some(outcome) => wanted
            .iter()
            .map(|c| (*c, probes::CaseResult::of(outcome.clone())))
            .collect(),
        None => probes::run(ctx, si, pi, &wanted).await,
    };
    let each = started.elapsed() / (results.len().max(1) as u32);
    let mut out: Vec<(usize, CheckResult)> = results
        .into_iter()
        .filter_map(|(case, r)| {
            let (i, _) = cases.iter().find(|(_, c)| *c == case)?;
            Some((*i, {
                let mut result = result(&checks[*i], suite, r.outcome, each);
                result.warnings.extend(r.warnings);
                result.info = r.info;
                result
            }))
        })
        .collect();
    // Never a silent pass: a planned case the probe did not answer is an error.
    for (i, _) in cases {
        if !out.iter().any(|(j, _)| j == i) {
            let outcome = internal("internal error: the probe produced no result for this case");
            out.push((*i, result(&checks[*i], suite, outcome, each)));
        }
    }
    warn_if_all_skipped(&mut out);
    out
}

/// A probe of which every case was skipped judged nothing: the console says so, not
/// only each case's SKIP line.
fn warn_if_all_skipped(out: &mut [(usize, CheckResult)]) {
    if out.is_empty()
        || !out
            .iter()
            .all(|(_, r)| matches!(r.outcome, Outcome::Skipped(_)))
    {
        return;
    }
    let name = &out[0].1.name;
    let probe = name.rsplit_once(": ").map_or(name.as_str(), |(p, _)| p);
    let warning = format!("every case of probe `{probe}` was skipped: it judged nothing");
    for (_, r) in out.iter_mut() {
        r.warnings.push(warning.clone());
    }
}
