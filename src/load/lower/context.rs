//! The lowering context of one file: where diagnostics go, what references resolve
//! against, and the names (roles, auth servers, upstreams) other entries may refer to.
//! Each section's lowering is a set of free functions over it.

use super::wording::FrontEnd;
use crate::load::raw::{Pos, S};
use crate::load::reference::ReferenceError;
use crate::load::suggest::unknown_role_help;
use crate::load::{LoadContext, SourceFile, SuiteDiagnostic};
use crate::model::{Location, RoleId};
use crate::redact::Redactor;

pub struct Cx<'a> {
    pub source: SourceFile,
    pub ctx: &'a LoadContext,
    pub redactor: &'a Redactor,
    pub errors: Vec<SuiteDiagnostic>,
    pub role_names: Vec<String>,
    pub server_names: Vec<String>,
    pub upstream_names: Vec<String>,
    /// Whether the suite has `sut:` (so `{{sut.url}}` means something).
    pub has_sut: bool,
    /// Which syntax the raw suite was written in, for the messages worded per syntax.
    pub front: FrontEnd,
}

impl<'a> Cx<'a> {
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
            front: FrontEnd::Yaml,
        }
    }

    /// Records a problem at `loc`; the caller may add a label and help to it.
    pub fn error(&mut self, loc: &Pos, message: impl Into<String>) -> &mut SuiteDiagnostic {
        self.errors
            .push(SuiteDiagnostic::at(&self.source, loc, message));
        let last = self.errors.len() - 1;
        &mut self.errors[last]
    }

    pub fn location(&self, loc: &Pos) -> Location {
        self.source.location(loc.line, loc.column)
    }

    pub fn role_id(&mut self, name: &S<String>) -> Option<RoleId> {
        if let Some(i) = self.role_names.iter().position(|r| *r == name.value) {
            return Some(RoleId(i));
        }
        let help = unknown_role_help(&name.value, &self.role_names);
        let label = self.front.unknown_role_label();
        self.error(&name.at, format!("unknown role `{}`", name.value))
            .label(label)
            .help(help);
        None
    }

    /// A `${…}` reference that does not resolve, with what to do about its kind.
    pub fn reference_error(&mut self, loc: &Pos, field: &str, e: ReferenceError) {
        let help = match &e {
            ReferenceError::MissingEnv(name) => {
                format!("export {name}=… before running (it fills `{field}`)")
            }
            ReferenceError::UnknownKind(_) | ReferenceError::Empty(_) => {
                "references are `${env:NAME}`, `${file:PATH}`, `${random:NAME}` (a secret made up for the run), and `${demo:NAME}` with `target: demo`".into()
            }
            ReferenceError::File { .. } => "a `${file:PATH}` path is relative to the suite file".into(),
            ReferenceError::NoRandomness => "the operating system's random source failed; run again".into(),
            ReferenceError::UnknownDemo(_) => {
                let names: Vec<&str> = self.ctx.demo.iter().map(|(k, _)| *k).collect();
                format!("the demo's credentials are: {}", names.join(", "))
            }
        };
        self.error(loc, format!("{e} (needed by `{field}`)"))
            .help(help);
    }

    /// What was lowered, or every problem found on the way.
    pub fn finish<T>(self, lowered: Option<T>) -> Result<T, Vec<SuiteDiagnostic>> {
        match lowered {
            Some(t) if self.errors.is_empty() => Ok(t),
            _ => Err(self.errors),
        }
    }
}
