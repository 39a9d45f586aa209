//! Lowers a raw suite (or an `authspec.yaml`) into the model: its secrets first, its stub
//! upstreams and SUT, the target, roles and policy (its own, or inherited from the
//! config), its setup, then its checks, collecting every problem of the file before
//! giving up.

use std::sync::Arc;

use super::context::Cx;
use crate::load::config::Config;
use crate::load::raw::{Pos, RawConfig, RawSuite, RawTarget};
use crate::load::reference::{Reference, parse_whole};
use crate::load::{LoadContext, SourceFile, SuiteDiagnostic};
use crate::model::{
    AccessEntry, AuthServer, LogRule, Probe, Role, Scenario, Setup, Suite, Target, TlsSettings,
};
use crate::redact::Redactor;

pub fn suite(
    raw: RawSuite,
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
    config: Option<&Config>,
) -> Result<Suite, Vec<SuiteDiagnostic>> {
    let cx = &mut Cx::new(source, ctx, redactor);
    let at = raw.suite.at;
    // First: anything below may be a `${secret:…}`. The suite's own come first, so they
    // win over its config's of the same name.
    cx.secrets = super::secrets::secrets(cx, raw.secrets.as_ref());
    cx.secrets
        .extend(config.iter().flat_map(|c| c.secrets.iter().cloned()));
    // Known before the target: `{{sut.url}}` and `{{upstreams.NAME.url}}` may be in it.
    // A suite with neither `upstreams:` nor `sut:` has its config's, as it has its target.
    let (upstreams, sut) = match config {
        Some(c) if raw.upstreams.is_none() && raw.sut.is_none() => {
            cx.has_sut = c.sut.is_some();
            cx.upstream_names = c.upstreams.iter().map(|u| u.name.clone()).collect();
            (c.upstreams.clone(), c.sut.clone())
        }
        _ => {
            cx.has_sut = raw.sut.is_some();
            cx.upstream_names = names(raw.upstreams.as_ref());
            let upstreams = super::upstreams::upstreams(cx, raw.upstreams.as_ref());
            let sut = raw.sut.as_ref().and_then(|s| super::sut::sut(cx, s));
            (upstreams, sut)
        }
    };
    let (target, tls) = target(cx, &raw, config);
    // `${demo:…}` credentials belong to the demo, reached as `target: demo` or through
    // one of its `${demo:…}` URLs.
    let demo = target == Some(Target::Demo)
        || matches!(&raw.target, Some(t) if matches!(&t.value,
            RawTarget::Url(m) if matches!(parse_whole(&m.base_url.value),
                Some(Ok(Reference::Demo(_))))));
    cx.setup_captures = if raw.setup.is_empty() {
        config
            .and_then(|c| c.setup.as_ref())
            .map(|s| s.captured())
            .unwrap_or_default()
    } else {
        super::setup::capture_names(&raw.setup)
    };
    let (auth_servers, roles) = servers_and_roles(cx, &raw, config, demo);
    let policy = super::policy::policy(cx, raw.policy.as_ref(), &at)
        .or_else(|| config.and_then(|c| c.policy.clone()))
        .unwrap_or_default();
    let leakage = super::policy::leakage(cx, raw.leakage.as_ref())
        .or_else(|| config.and_then(|c| c.leakage.clone()))
        .unwrap_or_default();
    // Before the checks: what it captures, they may use.
    let setup = setup(cx, &raw, config);
    let mut access: Vec<AccessEntry> = raw
        .access
        .iter()
        .filter_map(|a| super::checks::access(cx, a))
        .collect();
    // After the suite's own entries: their ids (`access[N]`) do not move.
    let openapi = raw.openapi.as_ref().and_then(|o| {
        let (spec, cells) = super::openapi::openapi(cx, o, &roles)?;
        access.extend(cells);
        Some(spec)
    });
    // Held for the whole run: at 10,000 entries a suite, growth's spare room is a third.
    access.shrink_to_fit();
    let scenarios: Vec<Scenario> = raw
        .scenarios
        .iter()
        .filter_map(|s| super::checks::scenario(cx, s))
        .collect();
    let probes = probes(cx, &raw, target.as_ref(), demo);
    let logs: Vec<LogRule> = raw
        .logs
        .iter()
        .filter_map(|l| super::checks::log(cx, l))
        .collect();
    if access.is_empty()
        && scenarios.is_empty()
        && probes.is_empty()
        && openapi.is_none()
        && cx.errors.is_empty()
    {
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
            setup,
            fail_on_skip: raw
                .fail_on_skip
                .as_ref()
                .map(|f| f.value)
                .or_else(|| config.and_then(|c| c.fail_on_skip))
                .unwrap_or(false),
            openapi,
        }),
        _ => Err(std::mem::take(&mut cx.errors)),
    }
}

/// The suite's own `setup:`, or its config's: shared, so it runs once for every suite
/// of that config. A config's setup names the config's roles, so it cannot serve a
/// suite that defines its own.
fn setup(cx: &mut Cx<'_>, raw: &RawSuite, config: Option<&Config>) -> Option<Arc<Setup>> {
    if !raw.setup.is_empty() {
        return super::setup::setup(cx, &raw.setup);
    }
    let inherited = config.and_then(|c| c.setup.clone())?;
    if let Some(roles) = &raw.roles
        && inherited.steps.iter().any(|s| s.role.is_some())
    {
        let at = roles.0.first().map_or(raw.suite.at, |(k, _)| k.at);
        cx.error(
            &at,
            format!(
                "{}'s `setup:` sends as its roles, and this suite has roles of its own",
                inherited.file
            ),
        )
        .help("give this suite a `setup:` of its own, or use the config's roles");
        return None;
    }
    cx.run_vars.extend(inherited.captured());
    Some(inherited)
}

/// The suite's own target and its TLS settings, or the config's.
fn target(
    cx: &mut Cx<'_>,
    raw: &RawSuite,
    config: Option<&Config>,
) -> (Option<Target>, TlsSettings) {
    match (&raw.target, config.and_then(|c| c.target.clone())) {
        (Some(t), _) => {
            let tls = super::tls::target_tls(cx, t);
            (super::target::target(cx, t), tls)
        }
        (None, Some(inherited)) => {
            let tls = config.map(|c| c.tls.clone()).unwrap_or_default();
            (Some(inherited), tls)
        }
        (None, None) => {
            cx.error(&raw.suite.at, "this suite has no `target:`").help(
                "add `target: demo` or `target: { base_url: … }`, or put it in an authspec.yaml beside the suite",
            );
            (None, TlsSettings::default())
        }
    }
}

/// Auth servers and roles: the suite's own, or the config's (the names later entries
/// refer to are set either way).
fn servers_and_roles(
    cx: &mut Cx<'_>,
    raw: &RawSuite,
    config: Option<&Config>,
    demo: bool,
) -> (Vec<AuthServer>, Vec<Role>) {
    match (&raw.roles, config) {
        (Some(r), _) => {
            let servers = match (&raw.auth_servers, config) {
                (None, Some(c)) => {
                    cx.server_names = c.auth_servers.iter().map(|s| s.name.clone()).collect();
                    c.auth_servers.clone()
                }
                (own, _) => super::oauth::auth_servers(cx, own.as_ref(), demo),
            };
            (servers, super::roles::roles(cx, r, demo))
        }
        (None, Some(c)) => {
            cx.role_names = c.roles.iter().map(|r| r.name.clone()).collect();
            cx.server_names = c.auth_servers.iter().map(|s| s.name.clone()).collect();
            (c.auth_servers.clone(), c.roles.clone())
        }
        (None, None) => (
            super::oauth::auth_servers(cx, raw.auth_servers.as_ref(), demo),
            Vec::new(),
        ),
    }
}

fn probes(cx: &mut Cx<'_>, raw: &RawSuite, target: Option<&Target>, demo: bool) -> Vec<Probe> {
    let mut probes: Vec<Probe> = raw
        .probes
        .iter()
        .enumerate()
        .filter_map(|(i, p)| super::probes::probe(cx, i, p, demo))
        .collect();
    if let Some(target) = target {
        super::tls::tls_probes_default_to_target(cx, &mut probes, target, &raw.suite.at);
    }
    probes
}

pub fn config(
    raw: RawConfig,
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
) -> Result<Config, Vec<SuiteDiagnostic>> {
    let cx = &mut Cx::new(source, ctx, redactor);
    cx.secrets = super::secrets::secrets(cx, raw.secrets.as_ref());
    cx.has_sut = raw.sut.is_some();
    cx.upstream_names = names(raw.upstreams.as_ref());
    let upstreams = super::upstreams::upstreams(cx, raw.upstreams.as_ref());
    let sut = raw.sut.as_ref().and_then(|s| super::sut::sut(cx, s));
    let target = raw
        .target
        .as_ref()
        .and_then(|t| super::target::target(cx, t));
    let tls = raw
        .target
        .as_ref()
        .map(|t| super::tls::target_tls(cx, t))
        .unwrap_or_default();
    let auth_servers =
        super::oauth::auth_servers(cx, raw.auth_servers.as_ref(), target == Some(Target::Demo));
    cx.setup_captures = super::setup::capture_names(&raw.setup);
    let roles = super::roles::roles(cx, &raw.roles, target == Some(Target::Demo));
    let policy = super::policy::policy(cx, raw.policy.as_ref(), &Pos::UNKNOWN);
    let leakage = super::policy::leakage(cx, raw.leakage.as_ref());
    let setup = super::setup::setup(cx, &raw.setup);
    if !cx.errors.is_empty() {
        return Err(std::mem::take(&mut cx.errors));
    }
    Ok(Config {
        file: source.name.clone(),
        target,
        tls,
        roles,
        auth_servers,
        policy,
        leakage,
        secrets: std::mem::take(&mut cx.secrets),
        setup,
        fail_on_skip: raw.fail_on_skip.as_ref().map(|f| f.value),
        upstreams,
        sut,
    })
}

fn names(
    upstreams: Option<&crate::load::raw::SpannedMap<crate::load::raw::RawUpstream>>,
) -> Vec<String> {
    upstreams
        .iter()
        .flat_map(|m| m.0.iter().map(|(k, _)| k.value.clone()))
        .collect()
}

/// Tags as written, `@` optional.
pub(super) fn tags(raw: &[String]) -> Vec<String> {
    raw.iter()
        .map(|t| t.trim_start_matches('@').to_string())
        .collect()
}
