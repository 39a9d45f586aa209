//! Short, single-line excerpts of response bodies for failure messages. Callers pass
//! text that is already redacted, so a cut can never expose part of a secret.

const EXCERPT: usize = 200;

/// The start of `text`, escaped onto one line.
pub fn head(text: &str) -> String {
    if text.is_empty() {
        return "(empty)".into();
    }
    around(text, 0, EXCERPT)
}

/// About `width` characters of `text` from a little before byte offset `at`.
pub fn around(text: &str, at: usize, width: usize) -> String {
    let start_char = text
        .get(..at)
        .map_or(0, |before| before.chars().count())
        .saturating_sub(width / 4);
    let total = text.chars().count();
    let shown: String = text.chars().skip(start_char).take(width).collect();
    let mut out = String::new();
    if start_char > 0 {
        out.push('…');
    }
    out.push_str(&escape(&shown));
    if start_char + width < total {
        out.push('…');
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_and_marks_cuts() {
        assert_eq!(head(""), "(empty)");
        assert_eq!(head("a\nb\u{1b}c"), "a\\nb\\u{1b}c");
        let long = "x".repeat(500);
        let e = around(&long, 300, EXCERPT);
        assert!(e.starts_with('…') && e.ends_with('…'));
        assert_eq!(e.chars().filter(|c| *c == 'x').count(), EXCERPT);
    }
}
