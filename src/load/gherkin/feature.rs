//! Compiles one `.feature` file into a suite: targets, roles and policy from the
//! `authspec.yaml` that applies (a feature defines no credentials), scenarios and probes
//! from its steps, and a parse error explained at its position.

use super::{expand, scenario};
use crate::load::config::Config;
use crate::load::lower;
use crate::load::raw::Pos;
use crate::load::{LoadContext, SourceFile, SuiteDiagnostic};
use crate::model::{Policy, Suite, Target};
use crate::redact::Redactor;

pub fn load(
    source: &SourceFile,
    ctx: &LoadContext,
    redactor: &Redactor,
    config: Option<&Config>,
) -> Result<Suite, Vec<SuiteDiagnostic>> {
    let feature = match gherkin::Feature::parse(&*source.text, gherkin::GherkinEnv::default()) {
        Ok(f) => f,
        Err(e) => return Err(vec![parse_error(source, &e)]),
    };
    let (config, target) = applying_config(source, &feature, config)?;
    let mut cx = scenario::FeatureCx {
        source,
        ctx,
        redactor,
        demo: target == Target::Demo,
        servers: config.auth_servers.iter().map(|s| s.name.clone()).collect(),
        roles: config.roles.clone(),
        probes: Vec::new(),
        probe_tags: Vec::new(),
        errors: Vec::new(),
        tables: Default::default(),
        secrets: config.secrets.clone(),
        upstreams: config.upstreams.iter().map(|u| u.name.clone()).collect(),
        has_sut: config.sut.is_some(),
        run_vars: std::iter::once(crate::model::template::RUN_ID.to_string())
            .chain(config.setup.iter().flat_map(|s| s.captured()))
            .collect(),
    };
    let scenarios = expand::scenarios(&feature)
        .into_iter()
        .filter_map(|s| scenario::scenario(&mut cx, &s))
        .collect::<Vec<_>>();
    let start = Pos::new(feature.position.line as u64, 1);
    let mut probes = std::mem::take(&mut cx.probes);
    cx.lower(|l| lower::tls_probes_default_to_target(l, &mut probes, &target, &start));
    let scenario::FeatureCx {
        roles,
        probe_tags,
        mut errors,
        ..
    } = cx;
    let at = |message: &str, help: &str| {
        let mut d = SuiteDiagnostic::at(source, &start, message);
        d.help(help);
        d
    };
    if scenarios.is_empty() && probes.is_empty() && errors.is_empty() {
        errors.push(at(
            "this feature has no scenarios",
            "add a `Scenario:` with `Given I am …`, `When I send …` and `Then …` steps, or a probe step",
        ));
    }
    if !errors.is_empty() {
        let mut errors = once_each(errors);
        SuiteDiagnostic::share_masks(source, &mut errors);
        return Err(errors);
    }
    Ok(Suite {
        name: feature.name.trim().to_string(),
        file: source.name.clone(),
        target,
        tls: config.tls.clone(),
        roles,
        auth_servers: config.auth_servers.clone(),
        policy: config.policy.clone().unwrap_or_else(Policy::default),
        access: Vec::new(),
        scenarios,
        probes,
        probe_tags,
        logs: Vec::new(),
        tags: feature.tags.clone(),
        leakage: config.leakage.clone().unwrap_or_default(),
        upstreams: config.upstreams.clone(),
        sut: config.sut.clone(),
        setup: config.setup.clone(),
        fail_on_skip: config.fail_on_skip.unwrap_or(false),
        openapi: None,
    })
}

/// The `authspec.yaml` that gives this feature its target and roles, and that target.
fn applying_config<'c>(
    source: &SourceFile,
    feature: &gherkin::Feature,
    config: Option<&'c Config>,
) -> Result<(&'c Config, Target), Vec<SuiteDiagnostic>> {
    let line = feature.position.line as u64;
    let Some(config) = config else {
        let mut d =
            SuiteDiagnostic::new(source, line, 1, "no authspec.yaml applies to this feature");
        d.help("a feature defines no credentials: put `target:` and `roles:` in an authspec.yaml in its directory or a parent, or pass --config FILE");
        return Err(vec![d]);
    };
    let Some(target) = config.target.clone() else {
        let mut d =
            SuiteDiagnostic::new(source, line, 1, format!("{} has no `target:`", config.file));
        d.help("add `target: demo` or `target: { base_url: … }` to it");
        return Err(vec![d]);
    };
    Ok((config, target))
}

/// A Background is part of every scenario and Examples row: each problem is reported once.
fn once_each(mut errors: Vec<SuiteDiagnostic>) -> Vec<SuiteDiagnostic> {
    let mut seen = std::collections::HashSet::new();
    errors.retain(|d| seen.insert((d.location.line, d.location.column, d.message.clone())));
    errors
}

/// The parser reports `Error at LINE:COL: {expected tokens}`; keep the position, explain
/// the rule.
fn parse_error(source: &SourceFile, e: &gherkin::ParseError) -> SuiteDiagnostic {
    let text = e.to_string();
    let position = text
        .strip_prefix("Error at ")
        .and_then(|r| r.split(':').next().zip(r.split(':').nth(1)))
        .and_then(|(l, c)| Some((l.trim().parse::<u64>().ok()?, c.trim().parse::<u64>().ok()?)));
    let (line, column) = position.unwrap_or((1, 1));
    let mut d = SuiteDiagnostic::new(
        source,
        line.max(1),
        column.max(1),
        "this is not valid Gherkin",
    );
    d.help(
        "each line is a keyword (Feature, Rule, Background, Scenario, Scenario Outline, Examples, \
         Given, When, Then, And, But), a tag, a table row, a doc string, a comment, or a \
         description right under Feature/Rule/Scenario",
    );
    d
}
