//! Turning what the matchers found into the redacted text: overlapping finds are merged,
//! and each group is replaced by the marker of its strongest find (a whole secret over a
//! part of one over a well-known format).

/// (start, end) widened to the characters of `text` it touches.
pub fn char_range(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    while s > 0 && !text.is_char_boundary(s) {
        s -= 1;
    }
    while e < text.len() && !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}

/// Replaces each group of overlapping spans by the marker of its strongest span.
pub fn replace(text: &str, mut spans: Vec<(usize, usize, u8, String)>) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut i = 0;
    while i < spans.len() {
        let (start, mut end, mut priority, mut shown) = spans[i].clone();
        let mut j = i + 1;
        while j < spans.len() && spans[j].0 < end {
            end = end.max(spans[j].1);
            if spans[j].2 > priority {
                priority = spans[j].2;
                shown = spans[j].3.clone();
            }
            j += 1;
        }
        if start >= at {
            out.push_str(&text[at..start]);
            out.push_str(&shown);
            at = end;
        }
        i = j;
    }
    out.push_str(&text[at.min(text.len())..]);
    out
}
