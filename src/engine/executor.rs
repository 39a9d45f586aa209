//! Executes a plan. Phase one runs allow cells, scenarios and role proofs concurrently;
//! phase two runs deny cells, now that it is known which roles are proven. Results are
//! redacted here, handed to the caller as they finish, and returned in plan order.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::access::{self, Cell, Proof};
use super::context::{Context, SuiteRun};
use super::http::HttpClient;
use super::scenario;
use crate::demo::{DemoCredentials, DemoServer};
use crate::model::{RoleId, Suite, Target, Verdict};
use crate::plan::{Check, CheckKind};
use crate::redact::Redactor;
use crate::results::{CheckResult, Outcome};

pub struct RunOptions {
    /// Checks in flight at once.
    pub jobs: usize,
    /// Per request.
    pub timeout: Duration,
    /// Credentials for the built-in demo target, if a suite uses it.
    pub demo: Option<DemoCredentials>,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error("cannot start the demo target: {0}")]
    Demo(String),
}

/// Runs `checks`; `on_result` sees each (redacted) result as it finishes.
pub async fn run(
    suites: Vec<Suite>,
    checks: &[Check],
    options: RunOptions,
    redactor: Arc<Redactor>,
    mut on_result: impl FnMut(&CheckResult),
) -> Result<Vec<CheckResult>, EngineError> {
    let jobs = options.jobs.max(1);
    let demo = start_demo(&suites, options.demo).await?;
    let suites = suites
        .into_iter()
        .map(|suite| {
            let base_url = match (&suite.target, &demo) {
                (Target::Url(u), _) => u.clone(),
                (Target::Demo, Some(d)) => d.url(),
                (Target::Demo, None) => String::new(),
            };
            SuiteRun { suite, base_url }
        })
        .collect();
    let ctx = &Context {
        http: HttpClient::new(options.timeout, jobs)?,
        suites,
        redactor,
    };
    let mut results: Vec<Option<CheckResult>> = vec![None; checks.len()];
    let mut emit = |i: usize, r: CheckResult| {
        let r = r.redacted(&ctx.redactor);
        on_result(&r);
        results[i] = Some(r);
    };

    // Phase one: everything but deny cells, plus the proofs those deny cells may need.
    let mut proofs: HashMap<(usize, RoleId), Proof> = HashMap::new();
    let first: Vec<usize> = (0..checks.len())
        .filter(|i| !checks[*i].is_deny())
        .collect();
    let needed_proofs = roles_needing_proof(ctx, checks);
    {
        let check_jobs = first.iter().map(|&i| Job::Check(i));
        let proof_jobs = needed_proofs.iter().map(|&(s, r)| Job::Proof(s, r));
        let mut stream = futures::stream::iter(check_jobs.chain(proof_jobs))
            .map(|job| run_job(ctx, checks, job, None))
            .buffer_unordered(jobs);
        while let Some(done) = stream.next().await {
            match done {
                Done::Check(i, r) => {
                    if let (
                        CheckKind::Access {
                            role,
                            verdict: Verdict::Allow,
                            ..
                        },
                        Outcome::Pass,
                    ) = (&checks[i].kind, &r.outcome)
                    {
                        proofs.insert((checks[i].suite, *role), Proof::Proven);
                    }
                    emit(i, r);
                }
                Done::Proof(s, role, p) => {
                    proofs.entry((s, role)).or_insert(p);
                }
            }
        }
    }

    // Phase two: deny cells, judged with what phase one proved.
    let second: Vec<usize> = (0..checks.len()).filter(|i| checks[*i].is_deny()).collect();
    let mut stream = futures::stream::iter(second)
        .map(|i| {
            let proof = match &checks[i].kind {
                CheckKind::Access { role, .. } => Some(proofs.get(&(checks[i].suite, *role)).cloned().unwrap_or_else(|| {
                    let name = &ctx.suites[checks[i].suite].suite.role(*role).name;
                    Proof::Unproven(format!("no allow for {name} passed in this run and it has no `proof:` request"))
                })),
                CheckKind::Scenario { .. } => None,
            };
            async move { run_job(ctx, checks, Job::Check(i), proof.as_ref()).await }
        })
        .buffer_unordered(jobs);
    while let Some(done) = stream.next().await {
        if let Done::Check(i, r) = done {
            emit(i, r);
        }
    }
    drop(stream);
    drop(demo);
    Ok(results.into_iter().flatten().collect())
}

enum Job {
    Check(usize),
    Proof(usize, RoleId),
}

enum Done {
    Check(usize, CheckResult),
    Proof(usize, RoleId, Proof),
}

async fn run_job(ctx: &Context, checks: &[Check], job: Job, proof: Option<&Proof>) -> Done {
    let i = match job {
        Job::Proof(s, r) => return Done::Proof(s, r, access::prove(ctx, s, r).await),
        Job::Check(i) => i,
    };
    let check = &checks[i];
    let started = Instant::now();
    let suite = &ctx.suites[check.suite].suite;
    let outcome = match &check.kind {
        CheckKind::Access {
            entry,
            role,
            verdict,
            location,
        } => {
            let cell = Cell {
                suite: check.suite,
                entry: *entry,
                role: *role,
                verdict: *verdict,
                location,
            };
            access::run(ctx, &cell, proof).await
        }
        CheckKind::Scenario { index } => {
            scenario::run(ctx, check.suite, &suite.scenarios[*index]).await
        }
    };
    Done::Check(
        i,
        CheckResult {
            id: check.id.clone(),
            suite: suite.name.as_str().into(),
            file: suite.file.clone(),
            name: check.name.clone(),
            outcome,
            duration: started.elapsed(),
        },
    )
}

/// Roles with a `proof:` request that have deny cells in this plan.
fn roles_needing_proof(ctx: &Context, checks: &[Check]) -> Vec<(usize, RoleId)> {
    let mut out: Vec<(usize, RoleId)> = checks
        .iter()
        .filter_map(|c| match c.kind {
            CheckKind::Access {
                role,
                verdict: Verdict::Deny,
                ..
            } => Some((c.suite, role)),
            _ => None,
        })
        .filter(|(s, r)| ctx.suites[*s].suite.role(*r).proof.is_some())
        .collect();
    out.sort();
    out.dedup();
    out
}

async fn start_demo(
    suites: &[Suite],
    creds: Option<DemoCredentials>,
) -> Result<Option<DemoServer>, EngineError> {
    if !suites.iter().any(|s| s.target == Target::Demo) {
        return Ok(None);
    }
    let creds = creds.ok_or_else(|| EngineError::Demo("no demo credentials were set up".into()))?;
    DemoServer::start(creds, None)
        .await
        .map(Some)
        .map_err(|e| EngineError::Demo(e.to_string()))
}
