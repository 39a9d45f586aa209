//! Unquoted references inside flow collections (`urls: [${env:A}, ${env:B}]`, as the
//! issues' suites write them) are not YAML: `{` and `}` are flow indicators there, so the
//! document would not parse. Before parsing, the braces of such a reference become
//! full-width look-alikes, one character each so every line:column stays right, and the
//! reference parser accepts those as delimiters too. A document this changes could not
//! have parsed otherwise.

use std::borrow::Cow;

use crate::load::reference::{WIDE_CLOSE as CLOSE, WIDE_OPEN as OPEN};

pub fn protect(text: &str) -> Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Option<Vec<char>> = None;
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i == 0 { '\n' } else { chars[i - 1] };
        match quote {
            Some('"') if c == '\\' => i += 1,
            Some('\'') if c == '\'' && chars.get(i + 1) == Some(&'\'') => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && prev.is_whitespace() => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            None if (c == '"' || c == '\'') && (prev.is_whitespace() || "[{,:".contains(prev)) => {
                quote = Some(c)
            }
            None if depth > 0 && c == '$' && chars.get(i + 1) == Some(&'{') => {
                let close = chars[i + 2..]
                    .iter()
                    .position(|&ch| "}{[],\n".contains(ch))
                    .map(|p| i + 2 + p)
                    .filter(|&p| chars[p] == '}');
                if let Some(end) = close {
                    let o = out.get_or_insert_with(|| chars.clone());
                    o[i + 1] = OPEN;
                    o[end] = CLOSE;
                    i = end;
                }
            }
            None if c == '[' || c == '{' => depth += 1,
            None if c == ']' || c == '}' => depth = depth.saturating_sub(1),
            None => {}
        }
        i += 1;
    }
    match out {
        Some(o) => Cow::Owned(o.into_iter().collect()),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protects_references_in_flow_collections_only() {
        let text =
            "a: ${env:A}\nurls: [${env:A}, \"${env:B}\", x]\nm: { k: ${env:C} } # [${env:D}]\n";
        let got = protect(text);
        assert_eq!(
            got,
            "a: ${env:A}\nurls: [$\u{FF5B}env:A\u{FF5D}, \"${env:B}\", x]\nm: { k: $\u{FF5B}env:C\u{FF5D} } # [${env:D}]\n"
        );
        assert_eq!(got.chars().count(), text.chars().count());
    }

    #[test]
    fn leaves_valid_documents_alone() {
        for text in [
            "a: ${env:A}\n",
            "j: {\"a\": [1, 2]}\n",
            "s: 'it''s [${not}'\n",
            "b: |\n  {\"x\": 1}\n",
        ] {
            assert!(matches!(protect(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
