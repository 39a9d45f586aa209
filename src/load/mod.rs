//! Load: reads suite files (YAML suites, Gherkin features) and their shared config,
//! reports every problem with file:line:column, and lowers them into the model. Each
//! syntax parses into the syntax-neutral `raw` structs; one `lower` builds the model.

mod config;
mod diagnostic;
mod env_file;
mod files;
mod gherkin;
mod lower;
mod mask;
mod raw;
mod reference;
mod reference_syntax;
pub(crate) mod request_line;
mod secret_command;
mod source;
pub(crate) mod suggest;
mod suites;
mod yaml;

pub use config::{CONFIG_NAMES, Config};
pub use diagnostic::{LoadError, SuiteDiagnostic};
pub use env_file::WithEnvFile;
pub use files::collect_suite_files;
pub use gherkin::steps::{CATALOGUE as STEP_CATALOGUE, Takes as StepTakes};
pub use raw::suite_schema;
pub use reference::{Env, LoadContext, UNSET_ENV};
pub use source::SourceFile;
pub use suites::{LoadOptions, load_paths};
pub use yaml::parse as parse_yaml;
