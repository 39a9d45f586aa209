//! Diagnostics show source lines. A literal credential written into a suite (the very
//! mistake a diagnostic may be reporting) must not reach a terminal or a CI log, so every
//! diagnostic renders a copy of the text in which the values of credential-looking keys
//! that are not `${…}` references are replaced by `*`, byte for byte (offsets stay valid).
//! This is textual on purpose: it also covers files that do not parse. Credentials in
//! well-known formats (the `secret_format` detector's: JWTs, AWS, Stripe, GitHub, Slack
//! keys, PEM private keys) are masked wherever they are written, under any key or none.

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

/// Where `text` holds a credential in a well-known format (the redaction layer's list).
fn well_known(text: &str) -> Vec<Range<usize>> {
    crate::redact::well_known_credentials(text)
        .into_iter()
        .map(|(s, e, _)| s..e)
        .collect()
}

/// `text` with its credentials in well-known formats masked (a message that quotes a
/// value of the file).
pub fn mask_well_known(text: &str) -> String {
    star(text, well_known(text))
}

/// `text` with `ranges` masked, byte for byte.
pub fn star(text: &str, ranges: impl IntoIterator<Item = Range<usize>>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in bytes.get_mut(r).into_iter().flatten() {
            // Replace whole UTF-8 sequences: every byte of the value becomes `*`.
            *b = b'*';
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| "*".repeat(text.len()))
}

/// The value written after the key that starts at byte `key`: `beare: "ghp_…"` gives
/// the range of `ghp_…`. `None` for a block, a flow collection or nothing.
pub fn value_after_key(text: &str, key: usize) -> Option<Range<usize>> {
    let line = &text.get(key..)?[..text[key..].find('\n').unwrap_or(text.len() - key)];
    let colon = line.find(':')?;
    let blanks = line[colon + 1..].len() - line[colon + 1..].trim_start_matches([' ', '\t']).len();
    value_extent(text, key + colon + 1 + blanks)
}

/// Whether a value written under an unknown key is a credential: the key is one of the
/// credential keys misspelt (`suggested`), or the value looks like a key or a token.
pub fn looks_like_credential(suggested: Option<&str>, value: &str) -> bool {
    if is_reference(value) {
        return false;
    }
    let credential_key = suggested.is_some_and(|k| {
        let probe = format!("{k}: x");
        KEY.is_match(&probe)
    });
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
    ];
    let token_like = value.chars().count() >= 16
        && !value.chars().any(char::is_whitespace)
        && classes.iter().filter(|c| **c).count() >= 2
        && classes[2];
    credential_key || token_like || !well_known(value).is_empty()
}

pub fn mask_credentials(text: &str) -> String {
    let mut ranges: Vec<Range<usize>> = KEY
        .find_iter(text)
        // `${secret:NAME}` is a reference, not the key `secret`.
        .filter(|m| !(text[m.start()..].starts_with('{') && text[..m.start()].ends_with('$')))
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
    ranges.extend(well_known(text));
    star(text, ranges)
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
    use super::*;

    #[test]
    fn well_known_formats_are_masked_under_any_key() {
        let token = format!("ghp_{}", "FAKE".repeat(9));
        let text = format!("  beare: \"{token}\"\n  note: see {token} here\n");
        let got = mask_credentials(&text);
        assert_eq!(got.len(), text.len());
        assert!(!got.contains("ghp_"), "{got}");
        assert!(
            got.contains("beare: \"*") && got.contains("note: see *"),
            "{got}"
        );
        let pem = "key: |\n  -----BEGIN PRIVATE KEY-----\n  MIIEvQIBADANBg\n  -----END PRIVATE KEY-----\nnext: 1\n";
        let got = mask_credentials(pem);
        assert!(
            !got.contains("MIIEvQ") && got.ends_with("next: 1\n"),
            "{got}"
        );
    }

    #[test]
    fn the_value_after_a_misspelt_key_and_whether_it_is_a_credential() {
        let text =
            "a:\n    beare: \"sk_abc\"\n  x: { header: X-Key, vaule: k3Jd9Qm2ZxV8pLw0RtY }\n";
        let at = |needle: &str| text.find(needle).unwrap();
        let value = |key: &str| value_after_key(text, at(key)).map(|r| &text[r]);
        assert_eq!(value("beare"), Some("sk_abc"));
        assert_eq!(
            value("vaule"),
            Some("k3Jd9Qm2ZxV8pLw0RtY }"),
            "over-masks a flow rest"
        );
        assert_eq!(value_after_key("alow: [reader]\n", 0), None);
        let cases = [
            (Some("bearer"), "sk_abc", true),
            (Some("value"), "short", true),
            (Some("allow"), "k3Jd9Qm2ZxV8pLw0RtY", true),
            (None, &*format!("ghp_{}", "FAKE".repeat(9)), true),
            (Some("request"), "GET /orders/1234567890", false),
            (Some("allow"), "reader", false),
            (Some("bearer"), "${env:TOKEN}", false),
        ];
        for (suggested, v, want) in cases {
            assert_eq!(
                looks_like_credential(suggested, v),
                want,
                "{suggested:?} {v}"
            );
        }
    }

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
                "    bearer: ${secret:ops_password}\n",
                "    bearer: ${secret:ops_password}\n",
            ),
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
