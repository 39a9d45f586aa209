//! The forms a secret can take in a response or a log, as patterns searched in the
//! normalised views (`view.rs`), which undo percent-encoding, JSON and Rust escapes,
//! invisible characters and line wrapping; so these are only the forms a view cannot
//! undo: the secret as written, without its invisible characters or white space, with
//! `+` for spaces (forms), hex, and Base64 (standard and URL-safe), also as part of a
//! longer encoded string such as the Base64 of `Bearer <token>`. For Base64 the secret
//! can start at any of three byte alignments; for each, only the characters fully
//! determined by the secret's bytes are kept (the "core"), which then appears in any
//! encoding that contains the secret there.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use super::view::invisible;

/// Shorter encoded forms would match by chance; six Base64 characters are 36 random
/// bits, and the shortest core of a 6-character secret inside `Bearer …` is 7.
const MIN_ENCODED: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// As written, or with invisible characters or white space left out, or `+` for
    /// spaces: the view tells apart how it was written.
    Plain,
    Hex,
    Base64,
}

impl Form {
    pub fn suffix(self) -> Option<&'static str> {
        match self {
            Form::Plain => None,
            Form::Hex => Some("hex"),
            Form::Base64 => Some("base64"),
        }
    }
}

/// Every pattern worth looking for, the secret itself first.
pub fn patterns(secret: &str) -> Vec<(Form, Vec<u8>)> {
    let mut out: Vec<(Form, Vec<u8>)> = Vec::new();
    let mut push = |form: Form, v: Vec<u8>| {
        let long_enough = form == Form::Plain || v.len() >= MIN_ENCODED;
        if long_enough && !v.is_empty() && !out.iter().any(|(_, x)| *x == v) {
            out.push((form, v));
        }
    };
    push(Form::Plain, secret.as_bytes().to_vec());
    let visible: String = secret.chars().filter(|c| !invisible(*c)).collect();
    push(Form::Plain, visible.as_bytes().to_vec());
    let compact: String = visible
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    push(Form::Plain, compact.into_bytes());
    if secret.contains(' ') {
        push(Form::Plain, secret.replace(' ', "+").into_bytes());
    }
    let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    push(Form::Hex, hex.into_bytes());
    for align in 0..3 {
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            if let Some(core) = base64_core(engine, secret.as_bytes(), align) {
                push(Form::Base64, core.into_bytes());
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

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "fake-token/with+odd=chars-0123456789";

    fn found_in(secret: &str, text: &str) -> bool {
        patterns(secret)
            .iter()
            .any(|(_, p)| text.as_bytes().windows(p.len()).any(|w| w == p.as_slice()))
    }

    #[test]
    fn finds_the_secret_inside_longer_base64_at_every_alignment() {
        for prefix in ["", "B", "Be", "Bearer ", "Authorization: Bearer "] {
            let whole = format!("{prefix}{TOKEN} and more");
            assert!(
                found_in(TOKEN, &STANDARD_NO_PAD.encode(&whole)),
                "{prefix:?}"
            );
            assert!(
                found_in(TOKEN, &URL_SAFE_NO_PAD.encode(&whole)),
                "{prefix:?}"
            );
            let padded = base64::engine::general_purpose::STANDARD.encode(&whole);
            assert!(found_in(TOKEN, &padded), "padded, prefix {prefix:?}");
        }
    }

    #[test]
    fn short_tokens_are_found_in_the_base64_of_bearer() {
        for short in ["Zq8~s*2+x", "k3Zq9x", "a1b2c3d"] {
            for prefix in ["Bearer ", "Bearer  ", "user:", ""] {
                let b64 =
                    base64::engine::general_purpose::STANDARD.encode(format!("{prefix}{short}"));
                assert!(found_in(short, &b64), "{prefix}{short}: {b64}");
            }
        }
    }

    #[test]
    fn finds_hex_and_form_encoded_spaces() {
        let hex: String = TOKEN.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(found_in(TOKEN, &format!("dump: {hex}")));
        assert!(found_in(
            "fake token with spaces",
            "q=fake+token+with+spaces"
        ));
    }

    #[test]
    fn unrelated_base64_does_not_match() {
        assert!(!found_in(
            TOKEN,
            &STANDARD_NO_PAD.encode("fake-token/with+odd=chars-0123456780 other")
        ));
        assert!(!found_in(TOKEN, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"));
    }
}
