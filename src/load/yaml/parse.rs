//! Reads a YAML suite or `authspec.yaml` into raw structs (duplicate keys refused, a parse
//! error diagnosed at its position), then hands them to the one lowering.

use serde::de::DeserializeOwned;

use super::{flow_refs, serde_error};
use crate::load::config::Config;
use crate::load::{LoadContext, SourceFile, SuiteDiagnostic, lower};
use crate::model::Suite;
use crate::redact::Redactor;

/// Any YAML file of the project (suites, `authspec.yaml`, waivers), with its diagnostics.
pub fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Vec<SuiteDiagnostic>> {
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
    lower::suite(parse(source)?, source, ctx, redactor, config)
}

pub fn load_config(
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
) -> Result<Config, Vec<SuiteDiagnostic>> {
    lower::config(parse(source)?, source, ctx, redactor)
}
