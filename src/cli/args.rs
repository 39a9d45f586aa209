//! What the user typed (clap). Subcommands resolve these into what they need.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "authspec",
    version,
    about = "Declarative integration-security tests: roles, credentials, access matrices, JUnit reports"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run suites and report every check (exit 0 all passed, 1 a check failed or errored,
    /// 2 invalid suite or command line)
    Run(RunArgs),
    /// Load and check suites without sending any request
    Validate(ValidateArgs),
    /// Serve the built-in demo target in the foreground
    Demo(DemoArgs),
    /// Print the Gherkin step catalogue for `.feature` files
    Steps,
    /// Write a CA for stub upstreams, for a SUT started outside authspec to trust
    UpstreamCa(UpstreamCaArgs),
}

/// Where suites come from.
#[derive(Args, Debug)]
pub struct SuiteArgs {
    /// Suite files (*.yaml, *.feature) or directories [default: scenarios/ and features/]
    pub paths: Vec<PathBuf>,
    /// Target and roles for every suite, instead of the nearest authspec.yaml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    pub suites: SuiteArgs,
    /// Write a JUnit XML report here
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Checks in flight at once [default: 4 per CPU]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Only run checks whose name contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only run checks whose tags match, as Cucumber spells it: "@smoke and not @slow"
    #[arg(long, value_name = "EXPR")]
    pub tags: Option<String>,
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
    /// A skipped case is an error (exit 1), as `fail_on_skip: true` makes a suite's
    #[arg(long)]
    pub fail_on_skip: bool,
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
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}
