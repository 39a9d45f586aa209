//! The lowering context of one YAML file: where diagnostics go, what references resolve
//! against, and which role names are known.

use super::super::reference::parse_whole;
use super::super::suggest::unknown_role_help;
use super::super::{LoadContext, SourceFile, SuiteDiagnostic};
use super::raw::{RawRole, S, SpannedMap};
use crate::model::{Location, RoleId};
use crate::redact::Redactor;

pub(super) struct Lowerer<'a> {
    pub source: SourceFile,
    pub ctx: &'a LoadContext,
    pub redactor: &'a Redactor,
    pub errors: Vec<SuiteDiagnostic>,
    pub role_names: Vec<String>,
}

impl<'a> Lowerer<'a> {
    pub fn new(
        source: &SourceFile,
        roles: Option<&SpannedMap<RawRole>>,
        ctx: &'a LoadContext,
        redactor: &'a Redactor,
    ) -> Self {
        Self {
            source: mask_literal_credentials(source, roles),
            ctx,
            redactor,
            errors: Vec::new(),
            role_names: Vec::new(),
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

/// Diagnostics show source lines; a literal credential in them must not reach the
/// terminal or a CI log, so it is masked in the copy of the text they render.
fn mask_literal_credentials(
    source: &SourceFile,
    roles: Option<&SpannedMap<RawRole>>,
) -> SourceFile {
    let mut text = source.text.to_string();
    let mut masked = false;
    for (_, role) in roles.iter().flat_map(|r| &r.0) {
        let fields = [
            role.bearer.as_ref(),
            role.api_key.as_ref().map(|k| &k.value),
        ];
        for field in fields.into_iter().flatten() {
            if parse_whole(&field.value).is_none() {
                let span = source.span(field.referenced.line(), field.referenced.column());
                let range = span.offset()..span.offset() + span.len();
                let stars: String = text[range.clone()].chars().map(|_| '*').collect();
                text.replace_range(range, &stars);
                masked = true;
            }
        }
    }
    if !masked {
        return source.clone();
    }
    SourceFile {
        text: text.into(),
        ..source.clone()
    }
}
