//! `authspec run`: load, plan, execute, report; the exit code says how it went.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::args::RunArgs;
use super::diagnostics::{load_problems, print_load_error};
use super::interrupt::{Signals, Stop};
use super::output::Out;
use super::report::{INTERRUPTED, RunReport, command_line, harness};
use crate::demo::{DemoCredentials, DemoEndpoints};
use crate::engine::{self, RunOptions};
use crate::exit_codes;
use crate::load::LoadContext;
use crate::model::Suite;
use crate::plan::{Check, Selection, TagExpr, plan};
use crate::redact::Redactor;
use crate::report::console::Console;
use crate::report::document::{RunInfo, ShardEntry, SuiteEntry};
use crate::report::{CaseIndex, RunProblem};
use crate::results::{CheckResult, Summary};
use crate::waivers::Waivers;

pub fn run(args: RunArgs) -> u8 {
    let out = Out::new(Arc::new(Redactor::new()));
    // First of all: a bad report path is refused, and a report an earlier run left is
    // removed, so whatever stops this run from here on leaves no stale report behind.
    let ca_files: Vec<_> = args
        .upstream_ca
        .iter()
        .flat_map(|d| super::upstream_ca::files(d))
        .collect();
    let mut report = match RunReport::open(&args.reports, &args.suites, &ca_files, &out) {
        Ok(r) => r,
        Err(code) => return code,
    };
    *report.run_info() = RunInfo {
        shard: args.shard.map(|s| ShardEntry {
            index: s.index(),
            count: s.count(),
        }),
        seed: args.seed,
        filter: args.filter.clone(),
        tags: args.tags.clone(),
        suites: Vec::new(),
    };
    let waivers = match args.waivers.as_deref().map(Waivers::load).transpose() {
        Ok(w) => w.unwrap_or_default(),
        Err(e) => {
            print_load_error(&e, &out);
            return report.invalid(&load_problems(&e));
        }
    };
    let today = time::OffsetDateTime::now_utc().date();
    let demo = DemoCredentials::random();
    let (ctx, endpoints) = match load_context(&args, &demo) {
        Ok(c) => c,
        Err(Refused::EnvFile(e)) => {
            out.error(&e);
            return report.invalid(&[command_line("--env-file", e)]);
        }
        Err(Refused::Other(message)) => return stopped(report, &out, message),
    };
    let (suites, checks, whole) = match prepare(&args, &ctx, &out) {
        Ok(p) => p,
        Err(problems) => return report.invalid(&problems),
    };
    report.run_info().suites = suites
        .iter()
        .map(|s| SuiteEntry {
            name: s.name.as_str().into(),
            file: s.file.to_string(),
        })
        .collect();
    if checks.is_empty() {
        // Only a shard can be empty (an empty selection is refused): its runner passes.
        let shard = args.shard.map(|s| s.to_string()).unwrap_or_default();
        out.line(&format!(
            "shard {shard} holds none of the selected checks; nothing to run"
        ));
        return report.write(&[], &[], exit_codes::SUCCESS);
    }
    let reported = checks.iter().filter(|c| !c.support).count();
    report.set_cases(CaseIndex::of(
        &suites,
        &checks,
        whole.as_deref().unwrap_or(&checks),
    ));
    drop(whole);
    let upstream_ca = match upstream_ca(&args) {
        Ok(ca) => ca,
        Err(e) => {
            out.error(&e);
            return report.invalid(&[command_line("--upstream-ca", e)]);
        }
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
        fail_on_skip: args.fail_on_skip,
        sharded: args.shard.is_some_and(|s| s.count() > 1),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return stopped(report, &out, format!("cannot start the async runtime: {e}")),
    };
    let started = Instant::now();
    let mut console =
        Console::new(reported, out.redactor().clone()).styled(args.color.forced(), args.quiet);
    let mut finished: Vec<CheckResult> = Vec::new();
    let redactor = out.redactor().clone();
    // The engine takes the suites; coverage is worked out afterwards on those with an
    // OpenAPI document (the others are not copied: at 100,000 cells a copy costs).
    let planned: Vec<Suite> = if suites.iter().any(|s| s.openapi.is_some()) {
        suites.clone()
    } else {
        Vec::new()
    };
    let outcome = runtime.block_on(async {
        // Installed before the first request: from here a signal stops the run, it does
        // not end the process.
        let mut signals = Signals::install();
        let on_result = |r: &CheckResult| {
            let mut r = r.clone();
            waivers.apply(&mut r, today);
            console.on_result(&r);
            finished.push(r);
        };
        tokio::select! {
            r = engine::run(suites, &checks, options, redactor, on_result) => Ok(r),
            stop = signals.wait() => Err(stop),
        }
        // Dropping the run here kills any SUT process group it started (`SutProcess`).
    });
    match outcome {
        Ok(Ok(mut results)) => {
            // Before waivers, as the engine judged `openapi coverage`: a waived finding
            // was judged, so its check covers what it sent.
            let coverage = coverage(&planned, &checks, &results);
            let applied = waivers.apply_all(&mut results, today);
            console.coverage(&coverage);
            report.set_coverage(coverage);
            console.summary(&results, started.elapsed());
            for warning in waivers.unused(&applied) {
                out.line(&format!("warning: {warning}"));
            }
            let code = Summary::of(&results).exit_code();
            report.write(&results, &[], code)
        }
        Ok(Err(e)) => stopped(report, &out, e.to_string()),
        Err(stop) => {
            let finished = in_plan_order(finished, &checks);
            console.summary(&finished, started.elapsed());
            let problem = interrupted(stop, finished.len(), reported);
            out.line(&problem.message);
            report.write(&finished, &[problem], stop.exit_code())
        }
    }
}

/// The suites, the checks they plan into and, in a shard, the plan of the whole run
/// (without `--shard`).
type Prepared = (Vec<Suite>, Vec<Check>, Option<Vec<Check>>);

/// The suites, the checks they plan into and the plan of the whole run (without
/// `--shard`); or every problem of the suites and of `--tags` / `--filter`, printed, for
/// the report.
fn prepare(args: &RunArgs, ctx: &LoadContext, out: &Out) -> Result<Prepared, Vec<RunProblem>> {
    let tags = args.tags.as_deref().map(TagExpr::parse).transpose();
    // Loaded even after a bad `--tags`: the report then lists every problem, and the
    // message about `--tags` is redacted with the secrets the suites resolve.
    let suites = super::load::suites(&args.suites, ctx, out);
    let mut problems = Vec::new();
    let tags = match tags {
        Ok(t) => t,
        Err(e) => {
            out.error(&e);
            problems.push(command_line("--tags", e.to_string()));
            None
        }
    };
    let suites = match suites {
        Ok(s) if problems.is_empty() => s,
        Ok(_) => return Err(problems),
        Err(mut p) => {
            problems.append(&mut p);
            return Err(problems);
        }
    };
    let mut selection = Selection {
        filter: args.filter.as_deref(),
        tags: tags.as_ref(),
        shard: args.shard,
    };
    let checks = plan(&suites, &selection);
    selection.shard = None;
    // The whole plan differs only in a shard; otherwise it is `checks` (no copy).
    let whole = args.shard.map(|_| plan(&suites, &selection));
    if checks.iter().all(|c| c.support)
        && whole.as_ref().is_some_and(|w| w.iter().any(|c| !c.support))
    {
        return Ok((suites, Vec::new(), whole));
    }
    if checks.iter().all(|c| c.support) {
        let message = nothing_selected(args);
        out.error(&message);
        return Err(vec![command_line("nothing selected", message)]);
    }
    Ok((suites, checks, whole))
}

/// The coverage of every suite's OpenAPI document, from the results by check id.
fn coverage(
    suites: &[Suite],
    checks: &[Check],
    results: &[CheckResult],
) -> Vec<crate::openapi::Coverage> {
    let by_id: HashMap<&str, &CheckResult> = results.iter().map(|r| (r.id.as_str(), r)).collect();
    suites
        .iter()
        .enumerate()
        .filter_map(|(si, suite)| {
            crate::openapi::coverage(si, suite, checks, |i| {
                by_id.get(checks[i].id.as_str()).map(|r| &r.outcome)
            })
        })
        .collect()
}

/// The run could not go on (exit 3: nothing was judged): why, on stderr and in the report.
fn stopped(report: RunReport, out: &Out, message: String) -> u8 {
    out.error(&message);
    report.write(&[], &[harness(message)], exit_codes::CHECKS_ERRORED)
}

/// Results arrive as checks finish; the report lists them as a complete run would.
fn in_plan_order(mut results: Vec<CheckResult>, checks: &[Check]) -> Vec<CheckResult> {
    let order: HashMap<&str, usize> = checks
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    results.sort_by_key(|r| order.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
    results
}

/// The one `<error>` case of an interrupted run.
fn interrupted(stop: Stop, finished: usize, total: usize) -> RunProblem {
    RunProblem {
        name: "interrupted".into(),
        kind: INTERRUPTED,
        message: format!(
            "interrupted by {}: {finished} of {total} checks finished, the rest did not run",
            stop.name()
        ),
        detail: String::new(),
    }
}

/// The references suites may use: the demo's credentials, and its endpoints when a
/// suite mentions them (`${demo:url}` and its kin resolve while loading, so the ports
/// are bound first, but only for a run that needs them).
fn load_context(
    args: &RunArgs,
    demo: &DemoCredentials,
) -> Result<(LoadContext, Option<DemoEndpoints>), Refused> {
    let endpoints = match super::load::mentions_demo(&args.suites).then(DemoEndpoints::bind) {
        None => None,
        Some(Ok(e)) => Some(e),
        Some(Err(e)) => {
            return Err(Refused::Other(format!(
                "cannot prepare the demo target: {e}"
            )));
        }
    };
    let mut references = demo.references();
    if let Some(e) = &endpoints {
        references.extend(e.references());
    }
    let ctx = LoadContext::process_with(references, args.suites.env_file.as_deref())
        .map_err(Refused::EnvFile)?;
    Ok((ctx, endpoints))
}

/// Why the references cannot be prepared: a bad `--env-file` is the command line's
/// fault (exit 2); the demo not binding is the run's.
enum Refused {
    EnvFile(String),
    Other(String),
}

/// `--filter` and `--tags` left nothing to run: say which.
fn nothing_selected(args: &RunArgs) -> String {
    let asked: Vec<String> = [("--filter", &args.filter), ("--tags", &args.tags)]
        .iter()
        .filter_map(|(flag, v)| v.as_ref().map(|v| format!("{flag} {v:?}")))
        .collect();
    format!("no check matches {}; nothing was run", asked.join(" and "))
}

/// Where stub upstreams get their certificates, or why not.
fn upstream_ca(args: &RunArgs) -> Result<engine::CaChoice, String> {
    match &args.upstream_ca {
        None => Ok(engine::CaChoice::Fresh),
        Some(dir) => {
            let (ca, file) = super::upstream_ca::load(dir)?;
            Ok(engine::CaChoice::Stored(Box::new(ca), file))
        }
    }
}
