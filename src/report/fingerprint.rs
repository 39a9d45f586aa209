//! Where a SARIF result points and what identifies it: a suite path as a URI relative to
//! the working directory (`%SRCROOT%`), and the `partialFingerprints` value that stays
//! the same for the same finding across runs and shards.

use super::document::{FindingEntry, ResultEntry, SourceLocation};

/// Where a finding points: the step that failed, when the evidence names it; else the
/// check's entry; else the top of its suite file (a server-wide finding).
pub fn finding_location(r: &ResultEntry, f: &FindingEntry) -> SourceLocation {
    f.evidence
        .location
        .clone()
        .or_else(|| r.location.clone())
        .unwrap_or_else(|| SourceLocation {
            file: r.file.clone(),
            line: 1,
            column: 1,
        })
}

/// The same finding in another run or shard has the same fingerprint: the rule id, the
/// check id with every `:port` taken out (host-wide checks name their origin, and test
/// servers listen on any port) and the scheme of the request that showed it (so the
/// plain and the TLS listener of one host stay two findings). Not the suite line: an
/// edit above a check must not turn its finding into a new one.
pub fn fingerprint(r: &ResultEntry, f: &FindingEntry) -> String {
    let stable = without_ports(&r.id);
    let scheme = f
        .evidence
        .request
        .as_ref()
        .and_then(|q| q.url.split_once("://").map(|(s, _)| s.to_ascii_lowercase()))
        .unwrap_or_default();
    of(&f.rule, &stable, &scheme)
}

fn of(rule: &str, stable_id: &str, scheme: &str) -> String {
    let input = format!("{rule}\u{0}{stable_id}\u{0}{scheme}");
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, input.as_bytes());
    digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `host:8080` → `host:*`.
fn without_ports(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == ':' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('*');
        }
    }
    out
}

/// A suite path as a URI reference relative to `%SRCROOT%` (the working directory): an
/// absolute path under it loses the prefix; every byte outside the unreserved set and `/`
/// is percent-encoded.
pub fn relative_uri(file: &str) -> String {
    let path = std::path::Path::new(file);
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(|p| p.to_path_buf()))
        .unwrap_or_else(|| path.to_path_buf());
    let text = rel.to_string_lossy();
    let text = text.trim_start_matches("./");
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_ports_and_follow_rule_check_and_scheme() {
        let id = |port: u16| without_ports(&format!("s.yaml#leakage[127.0.0.1:{port}].x"));
        let a = of("leak.version_banner", &id(4000), "http");
        assert_eq!(a, of("leak.version_banner", &id(5123), "http"));
        assert_ne!(a, of("leak.stack_trace", &id(4000), "http"));
        assert_ne!(a, of("leak.version_banner", &id(4000), "https"));
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        let cwd = std::env::current_dir().unwrap();
        let abs = cwd.join("scenarios/my suite.yaml");
        assert_eq!(
            relative_uri(abs.to_str().unwrap()),
            "scenarios/my%20suite.yaml"
        );
        assert_eq!(relative_uri("./s.yaml"), "s.yaml");
    }
}
