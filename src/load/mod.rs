//! Load: reads suite files, reports every problem with file:line:column, and lowers them
//! into the model. One submodule per syntax; shared pieces (sources, references,
//! diagnostics) beside them.

mod diagnostic;
mod files;
mod reference;
mod source;
mod suggest;
mod yaml;

pub use diagnostic::{LoadError, SuiteDiagnostic};
pub use files::collect_suite_files;
pub use reference::{Env, LoadContext};
pub use source::SourceFile;

use std::path::PathBuf;

use crate::model::Suite;
use crate::redact::Redactor;

/// Every suite found under `paths`, or every diagnostic of every file.
pub fn load_paths(
    paths: &[PathBuf],
    ctx: &LoadContext,
    redactor: &Redactor,
) -> Result<Vec<Suite>, LoadError> {
    let files = collect_suite_files(paths)?;
    let mut suites = Vec::new();
    let mut diagnostics = Vec::new();
    for path in files {
        let source = SourceFile::read(&path)?;
        match yaml::load(&source, ctx, redactor) {
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
