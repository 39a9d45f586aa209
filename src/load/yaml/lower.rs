//! Lowers a raw suite (or an `authspec.yaml`) into the model: the target, roles and
//! policy (its own, or inherited from the config), the access matrix and the scenarios,
//! collecting every problem of the file before giving up.

use super::super::config::Config;
use super::super::reference::{Reference, parse_whole};
use super::super::{LoadContext, SourceFile, SuiteDiagnostic};
use super::lowerer::Lowerer;
use super::raw::{RawAccess, RawConfig, RawLog, RawScenario, RawSuite, S};
use crate::model::{
    AccessEntry, Location, LogRule, Probe, RoleId, Scenario, Step, Suite, Target, TlsSettings,
};
use crate::redact::Redactor;

pub fn lower(
    raw: RawSuite,
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
    config: Option<&Config>,
) -> Result<Suite, Vec<SuiteDiagnostic>> {
    let mut cx = Lowerer::new(source, ctx, redactor);
    let at = raw.suite.referenced;
    // Known before the target: `{{sut.url}}` and `{{upstreams.NAME.url}}` may be in it.
    cx.has_sut = raw.sut.is_some();
    cx.upstream_names = raw
        .upstreams
        .iter()
        .flat_map(|m| m.0.iter().map(|(k, _)| k.value.clone()))
        .collect();
    let upstreams = cx.upstreams(raw.upstreams.as_ref());
    let sut = raw.sut.as_ref().and_then(|s| cx.sut(s));
    let mut tls = TlsSettings::default();
    let target = match (&raw.target, config.and_then(|c| c.target.clone())) {
        (Some(t), _) => {
            tls = cx.target_tls(t);
            cx.target(t)
        }
        (None, Some(inherited)) => {
            tls = config.map(|c| c.tls.clone()).unwrap_or_default();
            Some(inherited)
        }
        (None, None) => {
            cx.error(&at, "this suite has no `target:`").help(
                "add `target: demo` or `target: { base_url: … }`, or put it in an authspec.yaml beside the suite",
            );
            None
        }
    };
    // `${demo:…}` credentials belong to the demo, reached as `target: demo` or through
    // one of its `${demo:…}` URLs.
    let demo_target = target == Some(Target::Demo)
        || matches!(&raw.target, Some(t) if matches!(&t.value,
            super::raw::RawTarget::Url(m) if matches!(parse_whole(&m.base_url.value),
                Some(Ok(Reference::Demo(_))))));
    let (auth_servers, roles) = match (&raw.roles, config) {
        (Some(r), _) => {
            let servers = match (&raw.auth_servers, config) {
                (None, Some(c)) => {
                    cx.server_names = c.auth_servers.iter().map(|s| s.name.clone()).collect();
                    c.auth_servers.clone()
                }
                (own, _) => cx.auth_servers(own.as_ref(), demo_target),
            };
            (servers, cx.roles(r, demo_target))
        }
        (None, Some(c)) => {
            cx.role_names = c.roles.iter().map(|r| r.name.clone()).collect();
            cx.server_names = c.auth_servers.iter().map(|s| s.name.clone()).collect();
            (c.auth_servers.clone(), c.roles.clone())
        }
        (None, None) => (
            cx.auth_servers(raw.auth_servers.as_ref(), demo_target),
            Vec::new(),
        ),
    };
    let policy = cx
        .policy(raw.policy.as_ref(), &at)
        .or_else(|| config.and_then(|c| c.policy.clone()))
        .unwrap_or_default();
    let leakage = cx
        .leakage(raw.leakage.as_ref())
        .or_else(|| config.and_then(|c| c.leakage.clone()))
        .unwrap_or_default();
    let access: Vec<AccessEntry> = raw.access.iter().filter_map(|a| cx.access(a)).collect();
    let scenarios: Vec<Scenario> = raw
        .scenarios
        .iter()
        .filter_map(|s| cx.scenario(s))
        .collect();
    let demo = demo_target;
    let mut probes: Vec<Probe> = raw
        .probes
        .iter()
        .enumerate()
        .filter_map(|(i, p)| cx.probe(i, p, demo))
        .collect();
    // A tls probe without `urls:` checks the target.
    for p in &mut probes {
        if let (Probe::Tls(t), Some(target)) = (p, &target)
            && !t.default_to_target(target)
        {
            cx.error(
                &at,
                "the tls probe has no `urls:` and the target is not https://",
            )
            .help("list the https:// URLs to check under `tls: { urls: [...] }`");
        }
    }
    let logs: Vec<LogRule> = raw.logs.iter().filter_map(|l| cx.log(l)).collect();
    if access.is_empty() && scenarios.is_empty() && probes.is_empty() && cx.errors.is_empty() {
        cx.error(&at, "this suite has no checks")
            .help("add an `access:` matrix, `scenarios:` or `probes:`");
    }
    match (cx.errors.is_empty(), target) {
        (true, Some(target)) => Ok(Suite {
            name: raw.suite.value.clone(),
            file: source.name.clone(),
            target,
            tls,
            roles,
            auth_servers,
            policy,
            access,
            scenarios,
            probes,
            probe_tags: Vec::new(),
            logs,
            tags: tags(&raw.tags),
            leakage,
            upstreams,
            sut,
        }),
        _ => Err(cx.errors),
    }
}

pub fn lower_config(
    raw: RawConfig,
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
) -> Result<Config, Vec<SuiteDiagnostic>> {
    let mut cx = Lowerer::new(source, ctx, redactor);
    let target = raw.target.as_ref().and_then(|t| cx.target(t));
    let tls = raw
        .target
        .as_ref()
        .map(|t| cx.target_tls(t))
        .unwrap_or_default();
    let auth_servers = cx.auth_servers(raw.auth_servers.as_ref(), target == Some(Target::Demo));
    let roles = cx.roles(&raw.roles, target == Some(Target::Demo));
    let policy = cx.policy(raw.policy.as_ref(), &serde_saphyr::Location::UNKNOWN);
    let leakage = cx.leakage(raw.leakage.as_ref());
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    Ok(Config {
        file: source.name.clone(),
        target,
        tls,
        roles,
        auth_servers,
        policy,
        leakage,
    })
}

/// Tags as written, `@` optional.
fn tags(raw: &[String]) -> Vec<String> {
    raw.iter()
        .map(|t| t.trim_start_matches('@').to_string())
        .collect()
}

impl Lowerer<'_> {
    fn log(&mut self, raw: &RawLog) -> Option<LogRule> {
        let loc = &raw.path.referenced;
        let path = match self.ctx.interpolate(&raw.path.value, &self.source.dir) {
            Ok(p) => self.source.dir.join(p),
            Err(e) => {
                self.reference_error(loc, "logs.path", e);
                return None;
            }
        };
        let no_secrets = match &raw.must_not_contain {
            None => false,
            Some(s) if s.value == "secrets" => true,
            Some(s) => {
                self.error(
                    &s.referenced,
                    format!("`must_not_contain: {}` is not a rule", s.value),
                )
                .help(
                    "`must_not_contain: secrets` checks for every credential and token of the run",
                );
                return None;
            }
        };
        let must_record = raw.must_record.clone().unwrap_or_default();
        if !no_secrets && must_record.is_empty() {
            self.error(loc, "this log entry has no rule")
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

    fn access(&mut self, raw: &RawAccess) -> Option<AccessEntry> {
        let request = self.request(&raw.parts(&raw.request), &[]);
        let mut cells = |list: &[S<String>]| -> Vec<(RoleId, Location)> {
            list.iter()
                .filter_map(|r| Some((self.role_id(r)?, self.location(&r.referenced))))
                .collect()
        };
        let allow = cells(&raw.allow);
        let deny = cells(&raw.deny);
        for list in [&allow, &deny] {
            for (i, (id, loc)) in list.iter().enumerate() {
                if list[..i].iter().any(|(a, _)| a == id) {
                    let msg = format!("role `{}` is listed twice", self.role_names[id.0]);
                    self.errors.push(SuiteDiagnostic::new(
                        &self.source,
                        loc.line,
                        loc.column,
                        msg,
                    ));
                }
            }
        }
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
                self.errors.push(SuiteDiagnostic::new(
                    &self.source,
                    loc.line,
                    loc.column,
                    msg,
                ));
            }
        }
        Some(AccessEntry {
            request: request?,
            allow,
            deny,
            tags: tags(&raw.tags),
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
                        let parts = s.parts(&s.request);
                        self.step(
                            &s.as_role,
                            &parts,
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
                let parts = raw.parts(request);
                vec![self.step(
                    role,
                    &parts,
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
            tags: tags(&raw.tags),
            upstream_tls: self.upstream_tls(raw.upstream_tls.as_ref()),
        })
    }
}
