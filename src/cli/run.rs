//! `authspec run`: load, plan, execute, report; the exit code says how it went.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::args::RunArgs;
use super::diagnostics::{load_problems, print_load_error};
use super::interrupt::{Signals, Stop};
use super::output::Out;
use super::report::{INTERRUPTED, RunReport, command_line, harness};
use crate::demo::{DemoCredentials, DemoEndpoints};
use crate::engine::{self, Planned, RunOptions};
use crate::exit_codes;
use crate::load::LoadContext;
use crate::model::Suite;
use crate::plan::{Check, Selection, TagExpr, plan};
use crate::redact::Redactor;
use crate::report::console::Console;
use crate::report::document::{RunInfo, ShardEntry, SuiteEntry};
use crate::report::{CaseIndex, RunProblem};
use crate::results::CheckResult;
use crate::waivers::{Applied, Waivers};

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
        return report.write(&[], exit_codes::SUCCESS);
    }
    let reported = checks.iter().filter(|c| !c.support).count();
    report.set_cases(CaseIndex::of(&suites, &checks, whole.as_deref()));
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
    // One thread when there is nothing to run beside the checks: one check at a time,
    // or one CPU to run on (`taskset`, a container's quota). A second thread then only
    // hands each response over from a connection task, at two context switches a request
    // (measured against a local nginx on one pinned core: 28,700 context switches for
    // 10,000 checks, against 90, and a tenth more CPU time). With more CPUs, connection
    // tasks (TLS, reading) run beside the checks.
    let mut builder = if options.jobs == 1 || cpus == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => return stopped(report, &out, format!("cannot start the async runtime: {e}")),
    };
    let started = Instant::now();
    let mut console =
        Console::new(reported, out.redactor().clone()).styled(args.color.forced(), args.quiet);
    let redactor = out.redactor().clone();
    let mut applied = Applied::none(&waivers);
    let outcome = runtime.block_on(async {
        // Installed before the first request: from here a signal stops the run, it does
        // not end the process.
        let mut signals = Signals::install();
        // Each result is shown, counted and turned into its report entry as it arrives;
        // none is kept whole.
        let on_result = |planned: Option<Planned<'_>>, mut r: CheckResult| {
            applied.record(waivers.apply(&mut r, today));
            console.on_result(planned.map(|p| p.index), &r);
            report.keep(planned, &r);
        };
        tokio::select! {
            r = engine::run(suites, &checks, options, redactor, on_result) => Ok(r),
            stop = signals.wait() => Err(stop),
        }
        // Dropping the run here kills any SUT process group it started (`SutProcess`).
    });
    let summary = console.counts();
    match outcome {
        Ok(Ok(coverage)) => {
            console.coverage(&coverage);
            report.set_coverage(coverage);
            console.summary(started.elapsed());
            for warning in waivers.unused(&applied) {
                out.line(&format!("warning: {warning}"));
            }
            report.write_kept(summary, &[], summary.exit_code())
        }
        Ok(Err(e)) => stopped(report, &out, e.to_string()),
        Err(stop) => {
            console.summary(started.elapsed());
            let problem = interrupted(stop, summary.total(), reported);
            out.line(&problem.message);
            report.write_kept(summary, &[problem], stop.exit_code())
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

/// The run could not go on (exit 3: nothing was judged): why, on stderr and in the report.
fn stopped(report: RunReport, out: &Out, message: String) -> u8 {
    out.error(&message);
    report.write(&[harness(message)], exit_codes::CHECKS_ERRORED)
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
