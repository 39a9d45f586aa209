//! What the pattern-catalogue detectors share: patterns compiled on first need behind a
//! literal prefilter, the first match of each kind, and one leak per kind found in a body.
//!
//! Most responses hold no leak at all, so the cheap path is the one that matters: each
//! pattern knows literals one of which every match contains (the prefixes `regex-syntax`
//! extracts from it, or ones its detector names), and an Aho-Corasick scan for them tells
//! whether the regex needs to run. A catalogue scans for the literals of all its patterns
//! in one pass. A regex no body ever needs is never compiled, which is
//! most of them in most runs (they are large: Unicode classes in every one).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

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
    /// A pattern whose prefilter is the literals every match contains, when they are
    /// known (`required_literals`).
    pub fn new(source: &'static str) -> Self {
        let prefilter = required_literals(source).and_then(|lits| AhoCorasick::new(lits).ok());
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

/// Literals one of which every match of `source` contains: the prefixes every match
/// starts with, when there are finitely many and none is empty; else those of the piece
/// of its top-level sequence with the longest such prefixes (`.go:` in
/// `[\w./-]+\.go:\d+`), which every match holds somewhere.
fn required_literals(source: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    prefixes(&hir).or_else(|| {
        let mut hir = &hir;
        while let HirKind::Capture(c) = hir.kind() {
            hir = &c.sub;
        }
        let HirKind::Concat(parts) = hir.kind() else {
            return None;
        };
        parts
            .iter()
            .filter_map(prefixes)
            .max_by_key(|lits| lits.iter().map(Vec::len).min())
    })
}

/// The literals every match of `hir` starts with, when there are finitely many and none
/// is empty.
fn prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// Patterns with a kind each, and one automaton over the literals of all of them, so a
/// text is scanned once for every pattern's prefilter rather than once per pattern.
pub struct Catalogue {
    /// Without prefilters of their own: `literals` stands for them all.
    patterns: Vec<(&'static str, Pattern)>,
    /// The patterns with no literals, which run on every text.
    always: Candidates,
    /// The literals of every pattern that has them (as `Pattern::new` finds them).
    literals: Option<AhoCorasick>,
    /// By literal of `literals`: the index of its pattern.
    owner: Vec<usize>,
}

/// The patterns of a `Catalogue` a text may match: a bit per pattern.
#[derive(Clone, Copy)]
pub struct Candidates([u64; Catalogue::MAX / 64]);

impl Candidates {
    /// A pattern past `Catalogue::MAX` is always a candidate.
    pub fn has(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_none_or(|word| word & (1 << (index % 64)) != 0)
    }

    fn set(&mut self, index: usize) {
        if let Some(word) = self.0.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }
}

impl Catalogue {
    /// Patterns past this many run on every text (the largest catalogue holds about 60).
    const MAX: usize = 256;

    /// `(kind, pattern)` pairs, each compiled on first need.
    pub fn new(sources: &[(&'static str, &'static str)]) -> Self {
        let mut literals = Vec::new();
        let mut owner = Vec::new();
        let mut always = Candidates([0; Self::MAX / 64]);
        for (i, (_, source)) in sources.iter().enumerate() {
            match required_literals(source) {
                Some(found) => {
                    owner.extend(std::iter::repeat_n(i, found.len()));
                    literals.extend(found);
                }
                None => always.set(i),
            }
        }
        let literals = AhoCorasick::new(literals).ok();
        if literals.is_none() {
            always = Candidates([u64::MAX; Self::MAX / 64]);
        }
        Self {
            patterns: sources
                .iter()
                .map(|(kind, source)| {
                    let pattern = Pattern {
                        source,
                        prefilter: None,
                        regex: OnceLock::new(),
                    };
                    (*kind, pattern)
                })
                .collect(),
            always,
            literals,
            owner,
        }
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(&'static str, Pattern)> {
        self.patterns.iter()
    }

    /// The patterns `text` may match, in one pass over it: those whose literals occur in
    /// it, and those without literals (which run on every text).
    pub fn candidates(&self, text: &str) -> Candidates {
        let mut may = Candidates(self.always.0);
        if let Some(ac) = &self.literals {
            for m in ac.find_overlapping_iter(text) {
                if let Some(&i) = self.owner.get(m.pattern().as_usize()) {
                    may.set(i);
                }
            }
        }
        may
    }

    /// The regex of the pattern at `index`, when it compiles.
    pub fn regex(&self, index: usize) -> Option<&Regex> {
        self.patterns.get(index)?.1.regex()
    }

    /// Each pattern `text` may match, in order, with its kind and regex.
    pub fn for_text<'a>(
        &'a self,
        text: &str,
    ) -> impl Iterator<Item = (&'static str, &'a Regex)> + 'a {
        let may = self.candidates(text);
        self.patterns
            .iter()
            .enumerate()
            .filter(move |(i, _)| may.has(*i))
            .filter_map(|(_, (kind, p))| Some((*kind, p.regex()?)))
    }
}

/// The first match of each kind in `text`, in pattern order: `(kind, matched text)`.
/// Several patterns may share a kind; a kind is reported once.
fn first_per_kind<'t>(patterns: &Catalogue, text: &'t str) -> Vec<(&'static str, &'t str)> {
    let mut found: Vec<(&'static str, &'t str)> = Vec::new();
    for (kind, re) in patterns.for_text(text) {
        if found.iter().any(|(k, _)| *k == kind) {
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
    patterns: &Catalogue,
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
        // A leading class has no finite prefix set; a literal inside stands in for it.
        let go = Pattern::new(r"[\w./-]+\.go:\d+");
        assert!(go.for_text("main.rs:12").is_none());
        let text = "at /src/main.go:12";
        assert!(go.for_text(text).is_some_and(|re| re.is_match(text)));
        // With no literal at all, the regex runs on every text.
        assert!(Pattern::new(r"[\w./-]+\d+").prefilter.is_none());
        let c = Pattern::containing(r"(?:^|\s)(C:\\x)", &[":\\"]);
        assert!(c.for_text("no drive").is_none());
        assert!(c.for_text(r" c:\x").is_some());
    }

    #[test]
    fn a_catalogue_runs_the_patterns_whose_literals_a_text_holds_and_those_without() {
        let c = Catalogue::new(&[
            ("python", r"\bTraceback \(most recent call last\):"),
            ("go", r"[\w./-]+\d+"),
            ("java", r"\bat [\w$.]+\("),
            ("python", r#"\bFile "[^"]+", line \d+"#),
        ]);
        let kinds = |text: &str| -> Vec<&str> { c.for_text(text).map(|(k, _)| k).collect() };
        // Only the pattern without literals may match a text without any.
        assert_eq!(kinds(r#"{"ok":true}"#), ["go"]);
        assert_eq!(
            kinds("Traceback (most recent call last):\n  File \"/a.py\", line 3"),
            ["python", "go", "python"]
        );
        assert_eq!(kinds("x at com.a.B(B.java:1)"), ["go", "java"]);
        let found = first_per_kind(
            &c,
            "Traceback (most recent call last): File \"/a.py\", line 3",
        );
        assert_eq!(found, [("python", "Traceback (most recent call last):")]);
        assert!(first_per_kind(&c, r#"{"ok":true}"#).is_empty());
        // The literal inside a pattern with no prefix decides whether it runs.
        let inner = Catalogue::new(&[("go", r"[\w./-]+\.go:\d+ \+0x[0-9a-f]+")]);
        assert_eq!(inner.for_text(r#"{"ok":true}"#).count(), 0);
        let dump = "main.main()\n\t/app/main.go:12 +0x1d";
        assert_eq!(
            first_per_kind(&inner, dump),
            [("go", "/app/main.go:12 +0x1d")]
        );
    }
}
