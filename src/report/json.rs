//! The `--json` report: the run's `RunDocument`, pretty-printed. Every string in it was
//! redacted when the document was built, and once more here, last, on the JSON value
//! itself (object keys too), so nothing a later field adds can escape the redactor. The
//! results are written one entry at a time, as they are read back: a run's document is
//! never one JSON value in memory.

use std::io::Write;

use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::document::{self, Results, RunDocument};
use super::run::Report;
use crate::redact::Redactor;

pub fn write(report: &Report<'_>, sink: &mut dyn Write) -> std::io::Result<()> {
    render(report.document(), report.redactor, sink)
}

/// The JSON file of `doc` (a run's, or shards' merged).
pub fn render(
    doc: &RunDocument,
    redactor: &Redactor,
    mut sink: &mut dyn Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut sink, &Streamed { doc, redactor })
        .map_err(std::io::Error::other)?;
    sink.write_all(b"\n")
}

/// `doc` as `serde_json::to_value` then `redacted` would write it, one field (and one
/// result) at a time: the keys in the order a JSON value keeps them (sorted), each value
/// redacted whole.
struct Streamed<'a> {
    doc: &'a RunDocument,
    redactor: &'a Redactor,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.doc;
        let r = self.redactor;
        let mut map = s.serialize_map(Some(7))?;
        // Sorted, as a `serde_json::Map` iterates; a test holds this to `to_value`.
        map.serialize_entry(&r.redact("coverage"), &Redacted(&d.coverage, r))?;
        map.serialize_entry(&r.redact("problems"), &Redacted(&d.problems, r))?;
        map.serialize_entry(&r.redact("results"), &Each(&d.results, r))?;
        map.serialize_entry(&r.redact("run"), &Redacted(&d.run, r))?;
        map.serialize_entry(&r.redact("schema_version"), &d.schema_version)?;
        map.serialize_entry(&r.redact("summary"), &Redacted(&d.summary, r))?;
        map.serialize_entry(&r.redact("tool"), &Redacted(&d.tool, r))?;
        map.end()
    }
}

/// A value, as its redacted JSON value.
struct Redacted<'a, T>(&'a T, &'a Redactor);

impl<T: Serialize> Serialize for Redacted<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.0).map_err(S::Error::custom)?;
        redacted(value, self.1).serialize(s)
    }
}

/// The results, each read back and written redacted, one at a time.
struct Each<'a>(&'a Results, &'a Redactor);

impl Serialize for Each<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for r in self.0.iter() {
            let r = r.map_err(S::Error::custom)?;
            seq.serialize_element(&Redacted(r.as_ref(), self.1))?;
        }
        seq.end()
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::document::{Counts, ResultEntry, RunInfo, Tool};

    #[test]
    fn the_streamed_document_is_the_redacted_json_value_of_the_whole() {
        let redactor = Redactor::new();
        redactor.add("test", "fake-secret-value-for-json-test");
        let entry: ResultEntry = serde_json::from_value(serde_json::json!({
            "id": "s.yaml#access[0].allow.reader", "plan_index": 0, "suite": "s",
            "file": "s.yaml", "name": "GET /x fake-secret-value-for-json-test",
            "location": null, "tags": ["a"], "duration_seconds": 0.25,
            "outcome": {"status": "pass"}, "warnings": [], "info": []
        }))
        .unwrap();
        let doc = RunDocument {
            schema_version: document::SCHEMA_VERSION,
            tool: Tool {
                name: "authspec".into(),
                version: "0".into(),
            },
            run: RunInfo {
                filter: Some("fake-secret-value-for-json-test".into()),
                ..RunInfo::default()
            },
            summary: Counts {
                total: 1,
                passed: 1,
                failed: 0,
                errors: 0,
                skipped: 0,
                exit_code: 0,
                duration_seconds: 1.5,
            },
            results: vec![entry.clone(), entry].into(),
            problems: Vec::new(),
            coverage: Vec::new(),
        };
        let mut streamed = Vec::new();
        render(&doc, &redactor, &mut streamed).unwrap();
        let mut whole = Vec::new();
        let value = serde_json::to_value(&doc).unwrap();
        pretty(redacted(value, &redactor), &mut whole).unwrap();
        let streamed = String::from_utf8(streamed).unwrap();
        assert_eq!(streamed, String::from_utf8(whole).unwrap());
        assert!(!streamed.contains("fake-secret-value"), "{streamed}");
    }
}
