//! A credential value that must never be printed (`Debug` shows only its label), and
//! which names (headers, environment variables) are taken to hold one.

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

/// Name fragments of things that hold credentials (`PAYMENTS_API_KEY`, `DB_PASS`,
/// `Authorization`, `Cookie`).
const CREDENTIAL_HINTS: [&str; 10] = [
    "token",
    "secret",
    "key",
    "pass",
    "pwd",
    "credential",
    "auth",
    "session",
    "dsn",
    "private",
];

/// Whether a variable or header of this name likely holds a credential. `Cookie` is one
/// by name (a `COOKIE_DOMAIN` variable is not).
pub fn credential_like(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "cookie" || CREDENTIAL_HINTS.iter().any(|h| lower.contains(h))
}

#[cfg(test)]
mod credential_names {
    #[test]
    fn credential_like_names() {
        for name in [
            "PAYMENTS_API_KEY",
            "db_password",
            "DB_PASS",
            "Authorization",
            "Cookie",
        ] {
            assert!(super::credential_like(name), "{name}");
        }
        for name in ["PORT", "Content-Type", "PAYMENTS_URL", "COOKIE_DOMAIN"] {
            assert!(!super::credential_like(name), "{name}");
        }
    }
}
