//! Makes any text safe for the XML and HTML reports. An XML writer escapes markup but
//! copies control characters raw and writes CDATA unbroken, so a hostile response body
//! could break the file or forge results in it. Every string goes through here first.

use std::borrow::Cow;

/// Drops characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF).
pub fn xml_text(s: &str) -> String {
    xml_clean(s).into_owned()
}

/// `xml_text`, borrowing `s` when it has nothing to drop (as nearly every text has).
pub fn xml_clean(s: &str) -> Cow<'_, str> {
    let plain = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..0x80);
    if s.as_bytes().iter().all(plain) || s.chars().all(allowed) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|c| allowed(*c)).collect())
}

/// `xml_text`, and every `]]>` split so it cannot close the CDATA section early.
pub fn cdata_text(s: &str) -> String {
    xml_text(s).replace("]]>", "]]]]><![CDATA[>")
}

fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_forbidden_characters() {
        assert_eq!(
            xml_text("a\u{1b}[31mb\u{0}c\u{7}d\te\u{FFFE}"),
            "a[31mbcd\te"
        );
        assert_eq!(xml_text("ünï 🦀"), "ünï 🦀");
        // A clean text is borrowed, ASCII or not; a forbidden character after a
        // non-ASCII one is still dropped.
        assert!(matches!(xml_clean("GET /a as b: allow"), Cow::Borrowed(_)));
        assert!(matches!(xml_clean("ünï 🦀"), Cow::Borrowed(_)));
        assert_eq!(xml_clean("ü\u{1}x\u{FFFF}"), "üx");
    }

    #[test]
    fn splits_cdata_terminators() {
        let out = cdata_text("x]]><y/>");
        assert!(!out.contains("]]><y"), "{out}");
        assert_eq!(out, "x]]]]><![CDATA[><y/>");
    }
}
