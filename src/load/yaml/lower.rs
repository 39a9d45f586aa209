//! Lowers a raw suite into the model: resolves references, checks role names, literal
//! credentials and shapes, and collects every problem of the file before giving up.

use super::super::reference::{Reference, ReferenceError, parse_whole};
use super::super::suggest::did_you_mean;
use super::super::{LoadContext, SourceFile, SuiteDiagnostic};
use super::raw::{RawAccess, RawRole, RawScenario, RawSuite, RawTarget, S};
use crate::model::{
    AccessEntry, Credential, KeyPlacement, Location, Policy, Role, RoleId, Scenario, Secret, Step,
    Suite, Target,
};
use crate::redact::Redactor;

pub(super) struct Lowerer<'a> {
    pub source: SourceFile,
    pub ctx: &'a LoadContext,
    redactor: &'a Redactor,
    pub errors: Vec<SuiteDiagnostic>,
    role_names: Vec<String>,
}

pub fn lower(
    raw: RawSuite,
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
) -> Result<Suite, Vec<SuiteDiagnostic>> {
    let mut cx = Lowerer {
        source: mask_literal_credentials(source, &raw),
        ctx,
        redactor,
        errors: Vec::new(),
        role_names: raw.roles.0.iter().map(|(k, _)| k.value.clone()).collect(),
    };
    let target = cx.target(&raw.target);
    let roles: Vec<Role> = raw
        .roles
        .0
        .iter()
        .filter_map(|(name, role)| cx.role(name, role, target == Some(Target::Demo)))
        .collect();
    let policy = cx.policy(&raw);
    let access: Vec<AccessEntry> = raw.access.iter().filter_map(|a| cx.access(a)).collect();
    let scenarios: Vec<Scenario> = raw
        .scenarios
        .iter()
        .filter_map(|s| cx.scenario(s))
        .collect();
    if access.is_empty() && scenarios.is_empty() && cx.errors.is_empty() {
        let loc = &raw.suite.referenced;
        cx.error(loc, "this suite has no checks")
            .help("add an `access:` matrix or `scenarios:`");
    }
    match (cx.errors.is_empty(), target) {
        (true, Some(target)) => Ok(Suite {
            name: raw.suite.value.clone(),
            file: source.name.clone(),
            target,
            roles,
            policy,
            access,
            scenarios,
        }),
        _ => Err(cx.errors),
    }
}

/// Diagnostics show source lines; a literal credential in them must not reach the
/// terminal or a CI log, so it is masked in the copy of the text they render.
fn mask_literal_credentials(source: &SourceFile, raw: &RawSuite) -> SourceFile {
    let mut text = source.text.to_string();
    let mut masked = false;
    for (_, role) in &raw.roles.0 {
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

impl Lowerer<'_> {
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

    pub fn push(&mut self, diag: SuiteDiagnostic) {
        self.errors.push(diag);
    }

    pub fn location(&self, loc: &serde_saphyr::Location) -> Location {
        self.source.location(loc.line(), loc.column())
    }

    fn target(&mut self, raw: &S<RawTarget>) -> Option<Target> {
        match &raw.value {
            RawTarget::Named(name) if name == "demo" => Some(Target::Demo),
            RawTarget::Named(name) => {
                let msg = format!("unknown target `{name}`");
                self.error(&raw.referenced, msg)
                    .help("use `target: demo` for the built-in demo API, or `target: { base_url: https://… }`");
                None
            }
            RawTarget::Url(map) => {
                let url = &map.base_url;
                let resolved = match self.ctx.interpolate(&url.value, &self.source.dir) {
                    Ok(v) => v,
                    Err(e) => {
                        self.reference_error(&url.referenced, "target.base_url", e);
                        return None;
                    }
                };
                match reqwest::Url::parse(&resolved) {
                    Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                        Some(Target::Url(resolved.trim_end_matches('/').to_string()))
                    }
                    _ => {
                        let msg = format!("`target.base_url` is not an http(s) URL: `{resolved}`");
                        self.error(&url.referenced, msg)
                            .help("write a full URL such as https://api.example.test");
                        None
                    }
                }
            }
        }
    }

    fn role(&mut self, name: &S<String>, raw: &RawRole, demo: bool) -> Option<Role> {
        let n = &name.value;
        let credential = match (&raw.bearer, &raw.api_key) {
            (Some(_), Some(_)) => {
                self.error(
                    &name.referenced,
                    format!("role `{n}` has both `bearer` and `api_key`"),
                )
                .help("give each role one credential; define a second role for the other");
                return None;
            }
            (Some(b), None) => Credential::Bearer(self.secret(b, format!("{n}.bearer"), demo)?),
            (None, Some(key)) => {
                let placement = match (&key.header, &key.query) {
                    (Some(h), None) => KeyPlacement::Header(h.value.clone()),
                    (None, Some(q)) => KeyPlacement::Query(q.value.clone()),
                    _ => {
                        self.error(
                            &key.value.referenced,
                            format!(
                                "role `{n}`: `api_key` needs exactly one of `header` or `query`"
                            ),
                        )
                        .help("e.g. `api_key: { header: X-Api-Key, value: ${env:PARTNER_KEY} }`");
                        return None;
                    }
                };
                let value = self.secret(&key.value, format!("{n}.api_key"), demo)?;
                Credential::ApiKey { placement, value }
            }
            (None, None) => Credential::None,
        };
        let proof = match &raw.proof {
            Some(line) => Some(self.request_line_only(line)?),
            None => None,
        };
        Some(Role {
            name: n.clone(),
            credential,
            proof,
        })
    }

    /// A credential field: exactly one reference, resolved and registered for redaction.
    fn secret(&mut self, field: &S<String>, label: String, demo: bool) -> Option<Secret> {
        let loc = &field.referenced;
        let reference = match parse_whole(&field.value) {
            None => {
                self.error(loc, format!("literal credential in `roles.{label}`"))
                    .label("credentials are never written into a suite")
                    .help(
                        "pass it by reference: `${env:NAME}` (and export NAME), or `${file:PATH}`",
                    );
                return None;
            }
            Some(Err(e)) => {
                self.reference_error(loc, &format!("roles.{label}"), e);
                return None;
            }
            Some(Ok(r)) => r,
        };
        if matches!(reference, Reference::Demo(_)) && !demo {
            self.error(
                loc,
                format!("`${{demo:…}}` in `roles.{label}` needs `target: demo`"),
            )
            .help("use `${env:NAME}` or `${file:PATH}` for a real target");
            return None;
        }
        match self.ctx.resolve(&reference, &self.source.dir) {
            Ok(value) if value.is_empty() => {
                self.error(loc, format!("`roles.{label}` resolves to an empty value"));
                None
            }
            Ok(value) => {
                self.redactor.add(&label, &value);
                Some(Secret::new(label, value))
            }
            Err(e) => {
                self.reference_error(loc, &format!("roles.{label}"), e);
                None
            }
        }
    }

    fn reference_error(&mut self, loc: &serde_saphyr::Location, field: &str, e: ReferenceError) {
        let help = match &e {
            ReferenceError::MissingEnv(name) => format!("export {name}=… before running (it fills `{field}`)"),
            ReferenceError::UnknownKind(_) | ReferenceError::Empty(_) => {
                "references are `${env:NAME}` or `${file:PATH}` (and `${demo:NAME}` with `target: demo`)".into()
            }
            ReferenceError::File { .. } => "a `${file:PATH}` path is relative to the suite file".into(),
            ReferenceError::UnknownDemo(_) => {
                let names: Vec<&str> = self.ctx.demo.iter().map(|(k, _)| *k).collect();
                format!("the demo's credentials are: {}", names.join(", "))
            }
        };
        self.error(loc, format!("{e} (needed by `{field}`)"))
            .help(help);
    }

    fn policy(&mut self, raw: &RawSuite) -> Policy {
        let mut policy = Policy::default();
        if let Some(statuses) = raw.policy.as_ref().and_then(|p| p.deny_status.as_ref()) {
            for s in statuses {
                if !(400..=599).contains(&s.value) {
                    self.error(
                        &s.referenced,
                        format!("`{}` is not a refusal status", s.value),
                    )
                    .help("deny statuses are 4xx or 5xx codes such as 401, 403, 404");
                }
            }
            if statuses.is_empty() {
                let loc = &raw.suite.referenced;
                self.error(loc, "`policy.deny_status` is empty");
            }
            policy.deny_status = statuses.iter().map(|s| s.value).collect();
        }
        policy
    }

    pub fn role_id(&mut self, name: &S<String>) -> Option<RoleId> {
        if let Some(i) = self.role_names.iter().position(|r| *r == name.value) {
            return Some(RoleId(i));
        }
        let known = self.role_names.clone();
        let mut help = match did_you_mean(&name.value, known.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`? "),
            None => String::new(),
        };
        help.push_str(&format!("roles of this suite: {}", known.join(", ")));
        self.error(&name.referenced, format!("unknown role `{}`", name.value))
            .label("not defined under `roles:`")
            .help(help);
        None
    }

    fn access(&mut self, raw: &RawAccess) -> Option<AccessEntry> {
        let request = self.request(&raw.parts(&raw.request), &[]);
        let mut cells = |list: &[S<String>]| -> Vec<(RoleId, Location)> {
            list.iter()
                .filter_map(|r| Some((self.role_id(r)?, self.location(&r.referenced))))
                .collect()
        };
        let allow = cells(&raw.allow);
        let deny = cells(&raw.deny);
        if raw.allow.is_empty() && raw.deny.is_empty() {
            self.error(&raw.request.referenced, "this access entry names no role")
                .help("add `allow: [role, …]` and/or `deny: [role, …]`");
        }
        for (id, loc) in &deny {
            if allow.iter().any(|(a, _)| a == id) {
                let msg = format!(
                    "role `{}` is both allowed and denied",
                    self.role_names[id.0]
                );
                let d = SuiteDiagnostic::new(&self.source, loc.line, loc.column, msg);
                self.push(d);
            }
        }
        Some(AccessEntry {
            request: request?,
            allow,
            deny,
        })
    }

    fn scenario(&mut self, raw: &RawScenario) -> Option<Scenario> {
        let loc = &raw.name.referenced;
        let single = raw.as_role.is_some()
            || raw.request.is_some()
            || raw.expect.is_some()
            || raw.capture.is_some();
        let steps = match (&raw.steps, &raw.request) {
            (Some(_), _) if single => {
                self.error(
                    loc,
                    "a scenario has either `steps:` or a single request, not both",
                )
                .help("move `as`, `request`, `expect` and `capture` into a step");
                return None;
            }
            (Some(steps), _) => {
                let mut captured = Vec::new();
                let out: Vec<Option<Step>> = steps
                    .iter()
                    .map(|s| {
                        self.step(
                            &s.as_role,
                            &s.parts(&s.request),
                            s.expect.as_ref(),
                            s.capture.as_ref(),
                            &mut captured,
                        )
                    })
                    .collect();
                if steps.is_empty() {
                    self.error(loc, "`steps:` is empty");
                }
                out.into_iter().collect::<Option<Vec<Step>>>()?
            }
            (None, Some(request)) => {
                let Some(role) = &raw.as_role else {
                    self.error(&request.referenced, "this scenario needs `as: ROLE`")
                        .help("name the role that sends the request");
                    return None;
                };
                vec![self.step(
                    role,
                    &raw.parts(request),
                    raw.expect.as_ref(),
                    raw.capture.as_ref(),
                    &mut Vec::new(),
                )?]
            }
            (None, None) => {
                self.error(loc, "this scenario needs `request:` or `steps:`");
                return None;
            }
        };
        Some(Scenario {
            name: raw.name.value.clone(),
            steps,
            location: self.location(loc),
        })
    }
}
