//! A credential value that must never be printed: `Debug` shows only its label.

use std::fmt;

/// A resolved secret and the label it is redacted as (`reader.bearer`).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    label: String,
    value: String,
}

impl Secret {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
        }
    }

    /// Where the secret came from, e.g. `reader.bearer`; safe to print.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The secret value itself: only for building requests and the redaction set.
    pub fn expose(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(«redacted:{}»)", self.label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("reader.bearer", "fake-value-123");
        let shown = format!("{s:?}");
        assert!(!shown.contains("fake-value-123"), "{shown}");
        assert!(shown.contains("reader.bearer"));
    }
}
