//! What the pattern-catalogue detectors share: patterns compiled on first need behind a
//! literal prefilter, the first match of each kind, and one leak per kind found in a body.
//!
//! Most responses hold no leak at all, so the cheap path is the one that matters: each
//! pattern knows literals one of which every match contains (the prefixes `regex-syntax`
//! extracts from it, or ones its detector names), and an Aho-Corasick scan for them tells
//! whether the regex needs to run. A regex no body ever needs is never compiled, which is
//! most of them in most runs (they are large: Unicode classes in every one).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use crate::leak::Leak;

/// A regex compiled when a text first may hold a match.
pub struct Pattern {
    source: &'static str,
    /// Finds the literals one of which every match contains; `None`: none is known, and
    /// the regex runs on every text.
    prefilter: Option<AhoCorasick>,
    regex: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern whose prefilter is the set of prefixes every match starts with, when
    /// that set is finite.
    pub fn new(source: &'static str) -> Self {
        let prefilter = prefixes(source).and_then(|lits| AhoCorasick::new(lits).ok());
        Self {
            source,
            prefilter,
            regex: OnceLock::new(),
        }
    }

    /// A pattern every match of which contains one of `literals` (ASCII case ignored):
    /// for patterns that start with a class or an anchor, where no prefix is known.
    pub fn containing(source: &'static str, literals: &[&str]) -> Self {
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(literals)
            .ok();
        Self {
            source,
            prefilter,
            regex: OnceLock::new(),
        }
    }

    /// The regex, when `text` may hold a match (and it compiles).
    pub fn for_text(&self, text: &str) -> Option<&Regex> {
        if let Some(ac) = &self.prefilter
            && !ac.is_match(text)
        {
            return None;
        }
        self.regex()
    }

    /// Whether the pattern compiles; every detector's tests assert it of each pattern.
    pub fn compiles(&self) -> bool {
        self.regex().is_some()
    }

    /// A pattern that does not compile is left out rather than panicking.
    fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| Regex::new(self.source).ok())
            .as_ref()
    }
}

/// The literals every match of `source` starts with, when there are finitely many and
/// none is empty.
fn prefixes(source: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// `(kind, pattern)` pairs, each compiled on first need.
pub fn compile(patterns: &[(&'static str, &'static str)]) -> Vec<(&'static str, Pattern)> {
    patterns
        .iter()
        .map(|(kind, pattern)| (*kind, Pattern::new(pattern)))
        .collect()
}

/// The first match of each kind in `text`, in pattern order: `(kind, matched text)`.
/// Several patterns may share a kind; a kind is reported once.
fn first_per_kind<'t>(
    patterns: &[(&'static str, Pattern)],
    text: &'t str,
) -> Vec<(&'static str, &'t str)> {
    let mut found: Vec<(&'static str, &'t str)> = Vec::new();
    for (kind, pattern) in patterns {
        if found.iter().any(|(k, _)| k == kind) {
            continue;
        }
        if let Some(m) = pattern.for_text(text).and_then(|re| re.find(text)) {
            found.push((kind, m.as_str().trim_end()));
        }
    }
    found
}

/// One leak per kind found in a body: the shape of the pattern-catalogue detectors
/// (stack traces, database errors). `what` names the finding from its kind.
pub fn body_leaks(
    detector: &'static str,
    patterns: &[(&'static str, Pattern)],
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
mod tests {
    use super::*;

    #[test]
    fn a_prefilter_skips_texts_without_its_literals_and_keeps_the_rest() {
        let p = Pattern::new(r"\bTraceback \(most recent call last\):");
        assert!(p.prefilter.is_some());
        assert!(p.for_text(r#"{"ok":true}"#).is_none());
        let text = "x Traceback (most recent call last): y";
        assert!(p.for_text(text).is_some_and(|re| re.is_match(text)));
        // A leading class has no finite prefix set: the regex runs on every text.
        assert!(Pattern::new(r"[\w./-]+\.go:\d+").prefilter.is_none());
        let c = Pattern::containing(r"(?:^|\s)(C:\\x)", &[":\\"]);
        assert!(c.for_text("no drive").is_none());
        assert!(c.for_text(r" c:\x").is_some());
    }
}
