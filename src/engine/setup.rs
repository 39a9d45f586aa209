//! Prepares a run before any check: the demo target when a suite uses it, and for each
//! suite its base URL, its own TLS client when it needs one, and its stub upstreams and
//! SUT. A suite whose upstreams or SUT cannot start is marked unavailable: its checks
//! become errors carrying the reason, and the other suites run.

use std::path::PathBuf;
use std::time::Duration;

use super::context::{Context, SuiteRun};
use super::executor::EngineError;
use super::http::HttpClient;
use super::upstreams::sut::{SutProcess, free_port};
use super::upstreams::{UpstreamCa, Upstreams};
use crate::demo::{DemoCredentials, DemoEndpoints, DemoServer};
use crate::model::template::{Vars, render};
use crate::model::{Probe, Suite, Target};
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
        let http = if suite.tls.verify {
            None
        } else {
            Some(HttpClient::new(setup.timeout, setup.jobs, &suite.tls)?)
        };
        let mut run = SuiteRun::new(suite, template.clone(), http);
        if !run.suite.upstreams.is_empty() && setup.used.get(si) == Some(&true) && ca.is_none() {
            ca = Some(match choice.take() {
                Some(CaChoice::Stored(c, file)) => UpstreamCa::stored(*c, file),
                _ => UpstreamCa::fresh().map_err(EngineError::Upstream)?,
            });
        }
        let wanted = (!run.suite.upstreams.is_empty() || run.suite.sut.is_some())
            && setup.used.get(si).copied().unwrap_or(true);
        if wanted && let Err(e) = environment(&mut run, &template, ca.as_ref(), setup.http).await {
            run.unavailable = Some(e);
        }
        out.push(run);
    }
    Ok((out, ca))
}

/// Starts `run`'s upstreams and SUT, and renders its base URL.
async fn environment(
    run: &mut SuiteRun,
    template: &str,
    ca: Option<&UpstreamCa>,
    http: &HttpClient,
) -> Result<(), HarnessError> {
    let mut vars = Vars::new();
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
    run.base_url = render(template, &vars)
        .map_err(HarnessError::request)?
        .trim_end_matches('/')
        .to_string();
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
