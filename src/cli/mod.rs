//! The command line: arguments as typed (`args`), one module per subcommand, and the
//! rendering of load errors.

mod args;
mod demo;
mod diagnostics;
mod load;
mod run;
mod steps;
mod upstream_ca;
mod validate;

use clap::Parser;

pub use args::{Cli, Command};

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
