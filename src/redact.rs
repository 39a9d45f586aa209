//! The redaction set: every secret value of the run (resolved references now, tokens
//! obtained later) and the marker that replaces it in every output.

use std::sync::RwLock;

/// Shared by the loader (which registers resolved secrets) and the engine (which
/// redacts every result before it leaves, and registers tokens as it obtains them).
#[derive(Default)]
pub struct Redactor {
    /// (value, label), longest value first so a secret containing another is replaced
    /// whole.
    entries: RwLock<Vec<(String, String)>>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `value`; from now on it prints as `«redacted:label»`.
    pub fn add(&self, label: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.iter().any(|(v, _)| v == value) {
            return;
        }
        entries.push((value.to_string(), label.to_string()));
        entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
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
        assert_eq!(r.len(), 1);
        assert_eq!(r.redact("fake-x1"), "«redacted:a»");
    }
}
