//! The redaction set: every secret value of the run (resolved references now, tokens
//! obtained later), in its raw and encoded forms, and the marker that replaces it in
//! every output. The same set is the canary list: a response or log that contains any of
//! these is leaking a credential.

mod encodings;

use std::sync::RwLock;

/// Shared by the loader (which registers resolved secrets) and the engine (which
/// redacts every result before it leaves, and registers tokens as it obtains them).
#[derive(Default)]
pub struct Redactor {
    /// (value, label), longest value first so a secret containing another is replaced
    /// whole.
    entries: RwLock<Vec<(String, String)>>,
    /// Labels that are redacted but are no canary: values authspec forged itself (a
    /// doctored token echoed in a refusal is not a leak of a credential).
    quiet: RwLock<Vec<String>>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `value`; from now on it prints as `«redacted:label»`, and its encoded
    /// forms as `«redacted:label/base64»` (url, hex).
    pub fn add(&self, label: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.iter().any(|(v, _)| v == value) {
            return;
        }
        entries.push((value.to_string(), label.to_string()));
        for (encoding, variant) in encodings::variants(value) {
            if !entries.iter().any(|(v, _)| *v == variant) {
                entries.push((variant, format!("{label}/{encoding}")));
            }
        }
        entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    }

    /// Registers a value authspec made (a doctored token): redacted like a secret, but
    /// finding it in a response is no leak.
    pub fn add_quiet(&self, label: &str, value: &str) {
        self.add(label, value);
        let mut quiet = self.quiet.write().unwrap_or_else(|e| e.into_inner());
        if !quiet.iter().any(|q| q == label) {
            quiet.push(label.to_string());
        }
    }

    /// The labels of every registered secret (in any encoding) that occurs in `text`.
    pub fn occurrences(&self, text: &str) -> Vec<String> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let quiet = self.quiet.read().unwrap_or_else(|e| e.into_inner());
        let mut found: Vec<String> = Vec::new();
        for (value, label) in entries.iter() {
            let base = label.split('/').next().unwrap_or(label);
            if quiet.iter().any(|q| q == base) {
                continue;
            }
            if text.contains(value.as_str()) && !found.contains(label) {
                found.push(label.clone());
            }
        }
        found
    }

    /// The raw secret values (no encodings), for detectors that must skip them.
    pub fn raw_values(&self) -> Vec<String> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .filter(|(_, label)| !label.contains('/'))
            .map(|(v, _)| v.clone())
            .collect()
    }

    pub fn redact(&self, text: &str) -> String {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for (value, label) in entries.iter() {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), &marker(label));
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub fn marker(label: &str) -> String {
    format!("«redacted:{label}»")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_every_occurrence_longest_first() {
        let r = Redactor::new();
        r.add("short", "fake-abc");
        r.add("long", "fake-abc-def");
        let out = r.redact("a fake-abc-def b fake-abc c fake-abc-def");
        assert_eq!(
            out,
            "a «redacted:long» b «redacted:short» c «redacted:long»"
        );
    }

    #[test]
    fn ignores_empty_and_duplicate_values() {
        let r = Redactor::new();
        r.add("a", "");
        r.add("a", "fake-x1");
        r.add("b", "fake-x1");
        assert_eq!(r.raw_values(), vec!["fake-x1".to_string()]);
        assert_eq!(r.redact("fake-x1"), "«redacted:a»");
    }

    #[test]
    fn quiet_values_are_redacted_but_no_canary() {
        let r = Redactor::new();
        r.add_quiet("reader.mutated_token", "fake-forged-token-123456");
        assert_eq!(
            r.redact("echo fake-forged-token-123456"),
            "echo «redacted:reader.mutated_token»"
        );
        assert!(r.occurrences("echo fake-forged-token-123456").is_empty());
    }

    #[test]
    fn redacts_and_finds_encoded_forms() {
        use base64::Engine;
        let r = Redactor::new();
        r.add("reader.bearer", "fake-reader-token-1234567890");
        let header =
            base64::engine::general_purpose::STANDARD.encode("Bearer fake-reader-token-1234567890");
        let text = format!("auth={header}");
        assert_eq!(
            r.occurrences(&text),
            vec!["reader.bearer/base64".to_string()]
        );
        let shown = r.redact(&text);
        assert!(shown.contains("«redacted:reader.bearer/base64»"), "{shown}");
        assert!(!shown.contains(&header[8..30]), "{shown}");
    }
}
