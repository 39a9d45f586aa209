//! Parts of a secret that survive where something cut it: a server that truncates an
//! error line mid-token, a body cut at the read limit, an excerpt of text that was cut
//! before it reached us. Any run of [`FRAGMENT`] or more bytes of a secret is masked
//! wherever it stands; at a cut (the start or end of a text, or an `…` that marks one) a
//! prefix or suffix of [`AT_CUT`] or more bytes is masked too (a line break counts as a
//! cut: servers cut lines). In a made-up secret (`fake-customer-…`, `my-password-1`) a
//! window of lower-case letters only is a word that also names a role or an upstream,
//! and is left out; in a random secret such windows are rare and their neighbours cover
//! them.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A run of this many bytes of a random secret does not occur by chance.
pub const FRAGMENT: usize = 8;
/// What may be left of a secret where a text was cut.
pub const AT_CUT: usize = 4;
const CUT_MARK: &str = "…";

/// Every `FRAGMENT`-byte window of every secret, ASCII case folded.
#[derive(Default)]
pub struct Fragments {
    windows: HashSet<u64, BuildHasherDefault<WindowHasher>>,
    /// (secret bytes folded, index of the secret) for prefixes and suffixes at cuts.
    secrets: Vec<(Vec<u8>, usize)>,
}

fn fold(b: &[u8]) -> Vec<u8> {
    b.to_ascii_lowercase()
}

fn key(w: &[u8]) -> u64 {
    w.iter()
        .fold(0u64, |k, b| k << 8 | u64::from(b.to_ascii_lowercase()))
}

impl Fragments {
    pub fn add(&mut self, secret: &[u8], index: usize) {
        if secret.len() >= AT_CUT {
            self.secrets.push((fold(secret), index));
        }
        let made_up = made_up(secret);
        for w in secret.windows(FRAGMENT) {
            if !(made_up && w.iter().all(u8::is_ascii_lowercase)) {
                self.windows.insert(key(w));
            }
        }
    }

    /// Byte ranges of `bytes` made of secret windows, merged.
    pub fn runs(&self, bytes: &[u8]) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        if self.windows.is_empty() || bytes.len() < FRAGMENT {
            return out;
        }
        // The key rolls: shifting in a byte drops the one that left the window, so each
        // byte is folded once however long the text.
        let mut k = key(&bytes[..FRAGMENT - 1]);
        for (i, b) in bytes[FRAGMENT - 1..].iter().enumerate() {
            k = k << 8 | u64::from(b.to_ascii_lowercase());
            if self.windows.contains(&k) {
                match out.last_mut() {
                    Some(last) if last.1 >= i => last.1 = i + FRAGMENT,
                    _ => out.push((i, i + FRAGMENT)),
                }
            }
        }
        out
    }

    /// Prefixes and suffixes of secrets at the cuts of `text`: (range, secret index).
    pub fn at_cuts(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut cuts: Vec<(usize, bool)> = vec![(0, true), (text.len(), false)];
        for mark in [CUT_MARK, "\n"] {
            for (i, _) in text.match_indices(mark) {
                cuts.push((i, false));
                cuts.push((i + mark.len(), true));
            }
        }
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for (at, after) in cuts {
            let best = self
                .secrets
                .iter()
                .filter_map(|(s, index)| {
                    let n = if after {
                        longest_suffix_at(s, &bytes[at..])
                    } else {
                        longest_prefix_before(s, &bytes[..at])
                    };
                    (n >= AT_CUT).then_some((n, *index))
                })
                .max();
            if let Some((n, index)) = best {
                let (s, e) = if after { (at, at + n) } else { (at - n, at) };
                if text.is_char_boundary(s) && text.is_char_boundary(e) {
                    out.push((s, e, index));
                }
            }
        }
        out
    }
}

/// Whether `secret` holds a word (five or more lower-case letters between separators):
/// written by a person, not drawn at random.
fn made_up(secret: &[u8]) -> bool {
    secret
        .split(|b| !b.is_ascii_alphanumeric())
        .any(|w| w.len() >= 5 && w.iter().all(u8::is_ascii_lowercase))
}

/// The longest `n` such that `text` starts with the last `n` bytes of `secret` (only
/// `n >= AT_CUT` counts; shorter ones are 0). The first byte is compared before the rest.
fn longest_suffix_at(secret: &[u8], text: &[u8]) -> usize {
    (AT_CUT..=secret.len().min(text.len()))
        .rev()
        .find(|n| {
            let tail = &secret[secret.len() - n..];
            text[0].eq_ignore_ascii_case(&tail[0]) && text[..*n].eq_ignore_ascii_case(tail)
        })
        .unwrap_or(0)
}

/// The longest `n` such that `text` ends with the first `n` bytes of `secret` (only
/// `n >= AT_CUT` counts). The last byte is compared before the rest.
fn longest_prefix_before(secret: &[u8], text: &[u8]) -> usize {
    (AT_CUT..=secret.len().min(text.len()))
        .rev()
        .find(|n| {
            let end = &text[text.len() - n..];
            end[n - 1].eq_ignore_ascii_case(&secret[n - 1])
                && end.eq_ignore_ascii_case(&secret[..*n])
        })
        .unwrap_or(0)
}

/// Window keys are eight bytes of a secret: a multiply spreads them well enough, and
/// costs a fraction of SipHash, which ran once per byte of every text redacted.
#[derive(Default)]
struct WindowHasher(u64);

impl Hasher for WindowHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, k: u64) {
        let k = k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = k ^ (k >> 29);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_runs_of_secret_windows_anywhere() {
        let mut f = Fragments::default();
        f.add(b"fake-0123456789abcdef", 0);
        let text = b"logon denied for fake-012345678 (ORA-01017)";
        let runs = f.runs(text);
        assert_eq!(runs.len(), 1);
        assert_eq!(&text[runs[0].0..runs[0].1], b"fake-012345678");
        assert!(f.runs(b"nothing of it here, fake-01 only").is_empty());
    }

    #[test]
    fn words_of_made_up_secrets_are_no_fragments() {
        let mut f = Fragments::default();
        f.add(b"fake-customer-0123456789", 0);
        assert!(f.runs(b"POST /checkout as customer").is_empty());
        assert!(!f.runs(b"fake-customer-01").is_empty());
        let mut f = Fragments::default();
        f.add(b"Xk3customerq9Z", 0);
        assert!(!f.runs(b"as customer").is_empty());
    }

    #[test]
    fn finds_short_parts_only_at_cuts() {
        let mut f = Fragments::default();
        f.add(b"Zq8xW3rT", 7);
        assert_eq!(f.at_cuts("token=Zq8x"), vec![(6, 10, 7)]);
        assert_eq!(f.at_cuts("W3rT and more"), vec![(0, 4, 7)]);
        assert_eq!(f.at_cuts("a Zq8x…"), vec![(2, 6, 7)]);
        assert!(f.at_cuts("Zq8 is fine").is_empty());
        assert!(f.at_cuts("a Zq8x in the middle b").is_empty());
    }
}
