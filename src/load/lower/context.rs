//! The lowering context of one file: where diagnostics go, what references resolve
//! against, and the names (roles, auth servers, upstreams) other entries may refer to.
//! Each section's lowering is a set of free functions over it.

use super::wording::FrontEnd;
use crate::load::raw::{Pos, S};
use crate::load::reference::{Reference, ReferenceError};
use crate::load::secret_command::SecretCommand;
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
    /// The `secrets:` this file may refer to (its own, and its config's).
    pub secrets: Vec<SecretCommand>,
    /// Secrets whose failed command (or definition) this file already reported: a
    /// reference to one adds no second error.
    pub failed_secrets: Vec<String>,
    /// Variables every check may use: `run.id` and what `setup:` captures.
    pub run_vars: Vec<String>,
    /// What the file's `setup:` captures, known before it is lowered: a `login:` request
    /// (lowered with the roles, before the setup) may use them.
    pub setup_captures: Vec<String>,
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
            secrets: Vec::new(),
            failed_secrets: Vec::new(),
            run_vars: vec![crate::model::template::RUN_ID.to_string()],
            setup_captures: Vec::new(),
        }
    }

    /// `value` with its references resolved (see `LoadContext::interpolate`).
    pub fn interpolate(&self, value: &str) -> Result<String, ReferenceError> {
        self.ctx.interpolate(value, &self.source.dir, &self.secrets)
    }

    pub fn resolve(&self, reference: &Reference<'_>) -> Result<String, ReferenceError> {
        self.ctx.resolve(reference, &self.source.dir, &self.secrets)
    }

    /// Each reference of `value` that resolves, as written, with its value.
    pub fn resolved_each(&self, value: &str) -> Vec<(String, String)> {
        self.ctx
            .resolved_each(value, &self.source.dir, &self.secrets)
    }

    /// The values of the references of `value` that resolve.
    pub fn resolved_references(&self, value: &str) -> Vec<String> {
        self.resolved_each(value)
            .into_iter()
            .map(|(_, v)| v)
            .collect()
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
        if let ReferenceError::SecretCommand { name, .. } = &e {
            return self.secret_command_error(name.clone(), field, &e);
        }
        if let ReferenceError::UnknownSecret { name, .. } = &e
            && self.failed_secrets.contains(name)
        {
            return;
        }
        let help = match &e {
            ReferenceError::MissingEnv(name) => {
                format!("export {name}=… before running (it fills `{field}`)")
            }
            ReferenceError::UnknownKind(_) | ReferenceError::Empty(_) => {
                "references are `${env:NAME}`, `${file:PATH}`, `${secret:NAME}` (from `secrets:`), `${random:NAME}` (a secret made up for the run), and `${demo:NAME}` with `target: demo`".into()
            }
            ReferenceError::Unclosed(_) => {
                "close the reference with `}`; write `$${` for a literal `${`".into()
            }
            ReferenceError::UnknownSecret { name, known } => {
                match crate::load::suggest::did_you_mean(name, known.iter().map(String::as_str)) {
                    Some(k) => format!("did you mean `${{secret:{k}}}`?"),
                    None if known.is_empty() => format!(
                        "define it: `secrets: {{ {name}: {{ command: [vault, kv, get, -field=password, secret/…] }} }}`"
                    ),
                    None => format!("the secrets defined are: {}", known.join(", ")),
                }
            }
            ReferenceError::SecretCommand { .. } => String::new(),
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

    /// A secret's command failed: reported once per file, at the command.
    fn secret_command_error(&mut self, name: String, field: &str, e: &ReferenceError) {
        if self.failed_secrets.contains(&name) {
            return;
        }
        let Some(def) = self.secrets.iter().find(|s| s.name == name).cloned() else {
            return;
        };
        self.failed_secrets.push(name);
        self.errors.push(SuiteDiagnostic::at(
            &def.source,
            &def.at,
            format!("{e} (needed by `{field}`)"),
        ));
        let last = self.errors.len() - 1;
        self.errors[last].help(
            "run the command by hand in the suite's directory: it must print the secret and exit 0",
        );
    }

    /// What was lowered, or every problem found on the way.
    pub fn finish<T>(self, lowered: Option<T>) -> Result<T, Vec<SuiteDiagnostic>> {
        match lowered {
            Some(t) if self.errors.is_empty() => Ok(t),
            _ => Err(self.errors),
        }
    }
}
