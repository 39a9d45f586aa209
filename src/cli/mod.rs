//! The command line: arguments as typed (`args`), one module per subcommand, and the
//! rendering of load errors.

mod args;
mod demo;
mod diagnostics;
mod dispatch;
mod load;
mod run;
mod steps;
mod upstream_ca;
mod validate;

pub use args::{Cli, Command};
pub use dispatch::main;
