//! The Gherkin front end: parses `.feature` files with the cucumber project's parser and
//! compiles them into the same model the YAML loader produces. Targets and roles come
//! from the `authspec.yaml` that applies (a feature defines no credentials); references
//! in a step's table resolve as they do in YAML.

mod expand;
mod expect;
mod lower;
mod matcher;
mod probes;
pub mod steps;
mod table;

use super::config::Config;
use super::{LoadContext, SourceFile, SuiteDiagnostic};
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
    let Some(config) = config else {
        let mut d = SuiteDiagnostic::new(
            source,
            feature.position.line as u64,
            1,
            "no authspec.yaml applies to this feature",
        );
        d.help("a feature defines no credentials: put `target:` and `roles:` in an authspec.yaml in its directory or a parent, or pass --config FILE");
        return Err(vec![d]);
    };
    let Some(target) = config.target.clone() else {
        let mut d = SuiteDiagnostic::new(
            source,
            feature.position.line as u64,
            1,
            format!("{} has no `target:`", config.file),
        );
        d.help("add `target: demo` or `target: { base_url: … }` to it");
        return Err(vec![d]);
    };
    let mut cx = lower::FeatureCx {
        source,
        ctx,
        redactor,
        demo: target == Target::Demo,
        servers: config.auth_servers.iter().map(|s| s.name.clone()).collect(),
        roles: config.roles.clone(),
        probes: Vec::new(),
        probe_tags: Vec::new(),
        errors: Vec::new(),
    };
    let scenarios = expand::scenarios(&feature)
        .into_iter()
        .filter_map(|s| lower::scenario(&mut cx, &s))
        .collect::<Vec<_>>();
    let lower::FeatureCx {
        roles,
        mut probes,
        probe_tags,
        mut errors,
        ..
    } = cx;
    // A tls probe without `urls` checks the target.
    for p in &mut probes {
        if let crate::model::Probe::Tls(t) = p
            && !t.default_to_target(&target)
        {
            let mut d = SuiteDiagnostic::new(
                source,
                feature.position.line as u64,
                1,
                "a tls probe has no `urls` and the target is not https://",
            );
            d.help("add a row `| urls | https://… |` to its table");
            errors.push(d);
        }
    }
    if scenarios.is_empty() && probes.is_empty() && errors.is_empty() {
        let mut d = SuiteDiagnostic::new(
            source,
            feature.position.line as u64,
            1,
            "this feature has no scenarios",
        );
        d.help("add a `Scenario:` with `Given I am …`, `When I send …` and `Then …` steps, or a probe step");
        errors.push(d);
    }
    if !errors.is_empty() {
        // A Background is part of every scenario and Examples row: report each problem once.
        let mut seen = Vec::new();
        errors.retain(|d| {
            let key = (d.location.line, d.location.column, d.message.clone());
            let new = !seen.contains(&key);
            seen.push(key);
            new
        });
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
        upstreams: Vec::new(),
        sut: None,
    })
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
