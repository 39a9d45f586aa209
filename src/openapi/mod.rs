//! OpenAPI documents: reading them (3.0 and 3.1, YAML or JSON, with `oas3`), and what
//! the harness derives from one: who each operation admits, a request for it, the
//! coverage of its operations after a run, and a starter suite.

mod coverage;
mod document;
mod fetch;
mod instance;
mod request;
mod scaffold;
mod security;

pub use coverage::{Coverage, OperationCoverage, coverage, matches_template};
pub use document::{Document, parse};
pub use fetch::fetch;
pub use request::build;
pub use scaffold::scaffold;
pub use security::{Holds, Need, need};
