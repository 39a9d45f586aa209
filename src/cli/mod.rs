//! The command line: arguments as typed (`args`), one module per subcommand, the rendering
//! of load errors, redacted output, the run's inputs, its report and its signals.

mod args;
mod demo;
mod diagnostics;
mod dispatch;
mod inputs;
mod interrupt;
mod load;
mod merge;
mod output;
mod report;
mod run;
mod scaffold;
mod schema;
mod steps;
mod upstream_ca;
mod validate;

pub use args::{Cli, Command};
pub use dispatch::main;
