//! Loads every suite under the given paths: each file with the front end of its syntax
//! and the config that applies to it, every diagnostic of every file collected.

use std::path::PathBuf;

use super::{LoadContext, LoadError, SourceFile, collect_suite_files, config, gherkin, yaml};
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
