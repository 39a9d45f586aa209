//! `authspec run`: load, plan, execute, report; the exit code says how it went.
#![allow(clippy::print_stderr)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::args::RunArgs;
use crate::demo::{DemoCredentials, DemoEndpoints};
use crate::engine::{self, RunOptions};
use crate::exit_codes;
use crate::load::LoadContext;
use crate::plan::{Selection, TagExpr, plan};
use crate::redact::Redactor;
use crate::report::console::Console;
use crate::report::junit::PendingReport;
use crate::results::Summary;

pub fn run(args: RunArgs) -> u8 {
    let redactor = Arc::new(Redactor::new());
    let demo = DemoCredentials::random();
    let (ctx, endpoints) = match load_context(&args, &demo) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let tags = match args.tags.as_deref().map(TagExpr::parse).transpose() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return exit_codes::INVALID_INPUT;
        }
    };
    let Some(suites) = super::load::suites(&args.suites, &ctx, &redactor) else {
        return exit_codes::INVALID_INPUT;
    };
    let selection = Selection {
        filter: args.filter.as_deref(),
        tags: tags.as_ref(),
    };
    let checks = plan(&suites, &selection);
    let reported = checks.iter().filter(|c| !c.support).count();
    if reported == 0 {
        nothing_selected(&args);
        return exit_codes::INVALID_INPUT;
    }
    // Check the report path first (a bad one is a command-line error, found before any
    // request), writing to a temporary file that replaces the report only when complete.
    let junit = match args.junit.as_deref().map(PendingReport::create).transpose() {
        Ok(j) => j,
        Err((path, e)) => {
            eprintln!(
                "error: cannot write the JUnit report {}: {e}",
                path.display()
            );
            return exit_codes::INVALID_INPUT;
        }
    };
    let Some(upstream_ca) = upstream_ca(&args) else {
        return exit_codes::INVALID_INPUT;
    };
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let options = RunOptions {
        jobs: args.jobs.map(usize::from).unwrap_or(4 * cpus),
        timeout: Duration::from_secs(args.timeout),
        max_body: args.max_body,
        demo: Some(demo),
        demo_endpoints: endpoints,
        seed: args.seed,
        upstream_ca,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit_codes::CHECKS_FAILED;
        }
    };
    let started = Instant::now();
    let mut console = Console::new(reported);
    let outcome = runtime.block_on(async {
        tokio::select! {
            r = engine::run(suites, &checks, options, redactor.clone(), |r| console.on_result(r)) => Some(r),
            _ = stopped() => None,
        }
    });
    let results = match outcome {
        Some(Ok(results)) => results,
        Some(Err(e)) => {
            eprintln!("error: {}", redactor.redact(&e.to_string()));
            return exit_codes::CHECKS_FAILED;
        }
        None => {
            // Dropping the run killed any SUT it started (kill_on_drop, process group).
            eprintln!("interrupted: the run did not finish, no report was written");
            return exit_codes::CHECKS_FAILED;
        }
    };
    console.summary(&results, started.elapsed());
    if let Some(report) = junit
        && let Err(e) = report.finish(&results)
    {
        eprintln!("error: {e}");
        return exit_codes::CHECKS_FAILED;
    }
    Summary::of(&results).exit_code()
}

/// The references suites may use: the demo's credentials, and its endpoints when a
/// suite mentions them (`${demo:url}` and its kin resolve while loading, so the ports
/// are bound first, but only for a run that needs them).
fn load_context(
    args: &RunArgs,
    demo: &DemoCredentials,
) -> Result<(LoadContext, Option<DemoEndpoints>), u8> {
    let endpoints = match super::load::mentions_demo(&args.suites).then(DemoEndpoints::bind) {
        None => None,
        Some(Ok(e)) => Some(e),
        Some(Err(e)) => {
            eprintln!("error: cannot prepare the demo target: {e}");
            return Err(exit_codes::CHECKS_FAILED);
        }
    };
    let mut references = demo.references();
    if let Some(e) = &endpoints {
        references.extend(e.references());
    }
    Ok((LoadContext::process(references), endpoints))
}

/// `--filter` and `--tags` left nothing to run: say which.
fn nothing_selected(args: &RunArgs) {
    let asked: Vec<String> = [("--filter", &args.filter), ("--tags", &args.tags)]
        .iter()
        .filter_map(|(flag, v)| v.as_ref().map(|v| format!("{flag} {v:?}")))
        .collect();
    eprintln!(
        "error: no check matches {}; nothing was run",
        asked.join(" and ")
    );
}

/// Where stub upstreams get their certificates; `None` after printing why not.
fn upstream_ca(args: &RunArgs) -> Option<engine::CaChoice> {
    match &args.upstream_ca {
        None => Some(engine::CaChoice::Fresh),
        Some(dir) => match super::upstream_ca::load(dir) {
            Ok((ca, file)) => Some(engine::CaChoice::Stored(Box::new(ca), file)),
            Err(e) => {
                eprintln!("error: {e}");
                None
            }
        },
    }
}

/// Ctrl-C, SIGTERM (a CI cancel, `timeout`, `docker stop`) or SIGHUP: stop the run. A SUT
/// runs in its own process group, so these never reach it: authspec must stop it.
async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    let term = signal(SignalKind::terminate());
    let hup = signal(SignalKind::hangup());
    match (term, hup) {
        (Ok(mut term), Ok(mut hup)) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
