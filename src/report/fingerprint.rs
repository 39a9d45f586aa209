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
/// check id and the suite location, with every `:port` taken out (host-wide checks name
/// their origin, and test servers listen on any port).
pub fn fingerprint(rule: &str, check_id: &str, at: &SourceLocation) -> String {
    let stable = without_ports(check_id);
    let input = format!(
        "{rule}\u{0}{stable}\u{0}{}:{}:{}",
        at.file, at.line, at.column
    );
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
    fn fingerprints_ignore_ports_and_follow_rule_check_and_location() {
        let at = SourceLocation {
            file: "s.yaml".into(),
            line: 3,
            column: 5,
        };
        let a = fingerprint(
            "leak.version_banner",
            "s.yaml#leakage[127.0.0.1:4000].x",
            &at,
        );
        let b = fingerprint(
            "leak.version_banner",
            "s.yaml#leakage[127.0.0.1:5123].x",
            &at,
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            fingerprint("leak.stack_trace", "s.yaml#leakage[127.0.0.1:4000].x", &at)
        );
        let moved = SourceLocation {
            line: 4,
            ..at.clone()
        };
        assert_ne!(
            a,
            fingerprint(
                "leak.version_banner",
                "s.yaml#leakage[127.0.0.1:4000].x",
                &moved
            )
        );
        assert_eq!(a.len(), 32);
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
