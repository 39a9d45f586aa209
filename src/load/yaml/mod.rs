//! The YAML front end: parses suites and `authspec.yaml` into the raw structs, with
//! positions and a diagnosis of every parse error.

mod de;
mod flow_refs;
mod parse;
mod serde_error;

pub use parse::{load, load_config, parse};
