//! Normalised views of a text, for matching secrets that a server or a formatter wrote in
//! another form: percent-encoding (`%7E`, also lower-case and with `/` left raw), JSON and
//! Rust/Python escapes (`\u00e9`, `\u{ad}`, `\x41`, `\/`), HTML character references
//! (`&#x2F;`, `&amp;`), invisible characters a secret
//! may carry or a display may insert (soft hyphen, zero-width space), and — in the
//! compact view — every ASCII space and line break, so Base64 wrapped at 76 columns or a
//! value folded over two header lines reads as one run.
//!
//! A view is bytes plus a map back to byte ranges of the original, so a match found in a
//! view masks exactly the original characters it came from.

/// One stretch of a view: `len` view bytes that came from `orig_len` original bytes at
/// `orig`. An identity stretch maps byte for byte; a decoded one maps as a whole.
#[derive(Clone, Copy, Debug)]
struct Stretch {
    start: usize,
    len: usize,
    orig: usize,
    orig_len: usize,
    identity: bool,
}

pub struct View {
    pub bytes: Vec<u8>,
    /// White space dropped too.
    pub compact: bool,
    stretches: Vec<Stretch>,
}

impl View {
    /// The original byte range that view bytes `start..end` came from, widened to the
    /// original's character boundaries.
    pub fn original(&self, start: usize, end: usize, text: &str) -> (usize, usize) {
        let first = self.stretch_of(start);
        let last = self.stretch_of(end.saturating_sub(1).max(start));
        let s = match first {
            Some(st) if st.identity => st.orig + (start - st.start),
            Some(st) => st.orig,
            None => 0,
        };
        let e = match last {
            Some(st) if st.identity => st.orig + (end - st.start).min(st.len),
            Some(st) => st.orig + st.orig_len,
            None => text.len(),
        };
        (floor_char(text, s), ceil_char(text, e.max(s)))
    }

    fn stretch_of(&self, at: usize) -> Option<Stretch> {
        let i = self.stretches.partition_point(|s| s.start <= at);
        i.checked_sub(1).map(|i| self.stretches[i])
    }
}

/// Decodes escapes and drops invisible characters; `compact` also drops ASCII white
/// space. Returns `None` when the view would equal the text itself.
pub fn normalised(text: &str, compact: bool) -> Option<View> {
    let interesting = |b: u8| {
        b == b'%' || b == b'\\' || b == b'&' || b >= 0x80 || (compact && b.is_ascii_whitespace())
    };
    let bytes = text.as_bytes();
    let mut i = bytes.iter().position(|b| interesting(*b))?;
    let mut v = Builder::default();
    v.bytes.reserve(bytes.len());
    v.identity(&bytes[..i], 0);
    while i < bytes.len() {
        // A run of bytes that stand for themselves is copied whole.
        let plain = bytes[i..]
            .iter()
            .position(|b| interesting(*b))
            .unwrap_or(bytes.len() - i);
        if plain > 0 {
            v.identity(&bytes[i..i + plain], i);
            i += plain;
            continue;
        }
        let b = bytes[i];
        if b == b'%'
            && let Some(byte) = hex_pair(bytes, i + 1)
        {
            v.decoded(&[byte], i, 3);
            i += 3;
            continue;
        }
        let escape = match b {
            b'\\' => unescape(bytes, i),
            b'&' => entity(bytes, i),
            _ => None,
        };
        if let Some((decoded, used)) = escape {
            let mut buf = [0u8; 4];
            let out: &[u8] = match decoded {
                Decoded::Char(c) => c.encode_utf8(&mut buf).as_bytes(),
                Decoded::Byte(x) => {
                    buf[0] = x;
                    &buf[..1]
                }
            };
            let drop = matches!(decoded, Decoded::Char(c) if invisible(c))
                || (out.len() == 1 && compact && out[0].is_ascii_whitespace());
            if drop {
                v.dropped();
            } else {
                v.decoded(out, i, used);
            }
            i += used;
            continue;
        }
        if compact && b.is_ascii_whitespace() {
            v.dropped();
            i += 1;
            continue;
        }
        if b >= 0x80 {
            let c = text[i..].chars().next().unwrap_or('\u{fffd}');
            let n = c.len_utf8();
            if invisible(c) {
                v.dropped();
            } else {
                v.identity(&bytes[i..i + n], i);
            }
            i += n;
            continue;
        }
        v.identity(&bytes[i..i + 1], i);
        i += 1;
    }
    Some(View {
        compact,
        bytes: v.bytes,
        stretches: v.stretches,
    })
}

/// Characters with no width that a secret may carry, or a display or server may insert.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
    )
}

#[derive(Default)]
struct Builder {
    bytes: Vec<u8>,
    stretches: Vec<Stretch>,
    /// The last stretch may grow (identity, contiguous in both).
    open: bool,
}

impl Builder {
    fn identity(&mut self, b: &[u8], orig: usize) {
        if b.is_empty() {
            return;
        }
        if self.open
            && let Some(last) = self.stretches.last_mut()
            && last.orig + last.len == orig
        {
            last.len += b.len();
            last.orig_len += b.len();
            self.bytes.extend_from_slice(b);
            return;
        }
        self.stretches.push(Stretch {
            start: self.bytes.len(),
            len: b.len(),
            orig,
            orig_len: b.len(),
            identity: true,
        });
        self.bytes.extend_from_slice(b);
        self.open = true;
    }

    fn decoded(&mut self, b: &[u8], orig: usize, orig_len: usize) {
        self.stretches.push(Stretch {
            start: self.bytes.len(),
            len: b.len(),
            orig,
            orig_len,
            identity: false,
        });
        self.bytes.extend_from_slice(b);
        self.open = false;
    }

    fn dropped(&mut self) {
        self.open = false;
    }
}

#[derive(Clone, Copy)]
enum Decoded {
    Char(char),
    Byte(u8),
}

/// A backslash escape at `i`: JSON (`\n \" \/ \uXXXX`, surrogate pairs), Rust (`\u{…}`)
/// and `\xHH`. Returns what it stands for and how many bytes it used.
fn unescape(b: &[u8], i: usize) -> Option<(Decoded, usize)> {
    let next = *b.get(i + 1)?;
    let simple = match next {
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'"' => Some('"'),
        b'\\' => Some('\\'),
        b'/' => Some('/'),
        b'\'' => Some('\''),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((Decoded::Char(c), 2));
    }
    match next {
        b'x' => hex_pair(b, i + 2).map(|x| (Decoded::Byte(x), 4)),
        b'u' if b.get(i + 2) == Some(&b'{') => {
            let close = (i + 3..b.len().min(i + 12)).find(|j| b[*j] == b'}')?;
            let hex = std::str::from_utf8(&b[i + 3..close]).ok()?;
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            Some((Decoded::Char(c), close + 1 - i))
        }
        b'u' => {
            let unit = hex_quad(b, i + 2)?;
            if (0xd800..0xdc00).contains(&unit)
                && b.get(i + 6) == Some(&b'\\')
                && b.get(i + 7) == Some(&b'u')
                && let Some(low) = hex_quad(b, i + 8)
                && (0xdc00..0xe000).contains(&low)
            {
                let c = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                return char::from_u32(c).map(|c| (Decoded::Char(c), 12));
            }
            char::from_u32(unit).map(|c| (Decoded::Char(c), 6))
        }
        _ => None,
    }
}

/// An HTML character reference at `i`: `&#47;`, `&#x2F;`, `&amp;` and the other four XML
/// names.
fn entity(b: &[u8], i: usize) -> Option<(Decoded, usize)> {
    let close = (i + 2..b.len().min(i + 12)).find(|j| b[*j] == b';')?;
    let name = std::str::from_utf8(&b[i + 1..close]).ok()?;
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((Decoded::Char(c), close + 1 - i))
}

fn hex_pair(b: &[u8], i: usize) -> Option<u8> {
    let h = |x: u8| (x as char).to_digit(16);
    Some((h(*b.get(i)?)? * 16 + h(*b.get(i + 1)?)?) as u8)
}

fn hex_quad(b: &[u8], i: usize) -> Option<u32> {
    let hi = hex_pair(b, i)? as u32;
    let lo = hex_pair(b, i + 2)? as u32;
    Some(hi << 8 | lo)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str, compact: bool) -> String {
        String::from_utf8_lossy(&normalised(text, compact).unwrap().bytes).into_owned()
    }

    #[test]
    fn decodes_percent_json_and_rust_escapes() {
        assert_eq!(view("a%7Eb%2fc", false), "a~b/c");
        assert_eq!(view(r#"\u00e9\/x\u{ad}y\x41"#, false), "é/xyA");
        assert_eq!(view(r"\ud83d\ude00", false), "😀");
        assert_eq!(view("a&#x2F;b&#47;c&amp;d&bogus;", false), "a/b/c&d&bogus;");
    }

    #[test]
    fn drops_invisible_characters_and_in_compact_view_white_space() {
        assert_eq!(view("ab\u{200b}c\u{ad}d", false), "abcd");
        assert_eq!(view("QUJD\r\nREVG \\r\\nR0g=", true), "QUJDREVGR0g=");
    }

    #[test]
    fn maps_matches_back_to_the_original_characters() {
        let text = "x=ab%7Ecd rest";
        let v = normalised(text, false).unwrap();
        let at = v.bytes.windows(5).position(|w| w == b"ab~cd").unwrap();
        let (s, e) = v.original(at, at + 5, text);
        assert_eq!(&text[s..e], "ab%7Ecd");
        let text = "é\u{200b}secret";
        let v = normalised(text, true).unwrap();
        let (s, e) = v.original(2, v.bytes.len(), text);
        assert_eq!(&text[s..e], "secret");
    }
}
