//! Load: reads suite files (YAML suites, Gherkin features) and their shared config,
//! reports every problem with file:line:column, and lowers them into the model. One
//! submodule per syntax; shared pieces (sources, references, diagnostics) beside them.

mod config;
mod diagnostic;
mod files;
mod gherkin;
mod mask;
mod reference;
pub(crate) mod request_line;
mod source;
pub(crate) mod suggest;
mod yaml;

pub use config::{CONFIG_NAMES, Config};
pub use diagnostic::{LoadError, SuiteDiagnostic};
pub use files::collect_suite_files;
pub use gherkin::steps::{CATALOGUE as STEP_CATALOGUE, Takes as StepTakes};
pub use reference::{Env, LoadContext};
pub use source::SourceFile;

use std::path::PathBuf;

use crate::model::Suite;
use crate::redact::Redactor;

/// Where suites come from and what they resolve against.
pub struct LoadOptions<'a> {
    pub ctx: &'a LoadContext,
    pub redactor: &'a Redactor,
    /// `--config FILE`: one config for every suite, instead of the nearest `authspec.yaml`.
    pub config: Option<PathBuf>,
}

/// Every suite found under `paths`, or every diagnostic of every file.
pub fn load_paths(paths: &[PathBuf], options: &LoadOptions<'_>) -> Result<Vec<Suite>, LoadError> {
    let files = collect_suite_files(paths)?;
    let mut configs = config::Configs::new(options.config.clone(), options.ctx, options.redactor);
    let mut suites = Vec::new();
    let mut diagnostics = Vec::new();
    for path in files {
        let config = configs.for_suite(&path, &mut diagnostics)?;
        let source = SourceFile::read(&path)?;
        let is_feature = path.extension().is_some_and(|e| e == "feature");
        let loaded = if is_feature {
            gherkin::load(&source, options.ctx, options.redactor, config.as_deref())
        } else {
            yaml::load(&source, options.ctx, options.redactor, config.as_deref())
        };
        match loaded {
            Ok(suite) => suites.push(suite),
            Err(mut errs) => diagnostics.append(&mut errs),
        }
    }
    if diagnostics.is_empty() {
        Ok(suites)
    } else {
        Err(LoadError::Invalid(diagnostics))
    }
}
