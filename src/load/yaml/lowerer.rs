//! The lowering context of one YAML file: where diagnostics go, what references resolve
//! against, and which role names are known.

use super::super::suggest::unknown_role_help;
use super::super::{LoadContext, SourceFile, SuiteDiagnostic};
use super::raw::S;
use crate::model::{Location, RoleId};
use crate::redact::Redactor;

pub(super) struct Lowerer<'a> {
    pub source: SourceFile,
    pub ctx: &'a LoadContext,
    pub redactor: &'a Redactor,
    pub errors: Vec<SuiteDiagnostic>,
    pub role_names: Vec<String>,
    pub server_names: Vec<String>,
    pub upstream_names: Vec<String>,
    /// Whether the suite has `sut:` (so `{{sut.url}}` means something).
    pub has_sut: bool,
}

impl<'a> Lowerer<'a> {
    pub fn new(source: &SourceFile, ctx: &'a LoadContext, redactor: &'a Redactor) -> Self {
        Self {
            source: source.clone(),
            ctx,
            redactor,
            errors: Vec::new(),
            role_names: Vec::new(),
            server_names: Vec::new(),
            upstream_names: Vec::new(),
            has_sut: false,
        }
    }

    pub fn error(
        &mut self,
        loc: &serde_saphyr::Location,
        message: impl Into<String>,
    ) -> &mut SuiteDiagnostic {
        self.errors
            .push(SuiteDiagnostic::at(&self.source, loc, message));
        let last = self.errors.len() - 1;
        &mut self.errors[last]
    }

    pub fn location(&self, loc: &serde_saphyr::Location) -> Location {
        self.source.location(loc.line(), loc.column())
    }

    pub fn role_id(&mut self, name: &S<String>) -> Option<RoleId> {
        if let Some(i) = self.role_names.iter().position(|r| *r == name.value) {
            return Some(RoleId(i));
        }
        let help = unknown_role_help(&name.value, &self.role_names);
        self.error(&name.referenced, format!("unknown role `{}`", name.value))
            .label("not defined under `roles:`")
            .help(help);
        None
    }
}
