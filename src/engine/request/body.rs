//! Reading a response body, decoded and bounded. reqwest undoes `Content-Encoding`
//! (gzip, deflate, brotli, zstd) as the body streams in, so what is counted against
//! `--max-body` is decoded bytes: a decompression bomb stops at the limit as "beyond the
//! limit" instead of filling memory. A body up to the limit is kept whole, in memory,
//! and every check and detector reads it once; memory stays bounded by the limit times
//! the checks in flight.

use crate::results::BodyLimit;

/// What was read of a body.
pub struct Read {
    pub text: String,
    /// Set when the body went on past `limit`: `text` is its first `limit` bytes.
    pub truncated: Option<BodyLimit>,
}

/// Reads `response`'s (decoded) body up to `limit` bytes.
pub async fn read(
    response: &mut reqwest::Response,
    limit: BodyLimit,
) -> Result<Read, reqwest::Error> {
    let mut body = Vec::new();
    let mut truncated = None;
    while let Some(chunk) = response.chunk().await? {
        let room = limit.bytes() - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if chunk.len() > room {
            // Nothing more is read: the rest of a bomb is never inflated.
            truncated = Some(limit);
            break;
        }
    }
    if truncated.is_some() {
        drop_cut_character(&mut body);
    }
    Ok(Read {
        // Valid UTF-8 (most bodies) is kept as read, not copied.
        text: String::from_utf8(body)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        truncated,
    })
}

/// A cut at a byte limit can split a UTF-8 character; left in, it would end the text in
/// U+FFFD, and the redaction layer would no longer see the cut piece of a secret as
/// standing at the end of the text.
fn drop_cut_character(body: &mut Vec<u8>) {
    if let Some(last) = body.utf8_chunks().last()
        && (1..4).contains(&last.invalid().len())
    {
        body.truncate(body.len() - last.invalid().len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_by_the_cut_is_dropped() {
        let mut body = "ab€".as_bytes()[..4].to_vec();
        drop_cut_character(&mut body);
        assert_eq!(body, b"ab");
        let mut whole = "ab€".as_bytes().to_vec();
        drop_cut_character(&mut whole);
        assert_eq!(whole, "ab€".as_bytes());
    }
}
