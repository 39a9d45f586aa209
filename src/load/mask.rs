//! Diagnostics show source lines. A literal credential written into a suite (the very
//! mistake a diagnostic may be reporting) must not reach a terminal or a CI log, so every
//! diagnostic renders a copy of the text in which the values of credential-looking keys
//! that are not `${…}` references are replaced by `*`, byte for byte (offsets stay valid).
//! This is textual on purpose: it also covers files that do not parse.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Keys whose values are secrets wherever they appear.
#[allow(clippy::expect_used)] // a constant pattern: it compiles or no test passes
static KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s{,-])(bearer|value|secret|client_secret|signing_key|password|token|api_key|authorization|cookie)\s*:[ \t]*")
        .expect("valid pattern")
});

/// The Gherkin form: `the request header "Authorization" is "…"`.
#[allow(clippy::expect_used)] // a constant pattern: it compiles or no test passes
static STEP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:header|parameter)\s+"(?:authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|x-access-token|api_key|apikey|key|auth|token|access_token|secret|client_secret|password)"\s+is\s+"([^"\n]*)""#)
        .expect("valid pattern")
});

/// A Gherkin table row whose name is a credential: `| secret | … |`, `| Authorization | … |`.
#[allow(clippy::expect_used)] // a constant pattern: it compiles or no test passes
static ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^[ \t]*\|[ \t]*(?:secret|client_secret|signing_key|bearer|password|token|access_token|api_key|apikey|key|auth|authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token|x-access-token)[ \t]*\|((?:\\.|[^|\\\n])*)")
        .expect("valid pattern")
});

pub fn mask_credentials(text: &str) -> String {
    let mut ranges: Vec<Range<usize>> = KEY
        .find_iter(text)
        .filter_map(|m| value_extent(text, m.end()))
        .filter(|r| !is_reference(&text[r.clone()]))
        .collect();
    ranges.extend(
        STEP.captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.range()),
    );
    ranges.extend(
        ROW.captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| trimmed(text, m.range()))
            .filter(|r| !r.is_empty() && !is_reference(&text[r.clone()])),
    );
    ranges.sort_by_key(|r| r.start);
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in &mut bytes[r] {
            // Replace whole UTF-8 sequences: every byte of the value becomes `*`.
            *b = b'*';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// The byte range of the scalar starting at `start`: a quoted string up to its closing
/// quote, or a plain scalar up to the end of the line (a trailing ` #comment` excluded).
/// Over-masking a flow mapping's rest of line is the safe side.
fn value_extent(text: &str, start: usize) -> Option<Range<usize>> {
    let rest = &text[start..];
    let first = rest.chars().next()?;
    match first {
        '"' | '\'' => {
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                if first == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == first && !escaped {
                    return Some(start + 1..start + i);
                }
                if c == '\n' && first == '\'' {
                    break;
                }
                escaped = false;
            }
            Some(start + 1..start + rest.find('\n').unwrap_or(rest.len()))
        }
        '\n' | '\r' | '|' | '>' | '{' | '[' => None,
        _ => {
            let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
            let end = line.find(" #").unwrap_or(line.len());
            let value = line[..end].trim_end();
            (!value.is_empty()).then(|| start..start + value.len())
        }
    }
}

/// `range` without its leading and trailing blanks.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let cell = &text[range.clone()];
    let start = range.start + (cell.len() - cell.trim_start().len());
    start..(start + cell.trim().len())
}

fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("${") && v.ends_with('}') && v.matches("${").count() == 1
}

#[cfg(test)]
mod tests {
    use super::mask_credentials;

    #[test]
    fn masks_literals_and_keeps_references_and_offsets() {
        let cases = [
            ("    bearer: sk_live_abc\n", "    bearer: ***********\n"),
            (
                "    bearer: \"é\"\n  b:\n    bearer: éabc\n",
                "    bearer: \"**\"\n  b:\n    bearer: *****\n",
            ),
            (
                "  a: { bearer: \"sk_live_AAA,BBBSECRET\" }\n",
                "  a: { bearer: \"*********************\" }\n",
            ),
            (
                "  api_key: { header: X-Key, value: fake,with,commas }\n",
                "  api_key: { header: X-Key, value: ******************\n",
            ),
            ("    bearer: ${env:TOKEN}\n", "    bearer: ${env:TOKEN}\n"),
            (
                "    bearer: sk_x # a comment\n",
                "    bearer: **** # a comment\n",
            ),
            ("request: GET /tokens\n", "request: GET /tokens\n"),
            (
                "      | secret  | whsec_abc\\|d |\n",
                "      | secret  | ************ |\n",
            ),
            (
                "  | Authorization | Bearer x |\n  | X-Tenant | t1 |\n",
                "  | Authorization | ******** |\n  | X-Tenant | t1 |\n",
            ),
            (
                "      | secret | ${env:HOOK_SECRET} |\n",
                "      | secret | ${env:HOOK_SECRET} |\n",
            ),
        ];
        for (input, want) in cases {
            let got = mask_credentials(input);
            assert_eq!(got.len(), input.len(), "{input:?}");
            assert_eq!(got, want, "{input:?}");
        }
    }
}
