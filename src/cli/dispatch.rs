//! Parses the command line and hands it to the subcommand.

use super::args::{Cli, Command};
use super::{demo, run, steps, upstream_ca, validate};
use clap::Parser;

/// Parses the process arguments, runs the subcommand, returns the exit code.
pub fn main() -> u8 {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::validate(a),
        Command::Demo(a) => demo::demo(a),
        Command::Steps => steps::steps(),
        Command::UpstreamCa(a) => upstream_ca::upstream_ca(a),
    }
}
