//! The `--json` report: the run's `RunDocument`, pretty-printed. Every string in it was
//! redacted when the document was built, and once more here, last, on the JSON value
//! itself (object keys too), so nothing a later field adds can escape the redactor.

use std::io::Write;

use serde_json::Value;

use super::document::{self, RunDocument};
use super::run::Report;
use crate::redact::Redactor;

pub fn write(report: &Report<'_>, sink: &mut dyn Write) -> std::io::Result<()> {
    render(report.document(), report.redactor, sink)
}

/// The JSON file of `doc` (a run's, or shards' merged).
pub fn render(doc: &RunDocument, redactor: &Redactor, sink: &mut dyn Write) -> std::io::Result<()> {
    let value = serde_json::to_value(doc).map_err(std::io::Error::other)?;
    pretty(redacted(value, redactor), sink)
}

/// The schema `authspec schema results` prints.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(&document::schema()).unwrap_or_default()
}

pub(super) fn pretty(value: Value, mut sink: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut sink, &value).map_err(std::io::Error::other)?;
    sink.write_all(b"\n")
}

/// Every string of `value`, keys included, through the redactor.
pub(super) fn redacted(value: Value, redactor: &Redactor) -> Value {
    match value {
        Value::String(s) => Value::String(redactor.redact(&s)),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| redacted(v, redactor)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (redactor.redact(&k), redacted(v, redactor)))
                .collect(),
        ),
        other => other,
    }
}
