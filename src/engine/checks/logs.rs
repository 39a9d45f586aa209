//! Service log rules. Before the first request each log's size is noted; after the last,
//! only what the run appended is read. No credential or token of the run may be there in
//! any encoding (CWE-532), and failed authentications must be recorded (CWE-778).

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::engine::request::context::Context;
use crate::model::LogRule;
use crate::plan::LogCheck;
use crate::results::rule as rules;
use crate::results::{CheckError, ErrorKind, Evidence, Finding, HarnessError, Outcome};

/// Reading more than this of a log appended during one run would mean something else is
/// wrong; the rest is not read.
const MAX_APPENDED: u64 = 64 << 20;

/// Where each log ended before the run (0 for a log that did not exist yet).
pub fn offsets(rules: impl IntoIterator<Item = PathBuf>) -> HashMap<PathBuf, u64> {
    rules
        .into_iter()
        .map(|p| {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            (p, len)
        })
        .collect()
}

fn appended(path: &Path, from: u64) -> Result<(String, bool), HarnessError> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| HarnessError::io(format!("cannot read the log {}", path.display()), &e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    // A log that shrank was rotated: everything in it is new.
    let (start, rotated) = if len < from { (0, true) } else { (from, false) };
    file.seek(SeekFrom::Start(start))
        .map_err(|e| HarnessError::io("", &e))?;
    let mut bytes = Vec::new();
    file.take(MAX_APPENDED)
        .read_to_end(&mut bytes)
        .map_err(|e| HarnessError::io("", &e))?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), rotated))
}

pub fn check(
    ctx: &Context,
    rule: &LogRule,
    which: LogCheck,
    offsets: &HashMap<PathBuf, u64>,
) -> (Outcome, Vec<String>) {
    let from = offsets.get(&rule.path).copied().unwrap_or(0);
    let (text, rotated) = match appended(&rule.path, from) {
        Ok(t) => t,
        Err(e) => {
            let evidence = Evidence {
                notes: vec![format!("log: {}", rule.shown)],
                ..Evidence::default()
            };
            let message = e.to_string();
            let e = CheckError::new(ErrorKind::Harness(e), message, evidence);
            return (Outcome::Error(e), Vec::new());
        }
    };
    let info = vec![format!(
        "{} bytes appended during the run{}",
        text.len(),
        if rotated {
            " (the log was rotated; read from its start)"
        } else {
            ""
        }
    )];
    let outcome = match which {
        LogCheck::NoSecrets => {
            let found = ctx.redactor.occurrences(&text);
            if found.is_empty() {
                Outcome::Pass
            } else {
                let lines: Vec<String> = text
                    .lines()
                    .filter(|l| !ctx.redactor.occurrences(l).is_empty())
                    .take(5)
                    .map(|l| format!("  {}", ctx.redactor.redact(l)))
                    .collect();
                let message = format!(
                    "the log holds credentials of this run: {} (CWE-532)",
                    found.join(", ")
                );
                let mut notes = vec![format!("log: {}", rule.shown), "lines:".to_string()];
                notes.extend(lines);
                let evidence = Evidence {
                    notes,
                    ..Evidence::default()
                };
                Outcome::Fail(Finding::of(&rules::LOG_NO_SECRETS, message, evidence))
            }
        }
        LogCheck::Records => {
            let missing: Vec<&String> = rule
                .must_record
                .iter()
                .filter(|t| !text.contains(t.as_str()))
                .collect();
            if missing.is_empty() {
                Outcome::Pass
            } else {
                let shown: Vec<String> = missing.iter().map(|t| format!("{t:?}")).collect();
                let message = format!("the log does not record {} (CWE-778)", shown.join(", "));
                let evidence = Evidence {
                    notes: vec![
                        format!("log: {}", rule.shown),
                        "failed authentications must be audited".to_string(),
                    ],
                    ..Evidence::default()
                };
                Outcome::Fail(Finding::of(&rules::LOG_RECORDS, message, evidence))
            }
        }
    };
    (outcome, info)
}
