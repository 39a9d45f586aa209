//! Credentials in well-known formats (JWTs, cloud and SaaS API keys, PEM private keys) are
//! masked in every output whether or not they are the run's own: a token the API hands
//! out, another user's key in a listing, a key in a debug dump. What remains says what
//! it was and how long, `«jwt, 212 chars»`, which is all a reader needs. The patterns
//! are the `secret_format` leak detector's, so what is reported as a leak is what is
//! masked.

use std::sync::LazyLock;

use regex::Regex;

use crate::leak::detectors::credential_formats;

/// A whole PEM block, where the detector only needs its armour line.
static PEM_BLOCK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----|\z)",
    )
    .ok()
});

/// (start, end, short kind) of every credential in a well-known format in `text`; also
/// what load masks in the source lines its diagnostics show.
pub fn find(text: &str) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    if let Some(re) = PEM_BLOCK.as_ref() {
        out.extend(
            re.find_iter(text)
                .map(|m| (m.start(), m.end(), "private key")),
        );
    }
    for (kind, re) in credential_formats().for_text(text) {
        out.extend(
            re.find_iter(text)
                .map(|m| (m.start(), m.end(), short(kind))),
        );
    }
    out
}

/// The marker for a masked credential of `kind`, `len` characters long.
pub fn marker(kind: &str, len: usize) -> String {
    format!("«{kind}, {len} chars»")
}

fn short(kind: &str) -> &'static str {
    match kind {
        "JSON Web Token" => "jwt",
        "AWS access key ID" => "aws key",
        "Stripe live secret key" => "stripe key",
        "GitHub token" => "github token",
        "Slack token" => "slack token",
        "Slack webhook URL" => "slack webhook",
        "PEM private key" => "private key",
        _ => "credential",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_jwts_keys_and_whole_pem_blocks() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXZhbHVl";
        let found = find(&format!("{{\"token\":\"{jwt}\"}}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].2, "jwt");
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----";
        let found = find(&format!("key: {pem} end"));
        assert!(
            found
                .iter()
                .any(|(s, e, k)| *k == "private key" && *e - *s == pem.len())
        );
        assert!(find("plain words, no credential here").is_empty());
    }
}
