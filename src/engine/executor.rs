//! Executes a plan. Phase one runs allow cells, scenarios without deny steps and role
//! proofs concurrently; phase two runs the deferred checks (deny cells, scenarios with
//! deny steps), now that it is known which roles are proven. Results are redacted here,
//! handed to the caller as they finish, and returned in plan order.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::access::{self, Cell, Proof};
use super::context::Context;
use super::http::HttpClient;
use super::logs;
use super::probes;
use super::scenario;
use super::setup::{self, CaChoice, SuiteSetup};
use crate::demo::{DemoCredentials, DemoEndpoints};
use crate::model::{Probe, ProbeCase, RoleId, Suite, TlsSettings, Verdict};
use crate::plan::{Check, CheckKind};
use crate::redact::Redactor;
use crate::results::{CheckError, CheckResult, ErrorKind, Evidence, HarnessError, Outcome};

pub struct RunOptions {
    /// Checks in flight at once.
    pub jobs: usize,
    /// Per request.
    pub timeout: Duration,
    /// Credentials for the built-in demo target, if a suite uses it.
    pub demo: Option<DemoCredentials>,
    /// Where the demo listens (plain and HTTPS), bound before loading.
    pub demo_endpoints: Option<DemoEndpoints>,
    /// For property-based probes; random when not given.
    pub seed: Option<u64>,
    /// Where stub upstreams get their certificates.
    pub upstream_ca: CaChoice,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error("cannot start the demo target: {0}")]
    Demo(#[source] std::io::Error),
    #[error("cannot start the demo target: no demo credentials were set up")]
    NoDemoCredentials,
    #[error("cannot prepare the stub upstreams: {0}")]
    Upstream(#[source] HarnessError),
}

type Proofs = HashMap<(usize, RoleId), Proof>;

/// Runs `checks`; `on_result` sees each (redacted) result as it finishes.
pub async fn run(
    suites: Vec<Suite>,
    checks: &[Check],
    options: RunOptions,
    redactor: Arc<Redactor>,
    mut on_result: impl FnMut(&CheckResult),
) -> Result<Vec<CheckResult>, EngineError> {
    let jobs = options.jobs.max(1);
    let demo = setup::start_demo(&suites, options.demo, options.demo_endpoints).await?;
    // Auth servers and probes' helpers use the default client: verified, trusting the
    // system roots and every suite's `ca_file`. A suite with `verify: false` gets a
    // client of its own for its requests.
    let default_tls = TlsSettings {
        ca_file: super::tls_clients::merged_ca_files(suites.iter().map(|s| &s.tls)),
        verify: true,
    };
    let http = HttpClient::new(options.timeout, jobs, &default_tls)?;
    let tokens = super::oauth::Tokens::for_suites(suites.iter());
    let setup = SuiteSetup {
        demo: demo.as_ref(),
        timeout: options.timeout,
        jobs,
        ca: options.upstream_ca,
        http: &http,
        used: (0..suites.len())
            .map(|si| checks.iter().any(|c| c.suite == si))
            .collect(),
    };
    let (suites, _upstream_ca) = setup::suite_runs(suites, setup).await?;
    let ctx = &Context {
        http,
        suites,
        redactor,
        detectors: crate::leak::detectors::all(),
        tokens,
        seed: options.seed.unwrap_or_else(random_seed),
    };
    let mut results: Vec<Option<CheckResult>> = vec![None; checks.len()];
    let mut emit = |i: usize, r: CheckResult| {
        if checks[i].support {
            return;
        }
        let r = r.redacted(&ctx.redactor);
        on_result(&r);
        results[i] = Some(r);
    };

    let log_offsets = logs::offsets(
        ctx.suites
            .iter()
            .flat_map(|s| s.suite.logs.iter().map(|l| l.path.clone())),
    );
    let mut proofs = Proofs::new();
    let nothing_proven = Proofs::new();
    let (probe_jobs, rate_limits) = probe_jobs(ctx, checks);
    let first = (0..checks.len())
        .filter(|i| {
            !checks[*i].deferred
                && !matches!(
                    checks[*i].kind,
                    CheckKind::Probe { .. } | CheckKind::Log { .. }
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
                emit(i, *r);
            }
            Done::Many(results) => results.into_iter().for_each(|(i, r)| emit(i, r)),
            Done::Proof(s, role, p) => {
                proofs.entry((s, role)).or_insert(p);
            }
        }
    }
    drop(stream);

    let second = (0..checks.len())
        .filter(|i| checks[*i].deferred)
        .map(Job::Check);
    let mut stream = futures::stream::iter(second)
        .map(|job| run_job(ctx, checks, job, &proofs))
        .buffer_unordered(jobs);
    while let Some(done) = stream.next().await {
        if let Done::Check(i, r, _) = done {
            emit(i, *r);
        }
    }
    drop(stream);

    // Last and one at a time: a burst must not starve other checks, nor they it.
    for job in rate_limits {
        if let Done::Many(results) = run_job(ctx, checks, job, &proofs).await {
            results.into_iter().for_each(|(i, r)| emit(i, r));
        }
    }
    // After every request: what the service wrote about this run.
    for (i, check) in checks.iter().enumerate() {
        if let CheckKind::Log { index, rule } = check.kind {
            let started = Instant::now();
            let suite = &ctx.suites[check.suite].suite;
            let (outcome, info) = logs::check(ctx, &suite.logs[index], rule, &log_offsets);
            emit(
                i,
                CheckResult {
                    info,
                    ..result(check, suite, outcome, started.elapsed())
                },
            );
        }
    }
    setup::shutdown(ctx).await;
    drop(demo);
    Ok(results.into_iter().flatten().collect())
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
                location,
            },
            None,
        ) => {
            let cell = Cell {
                suite: check.suite,
                entry: *entry,
                role: *role,
                verdict: *verdict,
                location,
            };
            let proof = proofs
                .get(&(check.suite, *role))
                .cloned()
                .unwrap_or_else(|| Proof::missing(suite.role(*role)));
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
        (CheckKind::Probe { .. } | CheckKind::Log { .. }, None) => unreachable_probe(),
    };
    let result = CheckResult {
        info,
        ..result(check, suite, outcome, started.elapsed())
    };
    Done::Check(i, Box::new(result), proven)
}

/// The result of `check`, with the warnings every check of its suite carries.
fn result(check: &Check, suite: &Suite, outcome: Outcome, duration: Duration) -> CheckResult {
    CheckResult {
        id: check.id.clone(),
        suite: suite.name.as_str().into(),
        file: suite.file.clone(),
        name: check.name.clone(),
        outcome,
        duration,
        warnings: suite
            .leakage
            .notice()
            .into_iter()
            .chain(super::tls_clients::notice(suite))
            .collect(),
        info: Vec::new(),
    }
}

/// The error of every check of a suite whose SUT or upstreams did not start.
fn unavailable(why: &HarnessError) -> Outcome {
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
fn unreachable_probe() -> (Outcome, Vec<RoleId>) {
    (
        internal("internal error: a probe case ran alone"),
        Vec::new(),
    )
}

async fn run_probe(
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
    out
}

/// Roles with a `proof:` request that have deny cells or deny steps in this plan.
fn roles_needing_proof(ctx: &Context, checks: &[Check]) -> Vec<(usize, RoleId)> {
    let mut out: Vec<(usize, RoleId)> = checks
        .iter()
        .flat_map(|c| match &c.kind {
            CheckKind::Access {
                role,
                verdict: Verdict::Deny,
                ..
            } => vec![(c.suite, *role)],
            CheckKind::Scenario { index } => ctx.suites[c.suite].suite.scenarios[*index]
                .steps
                .iter()
                .filter(|s| s.expect.access == Some(Verdict::Deny))
                .map(|s| (c.suite, s.role))
                .collect(),
            CheckKind::Access { .. } | CheckKind::Probe { .. } | CheckKind::Log { .. } => {
                Vec::new()
            }
        })
        .filter(|(s, r)| ctx.suites[*s].suite.role(*r).proof.is_some())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    u64::from_le_bytes(bytes)
}
