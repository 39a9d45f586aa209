//! Makes any text safe for the XML and HTML reports. An XML writer escapes markup but
//! copies control characters raw and writes CDATA unbroken, so a hostile response body
//! could break the file or forge results in it. Every string goes through here first.

/// Drops characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF).
pub fn xml_text(s: &str) -> String {
    s.chars().filter(|c| allowed(*c)).collect()
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
    }

    #[test]
    fn splits_cdata_terminators() {
        let out = cdata_text("x]]><y/>");
        assert!(!out.contains("]]><y"), "{out}");
        assert_eq!(out, "x]]]]><![CDATA[><y/>");
    }
}
