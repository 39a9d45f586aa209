//! What the pattern-catalogue detectors share: compiled `(kind, regex)` lists, the first
//! match of each kind, and one leak per kind found in a body.

use regex::Regex;

use crate::leak::Leak;

/// Compiles `(kind, pattern)` pairs. A pattern that does not compile is left out rather
/// than panicking; every detector has a test asserting that none is left out.
pub fn compile(patterns: &[(&'static str, &str)]) -> Vec<(&'static str, Regex)> {
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
pub fn body_leaks(
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
