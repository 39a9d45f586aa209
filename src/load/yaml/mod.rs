//! The YAML front end: `raw` mirrors the file with positions, `lower` validates it into
//! the model, collecting every problem of the file.

mod lower;
mod lower_request;
mod raw;
mod serde_error;

use super::{LoadContext, SourceFile, SuiteDiagnostic};
use crate::model::Suite;
use crate::redact::Redactor;

pub fn load(
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
) -> Result<Suite, Vec<SuiteDiagnostic>> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    let raw: raw::RawSuite = serde_saphyr::from_str_with_options(&source.text, options)
        .map_err(|e| vec![serde_error::diagnose(&e, source)])?;
    lower::lower(raw, source, ctx, redactor)
}
