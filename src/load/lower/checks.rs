//! Lowers a suite's own checks: `access:` entries (allow and deny cells), `scenarios:`
//! (one request or `steps:`) and `logs:` rules.

use super::context::Cx;
use super::suite::tags;
use crate::load::SuiteDiagnostic;
use crate::load::raw::{RawAccess, RawLog, RawScenario, S};
use crate::model::{AccessEntry, Location, LogRule, RoleId, Scenario, Step};

pub(super) fn log(cx: &mut Cx<'_>, raw: &RawLog) -> Option<LogRule> {
    let loc = &raw.path.at;
    let path = match cx.interpolate(&raw.path.value) {
        Ok(p) => cx.source.dir.join(p),
        Err(e) => {
            cx.reference_error(loc, "logs.path", e);
            return None;
        }
    };
    let no_secrets = match &raw.must_not_contain {
        None => false,
        Some(s) if s.value == "secrets" => true,
        Some(s) => {
            cx.error(
                &s.at,
                format!("`must_not_contain: {}` is not a rule", s.value),
            )
            .help("`must_not_contain: secrets` checks for every credential and token of the run");
            return None;
        }
    };
    let must_record = raw.must_record.clone().unwrap_or_default();
    if !no_secrets && must_record.is_empty() {
        cx.error(loc, "this log entry has no rule")
            .help("add `must_not_contain: secrets` and/or `must_record: [\"auth failed\"]`");
        return None;
    }
    Some(LogRule {
        path,
        shown: raw.path.value.clone(),
        no_secrets,
        must_record,
    })
}

pub(super) fn access(cx: &mut Cx<'_>, raw: &RawAccess) -> Option<AccessEntry> {
    let request = super::request::request(cx, &raw.parts(&raw.request), &[]);
    let mut cells = |list: &[S<String>]| -> Vec<(RoleId, Location)> {
        let mut cells: Vec<_> = list
            .iter()
            .filter_map(|r| Some((cx.role_id(r)?, cx.location(&r.at))))
            .collect();
        // Held for the whole run, one list per entry: a collected `filter_map` keeps
        // room for four.
        cells.shrink_to_fit();
        cells
    };
    let allow = cells(&raw.allow);
    let deny = cells(&raw.deny);
    for list in [&allow, &deny] {
        for (i, (id, loc)) in list.iter().enumerate() {
            if list[..i].iter().any(|(a, _)| a == id) {
                let msg = format!("role `{}` is listed twice", cx.role_names[id.0]);
                cx.errors
                    .push(SuiteDiagnostic::new(&cx.source, loc.line, loc.column, msg));
            }
        }
    }
    if raw.allow.is_empty() && raw.deny.is_empty() {
        cx.error(&raw.request.at, "this access entry names no role")
            .help("add `allow: [role, …]` and/or `deny: [role, …]`");
    }
    for (id, loc) in &deny {
        if allow.iter().any(|(a, _)| a == id) {
            let msg = format!("role `{}` is both allowed and denied", cx.role_names[id.0]);
            cx.errors
                .push(SuiteDiagnostic::new(&cx.source, loc.line, loc.column, msg));
        }
    }
    Some(AccessEntry {
        request: request?,
        allow: allow.into(),
        deny: deny.into(),
        tags: tags(&raw.tags).into(),
        spec: None,
    })
}

/// A scenario of a YAML suite, or a Gherkin scenario built into the same raw shape.
pub fn scenario(cx: &mut Cx<'_>, raw: &RawScenario) -> Option<Scenario> {
    let loc = &raw.name.at;
    let single = raw.as_role.is_some()
        || raw.request.is_some()
        || raw.expect.is_some()
        || raw.capture.is_some();
    let steps = match (&raw.steps, &raw.request) {
        (Some(_), _) if single => {
            cx.error(
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
                    let parts = s.parts(&s.request);
                    super::request::step(
                        cx,
                        &s.as_role,
                        &parts,
                        s.expect.as_ref(),
                        s.capture.as_ref(),
                        &mut captured,
                    )
                })
                .collect();
            if steps.is_empty() {
                cx.error(loc, "`steps:` is empty");
            }
            out.into_iter().collect::<Option<Vec<Step>>>()?
        }
        (None, Some(request)) => {
            let Some(role) = &raw.as_role else {
                cx.error(&request.at, "this scenario needs `as: ROLE`")
                    .help("name the role that sends the request");
                return None;
            };
            let parts = raw.parts(request);
            vec![super::request::step(
                cx,
                role,
                &parts,
                raw.expect.as_ref(),
                raw.capture.as_ref(),
                &mut Vec::new(),
            )?]
        }
        (None, None) => {
            cx.error(loc, "this scenario needs `request:` or `steps:`");
            return None;
        }
    };
    Some(Scenario {
        name: raw.name.value.clone(),
        steps,
        location: cx.location(loc),
        tags: tags(&raw.tags),
        upstream_tls: super::upstreams::upstream_tls(cx, raw.upstream_tls.as_ref()),
        upstream_faults: super::faults::upstream_faults(cx, raw.upstream_faults.as_ref()),
    })
}
