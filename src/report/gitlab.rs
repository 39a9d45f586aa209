//! GitLab's security report (`--gitlab-sast FILE`, the SAST format of GitLab's
//! security-report schemas, v15), for a pipeline's `artifacts: reports: sast:`: GitLab
//! reads neither SARIF nor JUnit findings into its vulnerability report and merge-request
//! widget. One vulnerability per failing check, at the suite line that wrote the broken
//! rule, identified by the rule id and its CWEs, with the id SARIF fingerprints it by (the
//! same finding keeps its id across runs and shards, so GitLab tracks it, not a new one
//! per pipeline). A waived finding is left out: GitLab dismisses findings in its own UI.

use std::io::Write;

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::document::{FindingEntry, OutcomeEntry, ResultEntry, RunDocument};
use super::fingerprint::{finding_location, fingerprint, relative_uri};
use crate::redact::Redactor;
use crate::results::Severity;

/// The schema version written, and where GitLab publishes it.
pub const VERSION: &str = "15.0.7";
const SCHEMA: &str = "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.7/dist/sast-report-format.json";

pub fn render(doc: &RunDocument, redactor: &Redactor, sink: &mut dyn Write) -> std::io::Result<()> {
    let mut vulnerabilities = Vec::new();
    for r in doc.results.iter() {
        let r = r?;
        if let OutcomeEntry::Fail { finding } = &r.outcome {
            vulnerabilities.push(vulnerability(&r, finding));
        }
    }
    let value = report(doc, vulnerabilities, OffsetDateTime::now_utc());
    super::json::pretty(super::json::redacted(value, redactor), sink)
}

fn report(doc: &RunDocument, vulnerabilities: Vec<Value>, end: OffsetDateTime) -> Value {
    let start = end - time::Duration::seconds_f64(doc.summary.duration_seconds.max(0.0));
    let tool = json!({
        "id": "authspec",
        "name": "authspec",
        "version": env!("CARGO_PKG_VERSION"),
        "vendor": { "name": "authspec" },
    });
    // `success`: the run judged what it could; a run that stopped short says so.
    let status = if doc.problems.is_empty() {
        "success"
    } else {
        "failure"
    };
    json!({
        "version": VERSION,
        "schema": SCHEMA,
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "sast",
            "start_time": timestamp(start),
            "end_time": timestamp(end),
            "status": status,
        },
        "vulnerabilities": vulnerabilities,
    })
}

fn vulnerability(r: &ResultEntry, f: &FindingEntry) -> Value {
    let at = finding_location(r, f);
    let mut identifiers = vec![json!({
        "type": "authspec_rule",
        "name": format!("authspec {}", f.rule),
        "value": f.rule,
    })];
    identifiers.extend(f.cwe.iter().map(|c| {
        json!({
            "type": "cwe",
            "name": format!("CWE-{c}"),
            "value": c.to_string(),
            "url": format!("https://cwe.mitre.org/data/definitions/{c}.html"),
        })
    }));
    let mut description = f.message.clone();
    if !f.evidence.text.is_empty() {
        description.push_str("\n\n");
        description.push_str(&f.evidence.text);
    }
    let words = super::rules::text(&f.rule);
    json!({
        "id": uuid(&fingerprint(r, f)),
        "name": cut(&format!("{}: {}", r.name, words.short), 255),
        "description": cut(&description, 1_048_576),
        "solution": cut(&words.full, 7_000),
        "severity": severity(f.severity),
        "identifiers": identifiers,
        "location": {
            "file": relative_uri(&at.file),
            "start_line": at.line.max(1),
        },
    })
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// The 32 hex digits of a fingerprint as a UUID (what the schema recommends for `id`).
fn uuid(hex: &str) -> String {
    let h = format!("{hex:0<32}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// At most `max` characters (the schema's bound), cut on a character boundary.
fn cut(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// `2026-12-02T16:00:00`: the schema's pattern, without a zone (UTC).
fn timestamp(t: OffsetDateTime) -> String {
    let t = t
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t);
    let text = t.format(&Rfc3339).unwrap_or_default();
    text.trim_end_matches('Z').to_string()
}
