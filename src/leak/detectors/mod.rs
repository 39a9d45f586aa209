//! The catalogue of leak detectors; `all()` is what the engine runs.

mod database_error;
mod file_path;
mod internal_address;
mod secret_format;
mod stack_trace;
mod version_banner;

use regex::Regex;

pub use secret_format::formats as credential_formats;

use super::{Detector, Leak};

/// Every built-in detector, in report order.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(stack_trace::StackTrace),
        Box::new(database_error::DatabaseError),
        Box::new(file_path::FilePath),
        Box::new(internal_address::InternalAddress),
        Box::new(version_banner::VersionBanner),
        Box::new(secret_format::SecretFormat),
    ]
}

/// Compiles `(kind, pattern)` pairs. A pattern that does not compile is left out rather
/// than panicking; every detector has a test asserting that none is left out.
fn compile(patterns: &[(&'static str, &str)]) -> Vec<(&'static str, Regex)> {
    patterns
        .iter()
        .filter_map(|(kind, pattern)| Regex::new(pattern).ok().map(|re| (*kind, re)))
        .collect()
}

/// The first match of each kind in `text`, in pattern order: `(kind, matched text)`.
/// Several patterns may share a kind; a kind is reported once.
fn first_per_kind<'t>(
    patterns: &[(&'static str, Regex)],
    text: &'t str,
) -> Vec<(&'static str, &'t str)> {
    let mut found: Vec<(&'static str, &'t str)> = Vec::new();
    for (kind, re) in patterns {
        if found.iter().any(|(k, _)| k == kind) {
            continue;
        }
        if let Some(m) = re.find(text) {
            found.push((kind, m.as_str().trim_end()));
        }
    }
    found
}

/// One leak per kind found in a body: the shape of the pattern-catalogue detectors
/// (stack traces, database errors). `what` names the finding from its kind.
fn body_leaks(
    detector: &'static str,
    patterns: &[(&'static str, Regex)],
    body: &str,
    what: impl Fn(&str) -> String,
    cwe: u16,
    owasp: &'static str,
) -> Vec<Leak> {
    first_per_kind(patterns, body)
        .into_iter()
        .map(|(kind, evidence)| Leak {
            detector,
            what: what(kind),
            evidence: evidence.to_string(),
            cwe,
            owasp,
        })
        .collect()
}

#[cfg(test)]
mod testing {
    use crate::leak::{Detector, Leak, Response};

    /// Scans a response with this body and no headers or run secrets.
    pub fn scan_body(detector: &dyn Detector, body: &str) -> Vec<Leak> {
        detector.scan(&Response {
            headers: &[],
            body,
            run_secrets: &[],
            own_hosts: &[],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_snake_case() {
        let ids: Vec<&str> = all().iter().map(|d| d.id()).collect();
        assert_eq!(ids.len(), 6);
        for (i, id) in ids.iter().enumerate() {
            assert!(!ids[i + 1..].contains(id), "duplicate id {id}");
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }

    /// The loader checks `leakage: { ignore: […] }` against the model's list.
    #[test]
    fn the_model_names_every_detector_and_the_canary() {
        let mut ids: Vec<&str> = all().iter().map(|d| d.id()).collect();
        ids.push("secret_canary");
        assert_eq!(crate::model::DETECTOR_IDS, ids.as_slice());
    }
}
