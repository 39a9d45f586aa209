//! Schedules a plan. Phase one runs allow cells, scenarios without deny steps, probes
//! and role proofs concurrently; phase two runs the deferred checks (deny cells,
//! scenarios with deny steps), now that it is known which roles are proven, and runs each
//! role's passing proof once more after its last deny (its denies wait for that); then rate
//! limits, one at a time; then log rules, after every request; then one check per origin
//! and server-scope detector that saw something (a version banner). Results are redacted
//! and handed to the caller as they finish, by value (`emit.rs`): the engine keeps none of
//! them (only, for `openapi coverage`, the outcomes of the checks of suites with a spec).

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::assemble::{result, run_probe, unavailable, unreachable_probe};
use super::emit::{Emitter, Planned};
use super::proofs::{
    Proofs, deny_roles, proof_of, prove_again, roles_needing_proof, stopped_working,
};
use super::setup::{self, CaChoice};
use crate::demo::{DemoCredentials, DemoEndpoints};
use crate::engine::EngineError;
use crate::engine::checks::access::{self, Cell, Proof};
use crate::engine::checks::{logs, scenario};
use crate::engine::request::context::Context;
use crate::model::{Probe, ProbeCase, RoleId, Suite, Verdict};
use crate::plan::{Check, CheckKind};
use crate::redact::Redactor;
use crate::results::{CheckResult, Outcome};

pub struct RunOptions {
    /// Checks in flight at once.
    pub jobs: usize,
    /// Per request.
    pub timeout: Duration,
    /// `--max-body`: how much of each response body is read and judged.
    pub max_body: crate::results::BodyLimit,
    /// Credentials for the built-in demo target, if a suite uses it.
    pub demo: Option<DemoCredentials>,
    /// Where the demo listens (plain and HTTPS), bound before loading.
    pub demo_endpoints: Option<DemoEndpoints>,
    /// For property-based probes; random when not given.
    pub seed: Option<u64>,
    /// Where stub upstreams get their certificates.
    pub upstream_ca: CaChoice,
    /// `--fail-on-skip`: a skipped case of any suite is an error.
    pub fail_on_skip: bool,
    /// One shard of several (`--shard i/n`, n > 1): a check judged on the whole run's
    /// results (`openapi coverage`) is left to `authspec merge`.
    pub sharded: bool,
}

/// Runs `checks`; `on_result` takes each (redacted) result as it finishes, with its
/// planned check (none for a check the run found rather than planned: a host-wide
/// finding, after every planned one). Returns the coverage of every suite's
/// OpenAPI document, as `openapi coverage` was judged on it (before waivers: a waived
/// finding was judged, so its check covers what it sent).
pub async fn run(
    suites: Vec<Suite>,
    checks: &[Check],
    options: RunOptions,
    redactor: Arc<Redactor>,
    mut on_result: impl FnMut(Option<Planned<'_>>, CheckResult),
) -> Result<Vec<crate::openapi::Coverage>, EngineError> {
    let jobs = options.jobs.max(1);
    let sharded = options.sharded;
    let fail_on_skip = options.fail_on_skip;
    let (ctx, held) = setup::prepare(suites, checks, options, redactor).await?;
    let ctx = &ctx;
    let mut out = Emitter::new(ctx, checks, fail_on_skip, &mut on_result);
    let log_offsets = logs::offsets(
        ctx.suites
            .iter()
            .flat_map(|s| s.suite.logs.iter().map(|l| l.path.clone())),
    );
    let (probe_jobs, rate_limits) = probe_jobs(ctx, checks);
    let (proofs, proof_passed) = phase_one(ctx, checks, jobs, probe_jobs, &mut out).await;
    phase_two(ctx, checks, jobs, &proofs, &proof_passed, &mut out).await;
    // Last and one at a time: a burst must not starve other checks, nor they it.
    for job in rate_limits {
        if let Done::Many(results) = run_job(ctx, checks, job, &proofs).await {
            results.into_iter().for_each(|(i, r)| out.emit(i, r));
        }
    }
    log_rules(ctx, checks, &log_offsets, &mut out);
    // After everything else: coverage is judged on every other check's result.
    let (judged, coverage) = super::coverage::judge(ctx, checks, out.outcomes(), sharded);
    for (i, r) in judged {
        out.emit(i, r);
    }
    // After every request: one check per origin and server-scope detector that saw it.
    let suites: Vec<&Suite> = ctx.suites.iter().map(|s| &s.suite).collect();
    for r in ctx.host_wide.results(&suites) {
        out.emit_extra(r);
    }
    setup::shutdown(ctx).await;
    drop(held);
    Ok(coverage)
}

/// Everything that does not wait for a proof; returns what was proven, and the roles
/// whose `proof:` request itself passed (to be run again after their denies).
async fn phase_one(
    ctx: &Context,
    checks: &[Check],
    jobs: usize,
    probe_jobs: Vec<Job>,
    out: &mut Emitter<'_>,
) -> (Proofs, Vec<(usize, RoleId)>) {
    let mut proofs = Proofs::new();
    let mut proof_passed = Vec::new();
    let nothing_proven = Proofs::new();
    let first = (0..checks.len())
        .filter(|i| {
            !checks[*i].deferred
                && !matches!(
                    checks[*i].kind,
                    CheckKind::Probe { .. } | CheckKind::Log { .. } | CheckKind::Coverage
                )
        })
        .map(Job::Check);
    let proof_jobs = roles_needing_proof(ctx, checks)
        .into_iter()
        .map(|(s, r)| Job::Proof(s, r));
    let mut stream = futures::stream::iter(first.chain(probe_jobs).chain(proof_jobs))
        .map(|job| run_job(ctx, checks, job, &nothing_proven))
        .buffer_unordered(jobs);
    while let Some(done) = stream.next().await {
        match done {
            Done::Check(i, r, proven) => {
                for role in proven {
                    proofs.insert((checks[i].suite, role), Proof::Proven);
                }
                out.emit(i, *r);
            }
            Done::Many(results) => results.into_iter().for_each(|(i, r)| out.emit(i, r)),
            Done::Proof(s, role, p) => {
                if !matches!(p, Proof::Unproven(_)) {
                    proof_passed.push((s, role));
                }
                proofs.entry((s, role)).or_insert(p);
            }
        }
    }
    (proofs, proof_passed)
}

/// The deferred checks, judged with what phase one proved. A passing deny of a role
/// whose proof passed waits until that proof, run once more after the last deny, still
/// passes; if it fails, the credentials stopped working and those denies are errors.
async fn phase_two(
    ctx: &Context,
    checks: &[Check],
    jobs: usize,
    proofs: &Proofs,
    proof_passed: &[(usize, RoleId)],
    out: &mut Emitter<'_>,
) {
    let relies = |i: usize| {
        deny_roles(ctx, &checks[i])
            .iter()
            .any(|k| proof_passed.contains(k))
    };
    let second = (0..checks.len())
        .filter(|i| checks[*i].deferred)
        .map(Job::Check);
    let mut stream = futures::stream::iter(second)
        .map(|job| run_job(ctx, checks, job, proofs))
        .buffer_unordered(jobs);
    let mut held = Vec::new();
    let mut denied = Vec::new();
    while let Some(done) = stream.next().await {
        if let Done::Check(i, r, _) = done {
            if relies(i) {
                denied.extend(deny_roles(ctx, &checks[i]));
                if r.outcome == Outcome::Pass {
                    held.push((i, r));
                    continue;
                }
            }
            out.emit(i, *r);
        }
    }
    denied.retain(|k| proof_passed.contains(k));
    denied.sort();
    denied.dedup();
    let failed = prove_again(ctx, &denied).await;
    for (i, r) in held {
        out.emit(i, stopped_working(ctx, &checks[i], *r, &failed));
    }
}

/// After every request: what the service wrote about this run.
fn log_rules(
    ctx: &Context,
    checks: &[Check],
    offsets: &std::collections::HashMap<std::path::PathBuf, u64>,
    out: &mut Emitter<'_>,
) {
    for (i, check) in checks.iter().enumerate() {
        if let CheckKind::Log { index, rule } = check.kind {
            let started = Instant::now();
            let suite = &ctx.suites[check.suite].suite;
            let (outcome, info) = logs::check(ctx, &suite.logs[index], rule, offsets);
            let r = CheckResult {
                info,
                ..result(check, suite, outcome, started.elapsed())
            };
            out.emit(i, r);
        }
    }
}

enum Job {
    Check(usize),
    /// All selected cases of one probe: (suite, probe, [(check index, case)]).
    Probe(usize, usize, Vec<(usize, ProbeCase)>),
    Proof(usize, RoleId),
}

enum Done {
    /// The result, and the roles the check proved (its passing allows).
    Check(usize, Box<CheckResult>, Vec<RoleId>),
    Many(Vec<(usize, CheckResult)>),
    Proof(usize, RoleId, Proof),
}

/// (suite, probe, [(check index, case)]).
type ProbeGroup = (usize, usize, Vec<(usize, ProbeCase)>);

/// One job per probe; rate-limit probes apart, to run last.
fn probe_jobs(ctx: &Context, checks: &[Check]) -> (Vec<Job>, Vec<Job>) {
    let mut groups: Vec<ProbeGroup> = Vec::new();
    for (i, c) in checks.iter().enumerate() {
        if let CheckKind::Probe { probe, case } = c.kind {
            match groups
                .iter_mut()
                .find(|(s, p, _)| *s == c.suite && *p == probe)
            {
                Some(g) => g.2.push((i, case)),
                None => groups.push((c.suite, probe, vec![(i, case)])),
            }
        }
    }
    let (rate, other): (Vec<_>, Vec<_>) = groups
        .into_iter()
        .partition(|(s, p, _)| matches!(ctx.suites[*s].suite.probes[*p], Probe::RateLimit(_)));
    let job = |(s, p, cases)| Job::Probe(s, p, cases);
    (
        other.into_iter().map(job).collect(),
        rate.into_iter().map(job).collect(),
    )
}

async fn run_job(ctx: &Context, checks: &[Check], job: Job, proofs: &Proofs) -> Done {
    let si = match &job {
        Job::Proof(s, _) | Job::Probe(s, _, _) => *s,
        Job::Check(i) => checks[*i].suite,
    };
    let _turn = ctx.suites[si].turn().await;
    let unavailable = ctx.suites[si].unavailable.as_ref().map(unavailable);
    let i = match job {
        Job::Proof(s, r) => {
            let proof = match unavailable {
                Some(_) => Proof::Unproven("its suite could not start".into()),
                None => access::prove(ctx, s, r).await,
            };
            return Done::Proof(s, r, proof);
        }
        Job::Probe(si, pi, cases) => {
            return Done::Many(run_probe(ctx, checks, si, pi, &cases).await);
        }
        Job::Check(i) => i,
    };
    run_check(ctx, checks, i, unavailable, proofs).await
}

/// One access cell or scenario (or, for a suite that did not start, its error).
async fn run_check(
    ctx: &Context,
    checks: &[Check],
    i: usize,
    unavailable: Option<Outcome>,
    proofs: &Proofs,
) -> Done {
    let check = &checks[i];
    let started = Instant::now();
    let suite = &ctx.suites[check.suite].suite;
    let mut info = Vec::new();
    let (outcome, proven) = match (&check.kind, unavailable) {
        (_, Some(outcome)) => (outcome, Vec::new()),
        (
            CheckKind::Access {
                entry,
                role,
                verdict,
                cell,
            },
            None,
        ) => {
            let cell = Cell {
                suite: check.suite,
                entry: *entry,
                role: *role,
                verdict: *verdict,
                location: &suite.access[*entry].cells(*verdict)[*cell].1,
            };
            let proof = proof_of(ctx, proofs, check.suite, *role);
            let outcome = access::run(ctx, &cell, &proof).await;
            let proven = match (verdict, &outcome) {
                (Verdict::Allow, Outcome::Pass) => vec![*role],
                _ => Vec::new(),
            };
            (outcome, proven)
        }
        (CheckKind::Scenario { index }, None) => {
            let ran = scenario::run(ctx, check.suite, &suite.scenarios[*index], proofs).await;
            info = ran.2;
            (ran.0, ran.1)
        }
        (CheckKind::Unbuilt { operation }, None) => {
            (super::coverage::unbuilt(suite, *operation), Vec::new())
        }
        (CheckKind::Probe { .. } | CheckKind::Log { .. } | CheckKind::Coverage, None) => {
            unreachable_probe()
        }
    };
    let result = CheckResult {
        info,
        ..result(check, suite, outcome, started.elapsed())
    };
    Done::Check(i, Box::new(result), proven)
}
