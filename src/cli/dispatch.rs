//! Parses the command line and hands it to the subcommand. A command line clap refuses is
//! exit 2, and, when it is an `authspec run` whose report paths (`--junit`, `--json`,
//! `--sarif`, `--html`) parsed, the reports say why nothing ran.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use super::args::{Cli, Command, ReportArgs, SuiteArgs};
use super::output::Out;
use super::report::{RunReport, command_line};
use super::{demo, merge, run, scaffold, schema, steps, upstream_ca, validate};
use crate::exit_codes;
use crate::redact::Redactor;
use clap::{CommandFactory, Parser};

/// Parses the process arguments, runs the subcommand, returns the exit code.
pub fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return refused(&e),
    };
    match cli.command {
        Command::Run(a) => run::run(*a),
        Command::Merge(a) => merge::merge(a),
        Command::Validate(a) => validate::validate(a),
        Command::Demo(a) => demo::demo(a),
        Command::Steps => steps::steps(),
        Command::UpstreamCa(a) => upstream_ca::upstream_ca(a),
        Command::Schema(a) => schema::schema(a),
        Command::Completions(a) => schema::completions(a),
        Command::Scaffold(a) => scaffold::scaffold(a),
    }
}

/// `--help` and `--version` as clap prints them; a real error redacted on stderr (no
/// secret of a run is known yet, but a credential in a well-known format may have been
/// typed), and into the report when there is one to write.
fn refused(e: &clap::Error) -> u8 {
    if !e.use_stderr() {
        let _ = e.print();
        return exit_codes::SUCCESS;
    }
    let out = Out::new(Arc::new(Redactor::new()));
    let text = e.render().to_string();
    // Colored as clap colors it, on a terminal without `NO_COLOR`; plain in the report.
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let shown = if color {
        e.render().ansi().to_string()
    } else {
        text.clone()
    };
    out.line(shown.trim_end());
    let Some((reports, suites)) = salvaged_run_args() else {
        return exit_codes::INVALID_INPUT;
    };
    let Ok(report) = RunReport::open(&reports, &suites, &[], &out) else {
        return exit_codes::INVALID_INPUT;
    };
    let first = text.lines().next().unwrap_or_default();
    let mut problem = command_line("arguments", first.trim_start_matches("error: ").into());
    problem.detail = text.trim_end().to_string();
    report.invalid(&[problem])
}

/// The report paths, the suite paths and `--config` of an `authspec run` command line
/// that clap refused for another reason, read leniently: every other option takes any
/// text (`--jobs 0` no longer fails), and clap skips what it cannot parse (`--bogus`).
fn salvaged_run_args() -> Option<(ReportArgs, SuiteArgs)> {
    const KEPT: [&str; 7] = [
        "junit",
        "json",
        "sarif",
        "html",
        "gitlab_sast",
        "paths",
        "config",
    ];
    let lenient = Cli::command()
        .ignore_errors(true)
        .mut_subcommand("run", |run| {
            run.mut_args(|a| {
                if KEPT.contains(&a.get_id().as_str()) || !a.get_action().takes_values() {
                    a
                } else {
                    a.value_parser(clap::builder::NonEmptyStringValueParser::new())
                }
            })
        });
    let matches = lenient.try_get_matches().ok()?;
    let run = matches.subcommand_matches("run")?;
    let path = |id: &str| run.try_get_one::<PathBuf>(id).ok().flatten().cloned();
    let reports = ReportArgs {
        junit: path("junit"),
        junit_locations: run
            .try_get_one::<bool>("junit_locations")
            .ok()
            .flatten()
            .copied()
            .unwrap_or_default(),
        json: path("json"),
        sarif: path("sarif"),
        html: path("html"),
        gitlab_sast: path("gitlab_sast"),
    };
    if reports.requested().is_empty() {
        return None;
    }
    let paths = run
        .try_get_many::<PathBuf>("paths")
        .ok()
        .flatten()
        .map(|p| p.cloned().collect())
        .unwrap_or_default();
    let config = run.try_get_one::<PathBuf>("config").ok().flatten().cloned();
    Some((
        reports,
        SuiteArgs {
            paths,
            config,
            env_file: None,
        },
    ))
}
