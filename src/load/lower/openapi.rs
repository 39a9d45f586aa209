//! Lowers `openapi:`: reads the spec (a file beside the suite, or a URL fetched now),
//! checks what the block names against it and against `roles:`, and makes every
//! operation's access cells: `anonymous` (a role with no credential) refused where a
//! requirement applies and allowed where the operation is public, each role of
//! `openapi.roles` allowed when it satisfies a requirement and refused otherwise.

use std::path::Path;

use thin_vec::ThinVec;

use super::context::Cx;
use crate::load::SourceFile;
use crate::load::raw::{RawOpenApi, S};
use crate::model::{
    AccessEntry, Credential, Location, OpenApi, Operation, Role, RoleId, SpecOrigin,
};
use crate::openapi::{Document, Holds};

pub(super) fn openapi(
    cx: &mut Cx<'_>,
    raw: &S<RawOpenApi>,
    roles: &[Role],
) -> Option<(OpenApi, Vec<AccessEntry>)> {
    let o = &raw.value;
    // Every protected operation must be refused to a caller without credentials: a
    // matrix without one proves nothing about that.
    if !roles
        .iter()
        .any(|r| matches!(r.credential, Credential::None))
    {
        cx.error(
            &raw.at,
            "`openapi:` needs a role without credentials, to be refused where the spec \
             requires any",
        )
        .help("add `anonymous: {}` under `roles:`");
    }
    let holds = holds(cx, o);
    let given = parameters(cx, o);
    let min = o.coverage.as_ref().and_then(|c| min(cx, &c.min));
    let mut lowered = OpenApi {
        spec: o.spec.value.clone(),
        location: cx.location(&raw.at),
        operations: Vec::new(),
        coverage_min: min,
    };
    let doc = match read(cx, &o.spec)? {
        Some(doc) => doc,
        // `validate` without the variable: the spec cannot be read, nothing else fails.
        None => return Some((lowered, Vec::new())),
    };
    let doc = &doc;
    known_schemes(cx, o, doc);
    let excluded = excluded(cx, o, doc);
    let mut entries = Vec::new();
    for (path, item) in doc.spec.paths.iter().flatten() {
        for (method, op) in item.methods() {
            let method = method.as_str().to_string();
            let index = lowered.operations.len();
            let line = format!("{method} {path}");
            let location = cx.location(&o.spec.at);
            let built = crate::openapi::build(&doc.spec, path, item, &method, op, &given, location);
            let excluded = excluded.contains(&line);
            let mut operation = Operation {
                method: method.clone(),
                path: path.clone(),
                excluded,
                unbuilt: None,
            };
            match built {
                _ if excluded => {}
                Err(why) => operation.unbuilt = Some(why),
                Ok(request) => {
                    let need = crate::openapi::need(doc, path, &method);
                    let mut entry = AccessEntry {
                        request,
                        allow: ThinVec::new(),
                        deny: ThinVec::new(),
                        tags: ThinVec::new(),
                        spec: Some(Box::new(SpecOrigin {
                            operation: index,
                            line,
                            because: Vec::new(),
                        })),
                    };
                    for (r, role) in roles.iter().enumerate() {
                        let Some((held, at)) = role_holds(&holds, role, cx.location(&o.spec.at))
                        else {
                            continue;
                        };
                        let (admitted, why) = need.admits(doc, &held);
                        let cell = (RoleId(r), at);
                        if admitted {
                            entry.allow.push(cell);
                        } else {
                            entry.deny.push(cell);
                        }
                        if let Some(origin) = entry.spec.as_mut() {
                            origin.because.push((RoleId(r), why));
                        }
                    }
                    if !entry.allow.is_empty() || !entry.deny.is_empty() {
                        entries.push(entry);
                    }
                }
            }
            lowered.operations.push(operation);
        }
    }
    Some((lowered, entries))
}

/// What `role` holds: its entry under `openapi.roles`, or nothing for a role without a
/// credential; a role with a credential and no entry gets no cells (what it holds is
/// not known).
fn role_holds(
    holds: &[(String, Holds, Location)],
    role: &Role,
    fallback: Location,
) -> Option<(Holds, Location)> {
    match holds.iter().find(|(n, _, _)| *n == role.name) {
        Some((_, h, at)) => Some((h.clone(), at.clone())),
        None if matches!(role.credential, Credential::None) => Some((Holds::default(), fallback)),
        None => None,
    }
}

/// `openapi.roles`, each naming a role of `roles:`.
fn holds(cx: &mut Cx<'_>, o: &RawOpenApi) -> Vec<(String, Holds, Location)> {
    let mut out = Vec::new();
    for (name, role) in o.roles.iter().flat_map(|m| &m.0) {
        if cx.role_id(name).is_none() {
            continue;
        }
        let holds = Holds {
            scopes: role.scopes.clone(),
            schemes: role.schemes.clone(),
        };
        out.push((name.value.clone(), holds, cx.location(&name.at)));
    }
    out
}

fn parameters(cx: &mut Cx<'_>, o: &RawOpenApi) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, value) in o.parameters.iter().flat_map(|m| &m.0) {
        match cx.interpolate(&value.value) {
            Ok(v) => out.push((name.value.clone(), v)),
            Err(e) => {
                cx.reference_error(&value.at, &format!("openapi.parameters.{}", name.value), e)
            }
        }
    }
    out
}

/// `100%`, `80.5%` or a number, as percent.
fn min(cx: &mut Cx<'_>, raw: &S<serde_json::Value>) -> Option<f64> {
    let n = match &raw.value {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s
            .trim()
            .strip_suffix('%')
            .and_then(|n| n.trim().parse().ok()),
        _ => None,
    };
    match n {
        Some(n) if (0.0..=100.0).contains(&n) => Some(n),
        _ => {
            cx.error(
                &raw.at,
                "`coverage.min` is not a percentage from 0% to 100%",
            )
            .help("write `min: 100%` (or `min: 80%`)");
            None
        }
    }
}

/// The document: `Ok(None)` when it is a URL on a `.invalid` host (how `validate`
/// stands in for an unset variable), which no network can reach.
fn read(cx: &mut Cx<'_>, spec: &S<String>) -> Option<Option<Document>> {
    let value = match cx.interpolate(&spec.value) {
        Ok(v) => v,
        Err(e) => {
            cx.reference_error(&spec.at, "openapi.spec", e);
            return None;
        }
    };
    let source = if value.starts_with("http://") || value.starts_with("https://") {
        let host = value.split('/').nth(2).unwrap_or_default();
        if host
            .split(':')
            .next()
            .is_some_and(|h| h.ends_with(".invalid"))
        {
            return Some(None);
        }
        match crate::openapi::fetch(&value) {
            Ok(text) => SourceFile::from_text(Path::new(&shown_url(&spec.value, &value)), text),
            Err(e) => {
                cx.error(&spec.at, format!("cannot fetch the OpenAPI document: {e}"))
                    .help("the URL must answer the document with a 2xx while the suite loads");
                return None;
            }
        }
    } else {
        match SourceFile::read(&cx.source.dir.join(&value)) {
            Ok(s) => s,
            Err(e) => {
                cx.error(&spec.at, format!("cannot read the OpenAPI document: {e}"))
                    .help("`spec:` is relative to the suite's directory");
                return None;
            }
        }
    };
    match crate::openapi::parse(&source) {
        Ok(doc) => Some(Some(doc)),
        Err(d) => {
            cx.errors.extend(d);
            None
        }
    }
}

/// How messages name a fetched document: as the suite writes it when that holds a
/// reference (`${env:SPEC_URL}`: the URL may carry a key), else without user info, query
/// or fragment.
fn shown_url(written: &str, url: &str) -> String {
    if written != url {
        return written.to_string();
    }
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit('@').next().unwrap_or(authority);
    format!("{scheme}://{host}{path}")
}

/// Every scheme `openapi.roles` names is one the document defines.
fn known_schemes(cx: &mut Cx<'_>, o: &RawOpenApi, doc: &Document) {
    let defined: Vec<&str> = doc
        .spec
        .components
        .iter()
        .flat_map(|c| c.security_schemes.keys().map(String::as_str))
        .collect();
    for (name, role) in o.roles.iter().flat_map(|m| &m.0) {
        for scheme in &role.schemes {
            if !defined.contains(&scheme.as_str()) {
                let help = match crate::load::suggest::did_you_mean(scheme, defined.iter().copied())
                {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => format!("the spec's security schemes are: {}", defined.join(", ")),
                };
                cx.error(
                    &name.at,
                    format!(
                        "role `{}`: the spec defines no security scheme `{scheme}`",
                        name.value
                    ),
                )
                .help(help);
            }
        }
    }
}

/// `exclude:`, each naming an operation of the document.
fn excluded(cx: &mut Cx<'_>, o: &RawOpenApi, doc: &Document) -> Vec<String> {
    let all: Vec<String> = doc
        .spec
        .paths
        .iter()
        .flatten()
        .flat_map(|(p, item)| {
            item.methods()
                .into_iter()
                .map(move |(m, _)| format!("{m} {p}"))
        })
        .collect();
    let mut out = Vec::new();
    for e in &o.exclude {
        let (method, path) = e.value.trim().split_once(' ').unwrap_or(("", ""));
        let line = format!("{} {}", method.to_ascii_uppercase(), path.trim());
        if all.contains(&line) {
            out.push(line);
        } else {
            let help =
                match crate::load::suggest::did_you_mean(&line, all.iter().map(String::as_str)) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "write `METHOD /path/{template}` as the spec's `paths:` does".into(),
                };
            cx.error(&e.at, format!("the spec has no operation `{}`", e.value))
                .help(help);
        }
    }
    out
}
