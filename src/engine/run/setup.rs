//! Prepares a run before any check: the demo target when a suite uses it, and for each
//! suite its base URL, its own TLS client when it needs one (and one per role with a
//! client certificate), its stub upstreams and SUT, and then its `setup:` requests. A suite whose upstreams or SUT cannot start, or
//! whose setup fails, is marked unavailable: its checks become errors carrying the
//! reason, and the other suites run.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::schedule::RunOptions;
use crate::demo::{DemoCredentials, DemoEndpoints, DemoServer};
use crate::engine::EngineError;
use crate::engine::auth::oauth::Tokens;
use crate::engine::doubles::sut::{SutProcess, free_port};
use crate::engine::doubles::upstreams::{UpstreamCa, Upstreams};
use crate::engine::request::context::{Context, SuiteRun};
use crate::engine::request::http::HttpClient;
use crate::engine::request::tls_clients::merged_ca_files;
use crate::model::template::{RUN_ID, render};
use crate::model::{Probe, Suite, Target, TlsSettings};
use crate::plan::Check;
use crate::redact::Redactor;
use crate::results::HarnessError;
use crate::tls::Ca;

/// Where a suite's stub upstreams get their certificates.
pub enum CaChoice {
    /// Made for this run (a SUT started by authspec is told where it is).
    Fresh,
    /// Written ahead of time with `authspec upstream-ca`; the PEM file the SUT trusts.
    Stored(Box<Ca>, PathBuf),
}

pub struct SuiteSetup<'a> {
    pub demo: Option<&'a DemoServer>,
    pub timeout: Duration,
    pub jobs: usize,
    pub ca: CaChoice,
    /// For readiness polls.
    pub http: &'a HttpClient,
    /// Whether each suite has a planned check: no SUT starts for a filtered-out suite.
    pub used: Vec<bool>,
    /// `{{run.id}}`.
    pub run_id: String,
}

/// What must live as long as the run: the demo target, the upstream CA's file.
pub struct Held {
    _demo: Option<DemoServer>,
    _upstream_ca: Option<UpstreamCa>,
}

/// The context every check runs in, and what it needs kept alive.
pub async fn prepare(
    suites: Vec<Suite>,
    checks: &[Check],
    options: RunOptions,
    redactor: Arc<Redactor>,
) -> Result<(Context, Held), EngineError> {
    let jobs = options.jobs.max(1);
    let demo = start_demo(&suites, options.demo, options.demo_endpoints).await?;
    // Auth servers and probes' helpers use the default client: verified, trusting the
    // system roots and every suite's `ca_file`. A suite with `verify: false` gets a
    // client of its own for its requests.
    let default_tls = TlsSettings {
        ca_file: merged_ca_files(suites.iter().map(|s| &s.tls)),
        verify: true,
        client_cert: None,
    };
    let http =
        HttpClient::new(options.timeout, jobs, &default_tls)?.with_max_body(options.max_body);
    let tokens = Tokens::for_suites(suites.iter());
    let logins = crate::engine::auth::login::Logins::for_suites(suites.iter());
    let jars = crate::engine::request::cookies::Jars::for_suites(suites.iter());
    let used: Vec<bool> = (0..suites.len())
        .map(|si| checks.iter().any(|c| c.suite == si))
        .collect();
    let setup = SuiteSetup {
        demo: demo.as_ref(),
        timeout: options.timeout,
        jobs,
        ca: options.upstream_ca,
        http: &http,
        used: used.clone(),
        run_id: run_id(),
    };
    let (suites, upstream_ca) = suite_runs(suites, setup).await?;
    let mut ctx = Context {
        http,
        suites,
        redactor,
        detectors: crate::leak::detectors::all(),
        host_wide: Default::default(),
        tokens,
        logins,
        jars,
        seed: options.seed.unwrap_or_else(random_seed),
    };
    // Before any check, so that what it captures every check may use.
    super::setup_steps::run(&mut ctx, &used).await;
    let held = Held {
        _demo: demo,
        _upstream_ca: upstream_ca,
    };
    Ok((ctx, held))
}

/// Eight hex digits, random: short enough for a user name, and no secret.
fn run_id() -> String {
    let mut bytes = [0u8; 4];
    if crate::demo::os_random(&mut bytes).is_err() && aws_lc_rs::rand::fill(&mut bytes).is_err() {
        // Unique is what matters here, not unpredictable.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        bytes = (nanos ^ std::process::id()).to_le_bytes();
    }
    format!("{:08x}", u32::from_le_bytes(bytes))
}

/// From the kernel's generator, like the demo's tokens: aws-lc's would seed itself from
/// CPU jitter first, a cost a run without TLS need not pay.
fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    if crate::demo::os_random(&mut bytes).is_err() {
        let _ = aws_lc_rs::rand::fill(&mut bytes);
    }
    u64::from_le_bytes(bytes)
}

/// Each suite ready to run, and the upstream CA when one was needed.
pub async fn suite_runs(
    suites: Vec<Suite>,
    setup: SuiteSetup<'_>,
) -> Result<(Vec<SuiteRun>, Option<UpstreamCa>), EngineError> {
    let mut ca: Option<UpstreamCa> = None;
    let mut choice = Some(setup.ca);
    let mut out = Vec::new();
    for (si, suite) in suites.into_iter().enumerate() {
        let template = match (&suite.target, setup.demo) {
            (Target::Url(u), _) => u.clone(),
            (Target::Demo, Some(d)) => d.url(),
            (Target::Demo, None) => String::new(),
        };
        let http = if suite.tls.verify && suite.tls.client_cert.is_none() {
            None
        } else {
            Some(
                HttpClient::new(setup.timeout, setup.jobs, &suite.tls)?
                    .with_max_body(setup.http.max_body()),
            )
        };
        let base = http.as_ref().unwrap_or(setup.http);
        let role_http = role_clients(&suite, base, setup.timeout, setup.jobs)?;
        let mut run = SuiteRun::new(suite, template.clone(), http);
        run.role_http = role_http;
        run.vars.insert(RUN_ID.to_string(), setup.run_id.clone());
        if !run.suite.upstreams.is_empty() && setup.used.get(si) == Some(&true) && ca.is_none() {
            ca = Some(match choice.take() {
                Some(CaChoice::Stored(c, file)) => UpstreamCa::stored(*c, file),
                _ => UpstreamCa::fresh().map_err(EngineError::Upstream)?,
            });
        }
        let wanted = (!run.suite.upstreams.is_empty() || run.suite.sut.is_some())
            && setup.used.get(si).copied().unwrap_or(true);
        if !wanted && template.contains("{{") {
            // `{{run.id}}` is the only run template a suite without upstreams or SUT has.
            if let Ok(url) = render(&template, &run.vars) {
                run.set_base_url(url.trim_end_matches('/').to_string());
            }
        }
        if wanted && let Err(e) = environment(&mut run, &template, ca.as_ref(), setup.http).await {
            run.unavailable = Some(e);
        }
        out.push(run);
    }
    Ok((out, ca))
}

/// A client for each role that presents a client certificate (reqwest's identity is per
/// client), built once per run like the suite's own: its TLS settings, timeout, body limit
/// and connection budget, plus the certificate.
fn role_clients(
    suite: &Suite,
    base: &HttpClient,
    timeout: Duration,
    jobs: usize,
) -> Result<Vec<Option<HttpClient>>, EngineError> {
    suite
        .roles
        .iter()
        .map(|role| {
            let Some(cert) = &role.client_cert else {
                return Ok(None);
            };
            let tls = TlsSettings {
                client_cert: Some(cert.clone()),
                ..base.tls().clone()
            };
            Ok(Some(
                HttpClient::new(timeout, jobs, &tls)?.with_max_body(base.max_body()),
            ))
        })
        .collect()
}

/// Starts `run`'s upstreams and SUT, and renders its base URL.
async fn environment(
    run: &mut SuiteRun,
    template: &str,
    ca: Option<&UpstreamCa>,
    http: &HttpClient,
) -> Result<(), HarnessError> {
    let mut vars = run.vars.clone();
    if let Some(ca) = ca.filter(|_| !run.suite.upstreams.is_empty()) {
        let ups = Upstreams::start(&run.suite.upstreams, ca).await?;
        ups.vars(&mut vars);
        run.upstreams = Some(ups);
    }
    if run.suite.sut.is_some() {
        let port = free_port().map_err(|e| HarnessError::io("no free port for the SUT", &e))?;
        vars.insert("sut.port".into(), port.to_string());
        vars.insert("sut.url".into(), format!("http://127.0.0.1:{port}"));
    }
    run.set_base_url(
        render(template, &vars)
            .map_err(HarnessError::request)?
            .trim_end_matches('/')
            .to_string(),
    );
    if let Some(sut) = &run.suite.sut {
        let process = SutProcess::start(sut, &vars, &run.base_url, http).await?;
        *run.sut.get_mut() = Some(process);
    }
    Ok(())
}

/// Stops every SUT (gracefully; dropping the context would kill them at once).
pub async fn shutdown(ctx: &Context) {
    for run in &ctx.suites {
        let process = run.sut.lock().await.take();
        if let Some(mut p) = process {
            p.stop().await;
        }
    }
}

pub async fn start_demo(
    suites: &[Suite],
    creds: Option<DemoCredentials>,
    endpoints: Option<DemoEndpoints>,
) -> Result<Option<DemoServer>, EngineError> {
    // A suite may reach the demo through `${demo:https_url}` without `target: demo`.
    let mentioned = |s: &Suite| {
        let Some(e) = &endpoints else { return false };
        let at = |u: &str| u.starts_with(e.url()) || u.starts_with(e.https_url());
        let target = matches!(&s.target, Target::Url(u) if at(u));
        target
            || s.probes.iter().any(|p| match p {
                Probe::Tls(t) => t.urls.iter().chain(&t.plain_http).any(|u| at(u)),
                _ => false,
            })
    };
    if !suites
        .iter()
        .any(|s| s.target == Target::Demo || mentioned(s))
    {
        return Ok(None);
    }
    let creds = creds.ok_or(EngineError::NoDemoCredentials)?;
    let started = match endpoints {
        Some(e) => DemoServer::start_with(creds, e).await,
        None => DemoServer::start(creds, None).await,
    };
    started.map(Some).map_err(EngineError::Demo)
}
