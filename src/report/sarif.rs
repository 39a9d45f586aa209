//! The SARIF 2.1.0 report (`--sarif`), for code-scanning dashboards: one rule per rule id
//! that failed (what it proves, how to fix, its README section, CWE and OWASP API Top 10
//! tags, `security-severity`), one result per failing check with the suite entry as its
//! physical location and the request as its logical location, and a `partialFingerprints`
//! entry that stays the same across runs and shards (rule id, check id and location,
//! with ports taken out). Checks that could not run and reasons the run stopped short are
//! tool execution notifications, not results: they are no finding. A finding a waiver
//! accepted is a result with an `external` suppression (the waiver's reason, owner and
//! date), so a dashboard shows it dismissed rather than fixed. Written with
//! serde-sarif's types from the run's `RunDocument`, then redacted once more as JSON.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{Value, json};
use serde_sarif::sarif;

use super::document::{self, FindingEntry, OutcomeEntry, ResultEntry, SourceLocation, WaiverEntry};
use super::fingerprint::{finding_location, fingerprint, relative_uri};
use super::rules;
use super::run::Report;
use crate::redact::Redactor;
use crate::results::Severity;

/// GitHub code scanning keeps at most this many results of a run; the rest are counted in
/// a notification.
pub const MAX_RESULTS: usize = 25_000;
/// The key of our `partialFingerprints` entry.
pub const FINGERPRINT_KEY: &str = "authspecFinding/v1";
/// The base every artifact `uri` is relative to: the directory authspec ran in.
pub const SRCROOT: &str = "%SRCROOT%";

pub fn write(report: &Report<'_>, sink: &mut dyn Write) -> std::io::Result<()> {
    render(report.document(), report.redactor, sink)
}

/// The SARIF log of `doc` (a run's, or shards' merged).
pub fn render(
    doc: &document::RunDocument,
    redactor: &Redactor,
    sink: &mut dyn Write,
) -> std::io::Result<()> {
    // Only what the log shows is read out of the results: findings and errors.
    let mut shown = Vec::new();
    for r in doc.results.iter() {
        let r = r?;
        if !matches!(
            r.outcome,
            OutcomeEntry::Pass | OutcomeEntry::Skipped { waiver: None, .. }
        ) {
            shown.push(r);
        }
    }
    let value = serde_json::to_value(log(doc, &shown)).map_err(std::io::Error::other)?;
    super::json::pretty(super::json::redacted(value, redactor), sink)
}

/// The log of `doc`, whose findings and errors are `shown`.
fn log(doc: &document::RunDocument, shown: &[Cow<'_, ResultEntry>]) -> sarif::Sarif {
    // A finding a waiver accepted is still a result, suppressed (GitHub shows it as
    // dismissed), not gone.
    let failing: Vec<(&ResultEntry, &FindingEntry, Option<&WaiverEntry>)> = shown
        .iter()
        .map(|r| r.as_ref())
        .filter_map(|r| match &r.outcome {
            OutcomeEntry::Fail { finding } => Some((r, &**finding, None)),
            OutcomeEntry::Skipped {
                waiver: Some(w), ..
            } => Some((r, &w.finding, Some(&**w))),
            _ => None,
        })
        .collect();
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut descriptors = Vec::new();
    for (_, f, _) in &failing {
        if !rule_ids.contains(&f.rule.as_str()) {
            rule_ids.push(&f.rule);
            descriptors.push(rule(f));
        }
    }
    let results: Vec<sarif::Result> = failing
        .iter()
        .take(MAX_RESULTS)
        .map(|(r, f, waiver)| {
            let index = rule_ids.iter().position(|id| *id == f.rule).unwrap_or(0);
            let mut out = result(r, f, index);
            out.suppressions = waiver.map(|w| vec![suppression(w)]);
            out
        })
        .collect();
    let mut notes = notifications(doc, shown);
    if failing.len() > MAX_RESULTS {
        notes.push(note(
            "warning",
            &format!(
                "{} more failing checks are not listed: a SARIF upload keeps at most {MAX_RESULTS}",
                failing.len() - MAX_RESULTS
            ),
            None,
        ));
    }
    let successful = matches!(
        doc.summary.exit_code,
        crate::exit_codes::SUCCESS | crate::exit_codes::CHECKS_FAILED
    );
    let invocation = sarif::Invocation::builder()
        .execution_successful(successful)
        .exit_code(i64::from(doc.summary.exit_code))
        .tool_execution_notifications(notes)
        .build();
    let driver = sarif::ToolComponent::builder()
        .name("authspec")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors)
        .build();
    let mut driver = driver;
    driver.information_uri = home();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .build();
    sarif::Sarif::builder()
        .schema(sarif::SCHEMA_URL)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// Where the README lives, when the package says (`repository`, else `homepage`, in
/// Cargo.toml); without either, rules carry no `helpUri` (their help names the README
/// section instead).
fn home() -> Option<String> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|u| !u.is_empty())
        .map(|u| u.trim_end_matches('/').to_string())
}

/// SARIF's `security-severity` (GitHub: 9+ critical, 7+ high, 4+ medium, else low).
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn level(s: Severity) -> sarif::ResultLevel {
    match s {
        Severity::Critical | Severity::High => sarif::ResultLevel::Error,
        Severity::Medium => sarif::ResultLevel::Warning,
        Severity::Low | Severity::Info => sarif::ResultLevel::Note,
    }
}

fn rule(f: &FindingEntry) -> sarif::ReportingDescriptor {
    let words = rules::text(&f.rule);
    let mut tags = vec!["security".to_string()];
    tags.extend(f.cwe.iter().map(|c| format!("external/cwe/cwe-{c}")));
    if let Some(owasp) = &f.owasp {
        // `API1:2023 Broken Object Level Authorization` → `owasp-api-top10/API1:2023`.
        let item = owasp.split_whitespace().next().unwrap_or(owasp);
        tags.push(format!("external/owasp-api-top10/{item}"));
    }
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".to_string(),
        Value::from(security_severity(f.severity)),
    );
    extra.insert("precision".to_string(), Value::from("high"));
    extra.insert(
        "problem.severity".to_string(),
        Value::from(level_name(f.severity)),
    );
    if let Some(owasp) = &f.owasp {
        extra.insert("owasp".to_string(), Value::from(owasp.as_str()));
    }
    let properties = sarif::PropertyBag::builder()
        .tags(tags)
        .additional_properties(extra)
        .build();
    let readme = format!("README.md#{}", words.anchor);
    let help = sarif::MultiformatMessageString::builder()
        .text(format!("{} See {readme}.", words.full))
        .markdown(format!("{}\n\nSee [the README]({readme}).", words.full))
        .build();
    let cwe_text = match f.cwe.as_slice() {
        [] => String::new(),
        cwes => {
            let list: Vec<String> = cwes.iter().map(|c| format!("CWE-{c}")).collect();
            format!(" ({})", list.join(", "))
        }
    };
    let mut descriptor = sarif::ReportingDescriptor::builder()
        .id(f.rule.as_str())
        .name(words.name)
        .short_description(
            sarif::MultiformatMessageString::builder()
                .text(words.short)
                .build(),
        )
        .full_description(
            sarif::MultiformatMessageString::builder()
                .text(format!("{}{cwe_text}", words.full))
                .build(),
        )
        .help(help)
        .default_configuration(
            sarif::ReportingConfiguration::builder()
                .level(json!(level_name(f.severity)))
                .build(),
        )
        .properties(properties)
        .build();
    descriptor.help_uri = home().map(|h| format!("{h}#{}", words.anchor));
    descriptor
}

fn level_name(s: Severity) -> &'static str {
    match level(s) {
        sarif::ResultLevel::Error => "error",
        sarif::ResultLevel::Warning => "warning",
        sarif::ResultLevel::Note => "note",
        sarif::ResultLevel::None => "none",
    }
}

fn result(r: &ResultEntry, f: &FindingEntry, rule_index: usize) -> sarif::Result {
    let at = finding_location(r, f);
    let region = sarif::Region::builder()
        .start_line(to_i64(at.line.max(1)))
        .start_column(to_i64(at.column.max(1)))
        .build();
    let artifact = sarif::ArtifactLocation::builder()
        .uri(relative_uri(&at.file))
        .uri_base_id(SRCROOT)
        .build();
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(artifact)
        .region(region)
        .build();
    let request = f
        .evidence
        .request
        .as_ref()
        .map(|q| format!("{} {}", q.method, q.url))
        .unwrap_or_else(|| r.name.clone());
    let logical = sarif::LogicalLocation::builder()
        .name(request)
        .fully_qualified_name(format!("{} › {}", r.suite, r.name))
        .kind("resource")
        .build();
    let location = sarif::Location::builder()
        .physical_location(physical)
        .logical_locations(vec![logical])
        .build();
    let text = if f.message.trim().is_empty() {
        r.name.clone()
    } else {
        format!("{}: {}", r.name, f.message)
    };
    let mut markdown = format!("**{}**\n\n{}", md(&r.name), md(&f.message));
    if !f.evidence.text.is_empty() {
        markdown.push_str(&format!(
            "\n\n```\n{}\n```",
            f.evidence.text.replace("```", "'''")
        ));
    }
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(FINGERPRINT_KEY.to_string(), fingerprint(r, f));
    let mut extra = BTreeMap::new();
    extra.insert("checkId".to_string(), Value::from(r.id.as_str()));
    extra.insert("suite".to_string(), Value::from(r.suite.as_str()));
    extra.insert(
        "kind".to_string(),
        serde_json::to_value(f.kind).unwrap_or_default(),
    );
    let properties = sarif::PropertyBag::builder()
        .tags(r.tags.clone())
        .additional_properties(extra)
        .build();
    sarif::Result::builder()
        .rule_id(f.rule.as_str())
        .rule_index(to_i64(rule_index as u64))
        .level(level(f.severity))
        .message(
            sarif::Message::builder()
                .text(text)
                .markdown(markdown)
                .build(),
        )
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(properties)
        .build()
}

/// A waiver as SARIF says it: an `external` suppression (it lives outside the suite)
/// with the waiver's reason as justification.
fn suppression(w: &WaiverEntry) -> sarif::Suppression {
    let mut extra = BTreeMap::new();
    extra.insert("owner".to_string(), Value::from(w.owner.as_str()));
    extra.insert("expires".to_string(), Value::from(w.expires.as_str()));
    extra.insert("waiver".to_string(), Value::from(w.at.as_str()));
    sarif::Suppression::builder()
        .kind(json!("external"))
        .status(json!("accepted"))
        .justification(format!(
            "{} (owner {}, until {})",
            w.reason, w.owner, w.expires
        ))
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(extra)
                .build(),
        )
        .build()
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Markdown-inert text: SARIF viewers render `message.markdown`.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]<>()#+-.!|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Errors and run problems: no finding, but a reader of the dashboard must know the run
/// did not judge everything.
fn notifications(
    doc: &document::RunDocument,
    shown: &[Cow<'_, ResultEntry>],
) -> Vec<sarif::Notification> {
    let mut out = Vec::new();
    for r in shown {
        if let OutcomeEntry::Error { error } = &r.outcome {
            let at = r.location.as_ref().map(location_of);
            out.push(note(
                "error",
                &format!("{} could not be judged: {}", r.name, error.message),
                at,
            ));
        }
    }
    for p in &doc.problems {
        out.push(note("error", &format!("{}: {}", p.name, p.message), None));
    }
    for text in super::coverage::notes(&doc.coverage) {
        out.push(note("note", &text, None));
    }
    out
}

fn location_of(l: &SourceLocation) -> sarif::Location {
    let physical = sarif::PhysicalLocation::builder()
        .artifact_location(
            sarif::ArtifactLocation::builder()
                .uri(relative_uri(&l.file))
                .uri_base_id(SRCROOT)
                .build(),
        )
        .region(
            sarif::Region::builder()
                .start_line(to_i64(l.line.max(1)))
                .start_column(to_i64(l.column.max(1)))
                .build(),
        )
        .build();
    sarif::Location::builder()
        .physical_location(physical)
        .build()
}

fn note(level: &str, text: &str, at: Option<sarif::Location>) -> sarif::Notification {
    let text = if text.trim().is_empty() {
        "(no message)"
    } else {
        text
    };
    let mut n = sarif::Notification::builder()
        .level(json!(level))
        .message(sarif::Message::builder().text(text).build())
        .build();
    n.locations = at.map(|l| vec![l]);
    n
}
