//! The YAML front end: `raw` mirrors the file with positions, the `lower*` modules
//! validate it into the model, collecting every problem of the file.

pub(crate) mod flow_refs;
mod lower;
mod lower_oauth;
mod lower_probes;
mod lower_request;
mod lower_roles;
mod lower_tls;
mod lowerer;
mod raw;
mod raw_probes;
mod serde_error;

use serde::de::DeserializeOwned;

use super::config::Config;
use super::{LoadContext, SourceFile, SuiteDiagnostic};
use crate::model::Suite;
use crate::redact::Redactor;

fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Vec<SuiteDiagnostic>> {
    let options = serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
    };
    serde_saphyr::from_str_with_options(&flow_refs::protect(&source.text), options)
        .map_err(|e| vec![serde_error::diagnose(&e, source)])
}

pub fn load(
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
    config: Option<&Config>,
) -> Result<Suite, Vec<SuiteDiagnostic>> {
    lower::lower(parse(source)?, source, ctx, redactor, config)
}

pub fn load_config(
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
) -> Result<Config, Vec<SuiteDiagnostic>> {
    lower::lower_config(parse(source)?, source, ctx, redactor)
}
