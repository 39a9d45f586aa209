//! The registry of secrets and the matcher compiled from it: one Aho-Corasick automaton
//! over every form of every secret, run over the text and its normalised views, so a
//! text is read a few times however many secrets the run holds.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::encodings::{Form, patterns};
use super::formats;
use super::fragments::Fragments;
use super::spans::{char_range, replace};
use super::view::{View, normalised};

#[derive(Clone)]
struct Entry {
    value: String,
    label: String,
    /// Redacted, but no canary: values authspec forged itself (a doctored token echoed in
    /// a refusal is not a leak of a credential).
    quiet: bool,
    /// Confidential text rather than a credential (what an internal upstream answers):
    /// masked whole in any form, but its words are no secret on their own.
    whole_only: bool,
    /// A key guessed from a list of well-known ones (`secret`, `changeme`): a word anyone
    /// may write, so masked only where it stands as a word of its own, never inside
    /// another (`tokens.weak_secret`, `secretary`).
    word: bool,
}

/// Shared by the loader (which registers resolved secrets) and the engine (which
/// redacts every result before it leaves, and registers tokens as it obtains them).
#[derive(Default)]
pub struct Redactor {
    entries: RwLock<Vec<Entry>>,
    /// Built on first use after a change of `entries`.
    compiled: RwLock<Option<Arc<Compiled>>>,
}

struct Compiled {
    /// The entries it was built from (indices below point here).
    entries: Vec<Entry>,
    automaton: Option<AhoCorasick>,
    /// For each pattern of the automaton: (entry index, form).
    patterns: Vec<(usize, Form)>,
    fragments: Fragments,
    /// Short texts already redacted with exactly these entries, and what they became: a
    /// report redacts the same suite name, file and check name several times (the result,
    /// its document entry, the writer's last pass), and a new secret starts a new cache.
    memo: Mutex<HashMap<Box<str>, Arc<str>>>,
    /// Every entry's value, for detectors that must skip them (one copy, not one per
    /// response scanned).
    values: Arc<[String]>,
}

impl Compiled {
    fn memo(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Arc<str>>> {
        self.memo.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Texts up to this long are remembered (names, ids, paths; not bodies).
const MEMO_TEXT: usize = 256;
/// Remembered texts at most; the memo starts over when full.
const MEMO_ENTRIES: usize = 16_384;

/// One secret found in a text: the original byte range, the entry and how it was
/// written there (`None`: as is; `url`, `json`, `hex`, `base64`).
struct Hit {
    start: usize,
    end: usize,
    entry: usize,
    form: Option<&'static str>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `value`; from now on it prints as `«redacted:label»`, and its encoded
    /// forms as `«redacted:label/base64»` (url, json, hex).
    pub fn add(&self, label: &str, value: &str) {
        self.insert(label, value, Kind::default());
    }

    /// Registers a value authspec made (a doctored token): redacted like a secret, but
    /// finding it in a response is no leak.
    pub fn add_quiet(&self, label: &str, value: &str) {
        self.insert(
            label,
            value,
            Kind {
                quiet: true,
                ..Kind::default()
            },
        );
    }

    /// Registers a key guessed from a list of well-known ones: no canary (the word in a
    /// response proves nothing), masked whole wherever it stands as a word of its own.
    pub fn add_guessed(&self, label: &str, value: &str) {
        self.insert(
            label,
            value,
            Kind {
                quiet: true,
                whole_only: true,
                word: true,
            },
        );
    }

    /// Registers confidential text that is not a credential (an internal upstream's
    /// answer): masked and a canary as a whole, in any form, but a part of it (a JSON
    /// key, a word) is not masked on its own.
    pub fn add_confidential(&self, label: &str, value: &str) {
        self.insert(
            label,
            value,
            Kind {
                whole_only: true,
                ..Kind::default()
            },
        );
    }

    fn insert(&self, label: &str, value: &str, kind: Kind) {
        let Kind {
            quiet,
            whole_only,
            word,
        } = kind;
        if value.is_empty() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = entries.iter_mut().find(|e| e.value == value) {
            e.quiet &= quiet;
            e.whole_only &= whole_only;
            e.word &= word;
            *self.compiled.write().unwrap_or_else(|e| e.into_inner()) = None;
            return;
        }
        entries.push(Entry {
            value: value.to_string(),
            label: label.to_string(),
            quiet,
            whole_only,
            word,
        });
        // Longest first: a secret that contains another is replaced whole.
        entries.sort_by_key(|e| std::cmp::Reverse(e.value.len()));
        *self.compiled.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn compiled(&self) -> Arc<Compiled> {
        if let Some(c) = self
            .compiled
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            return c.clone();
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let mut list: Vec<Vec<u8>> = Vec::new();
        let mut meta = Vec::new();
        let mut fragments = Fragments::default();
        for (i, e) in entries.iter().enumerate() {
            for (form, p) in patterns(&e.value) {
                list.push(p);
                meta.push((i, form));
            }
            if !e.whole_only {
                fragments.add(e.value.as_bytes(), i);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&list)
            .ok();
        let compiled = Arc::new(Compiled {
            entries: entries.clone(),
            automaton,
            patterns: meta,
            fragments,
            memo: Mutex::default(),
            values: entries.iter().map(|e| e.value.clone()).collect(),
        });
        *self.compiled.write().unwrap_or_else(|e| e.into_inner()) = Some(compiled.clone());
        compiled
    }

    /// Every whole secret in `text`, in any form, with its original range; `views` are
    /// the text's normalised views (decoded, then compact too).
    fn hits(c: &Compiled, text: &str, views: &[View]) -> Vec<Hit> {
        let entries = &c.entries;
        let Some(ac) = &c.automaton else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut scan = |bytes: &[u8], view: Option<&View>| {
            for m in ac.find_iter(bytes) {
                let (entry, form) = c.patterns[m.pattern().as_usize()];
                let (start, end) = match view {
                    Some(v) => v.original(m.start(), m.end(), text),
                    None => (m.start(), m.end()),
                };
                if entries.get(entry).is_some_and(|e| e.word) && !stands_alone(text, start, end) {
                    continue;
                }
                let written = &text[start..end];
                let form = form.suffix().or(if written.contains('%') {
                    Some("url")
                } else if written.contains('\\') {
                    Some("json")
                } else if written.contains('+') {
                    plus_form(written, entries.get(entry))
                } else {
                    None
                });
                out.push(Hit {
                    start,
                    end,
                    entry,
                    form,
                });
            }
        };
        scan(text.as_bytes(), None);
        for v in views {
            scan(&v.bytes, Some(v));
        }
        out
    }

    /// The labels of every registered secret (in any form) that occurs in `text`, in
    /// the order they occur.
    pub fn occurrences(&self, text: &str) -> Vec<String> {
        let c = self.compiled();
        let entries = &c.entries;
        if c.entries.is_empty() {
            return Vec::new();
        }
        let mut hits = Self::hits(&c, text, &views(text));
        hits.sort_by_key(|h| h.start);
        let mut found: Vec<String> = Vec::new();
        for h in hits {
            let Some(e) = entries.get(h.entry) else {
                continue;
            };
            if e.quiet {
                continue;
            }
            let label = label(e, h.form);
            if !found.contains(&label) {
                found.push(label);
            }
        }
        found
    }

    /// The raw secret values, for detectors that must skip them.
    pub fn raw_values(&self) -> Arc<[String]> {
        self.compiled().values.clone()
    }

    /// `redact`, for a text asked for once (a check's id): not remembered, so the memo
    /// keeps the texts that are asked for again (a run's check names, until its reports).
    pub fn redact_once(&self, text: &str) -> String {
        Self::redact_with(&self.compiled(), text)
    }

    /// `text` with every secret of the run, every part of one, and every credential in
    /// a well-known format replaced by a marker.
    pub fn redact(&self, text: &str) -> String {
        let c = self.compiled();
        if text.len() > MEMO_TEXT {
            return Self::redact_with(&c, text);
        }
        if let Some(done) = c.memo().get(text) {
            return done.to_string();
        }
        let done = Self::redact_with(&c, text);
        let mut m = c.memo();
        if m.len() >= MEMO_ENTRIES {
            m.clear();
        }
        m.insert(text.into(), done.as_str().into());
        done
    }

    fn redact_with(c: &Compiled, text: &str) -> String {
        let entries = &c.entries;
        // (start, end, priority, marker): a whole secret names its label; a part of one
        // says so; a well-known format says its kind and length.
        let mut spans: Vec<(usize, usize, u8, String)> = Vec::new();
        // The views are built once per text and serve both the whole-secret and the
        // fragment scans (a 16 MiB body is not decoded twice); with no secret registered
        // only the well-known formats are looked for.
        let views = if entries.is_empty() {
            Vec::new()
        } else {
            views(text)
        };
        for h in Self::hits(c, text, &views) {
            if let Some(e) = entries.get(h.entry) {
                spans.push((h.start, h.end, 3, marker(&label(e, h.form))));
            }
        }
        for (s, e) in c.fragments.runs(text.as_bytes()) {
            let (s, e) = char_range(text, s, e);
            spans.push((s, e, 2, marker("part of a secret")));
        }
        // Fragments are looked for in the compact view, which undoes every decoding the
        // other view does.
        if let Some(v) = views.iter().find(|v| v.compact) {
            for (s, e) in c.fragments.runs(&v.bytes) {
                let (s, e) = v.original(s, e, text);
                spans.push((s, e, 2, marker("part of a secret")));
            }
        }
        for (s, e, i) in c.fragments.at_cuts(text) {
            if let Some(entry) = entries.get(i) {
                spans.push((s, e, 2, marker(&format!("{}/part", entry.label))));
            }
        }
        for (s, e, kind) in formats::find(text) {
            let len = text[s..e].chars().count();
            spans.push((s, e, 1, formats::marker(kind, len)));
        }
        replace(text, spans)
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The normalised views of `text` that differ from it: decoded, and decoded compact.
fn views(text: &str) -> Vec<View> {
    [false, true]
        .into_iter()
        .filter_map(|compact| normalised(text, compact))
        .collect()
}

/// How a value is registered (see the fields of `Entry`).
#[derive(Clone, Copy, Default)]
struct Kind {
    quiet: bool,
    whole_only: bool,
    word: bool,
}

/// Whether `text[start..end]` is a word of its own: no letter, digit or `_` touches it.
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    !text[..start].chars().next_back().is_some_and(word)
        && !text[end..].chars().next().is_some_and(word)
}

/// `+` stands for a space in a form-encoded secret, and is itself in many secrets.
fn plus_form(written: &str, entry: Option<&Entry>) -> Option<&'static str> {
    match entry {
        Some(e) if e.value.contains(' ') && !written.contains(' ') => Some("url"),
        _ => None,
    }
}

fn label(e: &Entry, form: Option<&str>) -> String {
    match form {
        Some(f) => format!("{}/{f}", e.label),
        None => e.label.clone(),
    }
}

pub fn marker(label: &str) -> String {
    format!("«redacted:{label}»")
}

#[cfg(test)]
#[path = "redactor_tests.rs"]
mod tests;
