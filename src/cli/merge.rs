//! `authspec merge`: the `--json` reports of a run's shards into the reports of the whole
//! run (`--junit`, `--sarif`, `--json`, `--html`), written from the merged document by the
//! same writers a run uses. Exits with the merged run's code (0, 1, 3), so a CI job gates
//! on it; a file that is not a shard report of this authspec, or shards of different
//! runs, is invalid input (exit 2, naming the file), and the reports say so.

use std::path::Path;
use std::sync::Arc;

use super::args::MergeArgs;
use super::output::Out;
use super::report::RunReport;
use crate::redact::Redactor;
use crate::report::RunProblem;
use crate::report::document::{RunDocument, SCHEMA_VERSION};
use crate::report::merge::{MergeError, Shard, merge as combine};

/// `<error type>` of a merge input that cannot be merged.
pub const INVALID_REPORT: &str = "authspec.invalid_report";

pub fn merge(args: MergeArgs) -> u8 {
    // No secret of the shards' runs is known here; their documents were redacted when
    // written, and well-known credential formats are still caught on the way out.
    let out = Out::new(Arc::new(Redactor::new()));
    let report = match RunReport::open_over(&args.reports, &args.files, &out) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let shards: Result<Vec<Shard>, MergeError> = args.files.iter().map(|f| read(f)).collect();
    let merged = shards.and_then(combine);
    let doc = match merged {
        Ok(doc) => doc,
        Err(e) => {
            out.error(&e);
            return report.invalid(&[RunProblem {
                name: format!("merge {}", e.file),
                kind: INVALID_REPORT,
                message: e.to_string(),
                detail: String::new(),
            }]);
        }
    };
    let s = &doc.summary;
    out.say(&format!(
        "merged {} reports: {} checks, {} passed, {} failed, {} errors, {} skipped",
        args.files.len(),
        s.total,
        s.passed,
        s.failed,
        s.errors,
        s.skipped
    ));
    for p in &doc.problems {
        out.line(&format!("{}: {}", p.name, p.message));
    }
    report.write_document(&doc)
}

/// One shard's document, or why `path` holds none.
fn read(path: &Path) -> Result<Shard, MergeError> {
    let file = path.display().to_string();
    let refuse = |reason: String| MergeError {
        file: file.clone(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| refuse(format!("cannot read it: {e}")))?;
    let not_ours = |why: String| {
        refuse(format!(
            "is not an authspec JSON report (`authspec run --json FILE` writes one): {why}"
        ))
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| not_ours(format!("not JSON: {e}")))?;
    if value.pointer("/tool/name").and_then(|v| v.as_str()) != Some("authspec") {
        return Err(not_ours("no `tool.name: authspec`".into()));
    }
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(refuse(format!(
                "has schema_version {v}; this authspec reads schema_version {SCHEMA_VERSION}: \
                 merge reports written by the same authspec"
            )));
        }
        None => return Err(not_ours("no `schema_version`".into())),
    }
    let doc: RunDocument = serde_json::from_value(value).map_err(|e| not_ours(e.to_string()))?;
    Ok(Shard { file, doc })
}
