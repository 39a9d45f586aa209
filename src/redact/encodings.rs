//! The encoded forms a secret can take in a response or a log: URL-encoded (also with `+`
//! for spaces), JSON-escaped (also with `\/`), hex, and
//! Base64 (standard and URL-safe) — also as part of a longer encoded string, such as the
//! Base64 of `Bearer <token>`. For Base64 the secret can start at any of three byte
//! alignments; for each, only the characters fully determined by the secret's bytes are
//! kept (the "core"), which then appears in any encoding that contains the secret there.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// Shorter variants would match by chance.
const MIN_VARIANT: usize = 12;

/// (encoding name, encoded text) for every form of `secret` worth looking for, raw
/// excluded.
pub fn variants(secret: &str) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut push = |name: &'static str, v: String| {
        if v.len() >= MIN_VARIANT && v != secret && !out.iter().any(|(_, x)| *x == v) {
            out.push((name, v));
        }
    };
    let url = percent_encode(secret);
    push("url", url.to_ascii_lowercase_escapes());
    push("url", url.replace("%20", "+"));
    push("url", url);
    if let Ok(quoted) = serde_json::to_string(secret) {
        let json = quoted.trim_matches('"').to_string();
        push("json", json.replace('/', "\\/"));
        push("json", json);
    }
    let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    push("hex", hex.to_ascii_uppercase());
    push("hex", hex);
    for align in 0..3 {
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            if let Some(core) = base64_core(engine, secret.as_bytes(), align) {
                push("base64", core);
            }
        }
    }
    out
}

fn base64_core(
    engine: &base64::engine::GeneralPurpose,
    secret: &[u8],
    align: usize,
) -> Option<String> {
    let mut bytes = vec![0u8; align];
    bytes.extend_from_slice(secret);
    let encoded = engine.encode(&bytes);
    let start = (8 * align).div_ceil(6);
    let end = (8 * bytes.len()) / 6;
    encoded.get(start..end).map(str::to_string)
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

trait LowerEscapes {
    fn to_ascii_lowercase_escapes(&self) -> String;
}

impl LowerEscapes for String {
    /// `%2F` → `%2f`: some encoders use lower-case hex digits.
    fn to_ascii_lowercase_escapes(&self) -> String {
        let mut out = String::with_capacity(self.len());
        let mut chars = self.chars();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '%' {
                out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "fake-token/with+odd=chars-0123456789";

    fn found_in(text: &str) -> bool {
        variants(TOKEN)
            .iter()
            .any(|(_, v)| text.contains(v.as_str()))
    }

    #[test]
    fn finds_the_secret_inside_longer_base64_at_every_alignment() {
        for prefix in ["", "B", "Be", "Bearer ", "Authorization: Bearer "] {
            let whole = format!("{prefix}{TOKEN} and more");
            assert!(
                found_in(&STANDARD_NO_PAD.encode(&whole)),
                "standard, prefix {prefix:?}"
            );
            assert!(
                found_in(&URL_SAFE_NO_PAD.encode(&whole)),
                "url-safe, prefix {prefix:?}"
            );
            let padded = base64::engine::general_purpose::STANDARD.encode(&whole);
            assert!(found_in(&padded), "padded, prefix {prefix:?}");
        }
    }

    #[test]
    fn finds_url_and_hex_forms() {
        assert!(found_in("q=fake-token%2Fwith%2Bodd%3Dchars-0123456789&x=1"));
        assert!(found_in("q=fake-token%2fwith%2bodd%3dchars-0123456789"));
        let hex: String = TOKEN.bytes().map(|b| format!("{b:02X}")).collect();
        assert!(found_in(&format!("dump: {hex}")));
    }

    #[test]
    fn finds_json_escaped_and_form_encoded_forms() {
        let odd = "fake \"quoted\\ token/x";
        let found = |text: &str| variants(odd).iter().any(|(_, v)| text.contains(v.as_str()));
        assert!(found(&serde_json::json!({ "echo": odd }).to_string()));
        assert!(found(r#"{"echo":"fake \"quoted\\ token\/x"}"#));
        assert!(found("q=fake+%22quoted%5C+token%2Fx"));
    }

    #[test]
    fn unrelated_base64_does_not_match() {
        assert!(!found_in(
            &STANDARD_NO_PAD.encode("fake-token/with+odd=chars-0123456780 other")
        ));
        assert!(!found_in("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"));
    }
}
