//! What the user typed (clap). Subcommands resolve these into what they need.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "authspec",
    version,
    about = "Declarative integration-security tests: roles, credentials, access matrices, JUnit reports",
    after_help = crate::exit_codes::HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run suites and report every check (exit 0 all passed, 1 a check failed, 3 no
    /// failure but a check could not run, 2 invalid suite or command line)
    #[command(after_help = crate::exit_codes::HELP)]
    Run(Box<RunArgs>),
    /// Combine the `--json` reports of a run's shards (`run --shard I/N`) into the reports
    /// of the whole run; exits as that run would (0, 1, 3; 2 for a file that is not a
    /// shard report of one run)
    #[command(after_help = crate::exit_codes::HELP)]
    Merge(MergeArgs),
    /// Load and check suites without sending any request
    Validate(ValidateArgs),
    /// Serve the built-in demo target in the foreground
    Demo(DemoArgs),
    /// Print the Gherkin step catalogue for `.feature` files
    Steps,
    /// Write a CA for stub upstreams, for a SUT started outside authspec to trust
    UpstreamCa(UpstreamCaArgs),
    /// Print a JSON Schema: `suite` (suites and authspec.yaml, for editors and linters) or
    /// `results` (the `--json` report)
    Schema(SchemaArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print a starter suite for an API from its OpenAPI document
    Scaffold(ScaffoldArgs),
}

/// `authspec scaffold --openapi SPEC`.
#[derive(Args, Debug)]
pub struct ScaffoldArgs {
    /// The OpenAPI 3.0 or 3.1 document (YAML or JSON): a file, or an http(s) URL
    #[arg(long, value_name = "FILE|URL")]
    pub openapi: String,
}

/// Where suites come from.
#[derive(Args, Debug)]
pub struct SuiteArgs {
    /// Suite files (*.yaml, *.feature) or directories [default: scenarios/ and features/]
    pub paths: Vec<PathBuf>,
    /// Target and roles for every suite, instead of the nearest authspec.yaml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Variables for `${env:NAME}` in dotenv format; the environment's own win
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub suites: SuiteArgs,
    #[command(flatten)]
    pub reports: ReportArgs,
    /// Checks in flight at once [default: 4 per CPU]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Only run checks whose name contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only run checks whose tags match, as Cucumber spells it: "@smoke and not @slow"
    #[arg(long, value_name = "EXPR")]
    pub tags: Option<String>,
    /// Accept known findings until a date: a YAML file of waivers (rule or check pattern,
    /// reason, owner, expires); a waived finding is reported as skipped
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Run only shard I of N (`2/3`): checks split by their stable id, for parallel CI runners
    #[arg(long, value_name = "I/N")]
    pub shard: Option<crate::plan::Shard>,
    /// Seed for property-based probes (`fuzz:`); replays a reported run
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Seconds to wait for each response
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Read and judge response bodies up to SIZE (bytes, or `KiB`/`MiB`/`GiB`); a check
    /// that needs a longer body whole is an error
    #[arg(long, value_name = "SIZE", default_value = "16MiB")]
    pub max_body: crate::results::BodyLimit,
    /// Sign stub upstreams' certificates with the CA in DIR (from `authspec upstream-ca`)
    #[arg(long, value_name = "DIR")]
    pub upstream_ca: Option<PathBuf>,
    /// A skipped case is an error (exit 3), as `fail_on_skip: true` makes a suite's
    #[arg(long)]
    pub fail_on_skip: bool,
    /// Color the console: `auto` when stdout is a terminal and NO_COLOR is unset
    #[arg(long, value_name = "WHEN", value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// No line per check: only failures, errors, warnings and the counts
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// `None` for auto.
    pub fn forced(self) -> Option<bool> {
        match self {
            ColorWhen::Auto => None,
            ColorWhen::Always => Some(true),
            ColorWhen::Never => Some(false),
        }
    }
}

/// `authspec completions SHELL`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The report files a run writes, each from the same results, whatever the exit code.
#[derive(Args, Debug, Default, Clone)]
pub struct ReportArgs {
    /// Write a JUnit XML report here
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Add `file` and `line` to each JUnit test case, as GitLab and pytest read them
    /// (junit-10.xsd, which Jenkins' xUnit validates against, allows neither)
    #[arg(long, requires = "junit")]
    pub junit_locations: bool,
    /// Write every result with its typed fields as JSON here (schema: `authspec schema
    /// results`)
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write a SARIF 2.1.0 report here, for code scanning
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Write a self-contained HTML report here
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Write GitLab's security report (SAST format) here, for `artifacts: reports: sast`
    #[arg(long, value_name = "FILE")]
    pub gitlab_sast: Option<PathBuf>,
}

impl ReportArgs {
    /// The reports asked for, in a fixed order.
    pub fn requested(&self) -> Vec<(crate::report::Format, &std::path::Path)> {
        use crate::report::Format;
        [
            (
                Format::Junit {
                    locations: self.junit_locations,
                },
                &self.junit,
            ),
            (Format::Json, &self.json),
            (Format::Sarif, &self.sarif),
            (Format::Html, &self.html),
            (Format::GitlabSast, &self.gitlab_sast),
        ]
        .into_iter()
        .filter_map(|(f, p)| p.as_deref().map(|p| (f, p)))
        .collect()
    }
}

/// `authspec merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    #[command(flatten)]
    pub reports: ReportArgs,
    /// The shards' `--json` reports, every shard of the run once
    #[arg(required = true, value_name = "SHARD.json")]
    pub files: Vec<std::path::PathBuf>,
}

/// `authspec schema WHAT`.
#[derive(Args, Debug)]
pub struct SchemaArgs {
    #[arg(value_enum)]
    pub what: SchemaKind,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// Suites (*.yaml) and authspec.yaml
    Suite,
    /// The `--json` report
    Results,
}

#[derive(Args, Debug)]
pub struct UpstreamCaArgs {
    /// Directory to write ca.pem and ca-key.pem into
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Days the CA is valid
    #[arg(long, value_name = "N", default_value_t = 365, value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub days: u16,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub suites: SuiteArgs,
    /// Also demand every `${env:…}` a suite references (by default an unset one stands in
    /// with a placeholder, so suites lint without secrets)
    #[arg(long)]
    pub require_env: bool,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}
