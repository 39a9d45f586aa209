//! The YAML front end: `raw` mirrors the file with positions, the `lower*` modules
//! validate it into the model, collecting every problem of the file.

pub(crate) mod flow_refs;
mod lower;
mod lower_oauth;
mod lower_probes;
mod lower_request;
mod lower_roles;
mod lower_sut;
mod lower_tls;
mod lower_upstream;
mod lowerer;
mod raw;
mod raw_probes;
mod raw_upstream;
mod serde_error;

use serde::de::DeserializeOwned;

use super::config::Config;
use super::{LoadContext, SourceFile, SuiteDiagnostic};
use crate::model::{Probe, Suite};
use crate::redact::Redactor;
pub(in crate::load) use raw::OneOrMany;
pub(in crate::load) use raw_probes::{
    RawHeaders, RawOAuthProbe, RawProbe, RawRateLimit, RawTlsProbe, RawTokens, RawWebhooks,
};

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

/// Where a probe or a request lowered on behalf of another front end is written: the
/// names its references resolve against, and whether the target is the demo.
pub(in crate::load) struct Scope<'a> {
    pub source: &'a SourceFile,
    pub ctx: &'a LoadContext,
    pub redactor: &'a Redactor,
    pub roles: Vec<String>,
    pub servers: Vec<String>,
    pub demo: bool,
}

impl Scope<'_> {
    fn lowerer(&self) -> lowerer::Lowerer<'_> {
        let mut cx = lowerer::Lowerer::new(self.source, self.ctx, self.redactor);
        cx.role_names = self.roles.clone();
        cx.server_names = self.servers.clone();
        cx
    }

    /// One probe, lowered exactly as a `probes:` entry (the Gherkin front end builds the
    /// raw entry from a data table), so both syntaxes give the same model and messages.
    pub fn probe(&self, index: usize, raw: &RawProbe) -> Result<Probe, Vec<SuiteDiagnostic>> {
        let mut cx = self.lowerer();
        match cx.probe(index, raw, self.demo) {
            Some(p) if cx.errors.is_empty() => Ok(p),
            _ => Err(cx.errors),
        }
    }

    /// Request headers (or query parameters) lowered as a YAML request's `headers:`
    /// (`query:`): references resolved and registered for redaction, literal credentials
    /// refused, header names and values checked.
    pub fn request_values(
        &self,
        entries: Vec<(raw::S<String>, String)>,
        header: bool,
    ) -> (Vec<(String, String)>, Vec<SuiteDiagnostic>) {
        let mut cx = self.lowerer();
        let part = if header {
            lower_request::Part::Header
        } else {
            lower_request::Part::Query
        };
        let values = cx.request_values(Some(&raw::SpannedMap(entries)), part);
        (values, cx.errors)
    }
}
