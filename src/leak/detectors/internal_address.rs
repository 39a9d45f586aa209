//! ## What it detects
//! Private, loopback and link-local IP addresses in a response body, with or without a
//! port: IPv4 `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16` (RFC 1918), `127.0.0.0/8`,
//! `169.254.0.0/16` (link-local, home of the cloud metadata service `169.254.169.254`),
//! and IPv6 `::1`, `fc00::/7` (unique local, usually `fd..`) and `fe80::/10`.
//!
//! ## Why is this bad?
//! Internal addresses map the network behind the API (database hosts, service mesh,
//! admin interfaces) and are the targets an attacker aims server-side request forgery
//! and pivoting at. They usually come from debug output, upstream error messages or
//! headers like `X-Forwarded-For` echoed into the body.
//!
//! ## Classification
//! CWE-200: Exposure of Sensitive Information to an Unauthorized Actor.
//! OWASP API Security Top 10: API8:2023 Security Misconfiguration.
//!
//! ## Reported as
//! At most one leak per kind (`private IPv4 address`, `loopback address`, `link-local
//! address`, `unique local IPv6 address`). Not reported: public addresses, invalid octets
//! (`10.999.1.1`), dotted numbers that are part of a longer run (`1.10.0.0.1`, `210.0.0.1`
//! inside `1210.0.0.1`), and four-part versions right after a letter, a dot,
//! `product/` or a `version` key (`v10.2.3.4`, `"appVersion": "10.2.3.4"`). Any other
//! four-part number in a private range does count: it is indistinguishable from an address.
//! Nor the hosts the run talks to (an API on `127.0.0.1` naming itself in a self-link).

use std::net::Ipv6Addr;
use std::sync::LazyLock;

use super::Pattern;
use crate::leak::{Detector, Leak, Response};

const IPV4: &str = r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(:\d{1,5}\b)?";
const IPV6: &str = r"(?i)(?:^|[^\w:.])(::1|f[c-e][0-9a-f]{2}:[0-9a-f:]*[0-9a-f])";

// Every IPv4 match has a dot; every IPv6 one is `::1` or starts `fc`, `fd` or `fe`.
static IPV4_RE: LazyLock<Pattern> = LazyLock::new(|| Pattern::containing(IPV4, &["."]));
static IPV6_RE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::containing(IPV6, &["::1", "fc", "fd", "fe"]));

const PRIVATE_V4: &str = "private IPv4 address";
const LOOPBACK: &str = "loopback address";
const LINK_LOCAL: &str = "link-local address";
const UNIQUE_LOCAL_V6: &str = "unique local IPv6 address";

/// Private, loopback and link-local addresses in the body.
pub struct InternalAddress;

impl Detector for InternalAddress {
    fn id(&self) -> &'static str {
        "internal_address"
    }

    fn scan(&self, response: &Response<'_>) -> Vec<Leak> {
        let body = response.body;
        let mut found: Vec<(&'static str, &str)> = Vec::new();
        if let Some(re) = IPV4_RE.for_text(body) {
            for c in re.captures_iter(body) {
                let (Some(whole), Some(ip)) = (c.get(0), c.get(4)) else {
                    continue;
                };
                let octets: Vec<u16> = (1..=4)
                    .filter_map(|i| c.get(i).and_then(|m| m.as_str().parse().ok()))
                    .collect();
                let address = &body[whole.start()..ip.end()];
                if !standalone(body, whole.start(), ip.end()) || own(response, address) {
                    continue;
                }
                if let Some(kind) = classify_v4(&octets)
                    && !found.iter().any(|(k, _)| *k == kind)
                {
                    found.push((kind, whole.as_str()));
                }
            }
        }
        if let Some(re) = IPV6_RE.for_text(body) {
            for m in re.captures_iter(body).filter_map(|c| c.get(1)) {
                let next = body[m.end()..].chars().next();
                if next.is_some_and(|ch| ch.is_alphanumeric() || ch == '_' || ch == ':') {
                    continue;
                }
                if own(response, m.as_str()) {
                    continue;
                }
                if let Some(kind) = classify_v6(m.as_str())
                    && !found.iter().any(|(k, _)| *k == kind)
                {
                    found.push((kind, m.as_str()));
                }
            }
        }
        found
            .into_iter()
            .map(|(kind, evidence)| Leak {
                detector: self.id(),
                what: kind.to_string(),
                evidence: evidence.to_string(),
                cwe: 200,
                owasp: "API8:2023 Security Misconfiguration",
            })
            .collect()
    }
}

/// Whether `address` is a host the run itself talks to (IPv6 hosts come bracketed).
fn own(response: &Response<'_>, address: &str) -> bool {
    response.own_hosts.iter().any(|h| {
        h.trim_start_matches('[')
            .trim_end_matches(']')
            .eq_ignore_ascii_case(address)
    })
}

/// Whether the dotted quad at `start..end` stands alone: not part of a longer run of
/// digits and dots, not glued to a word, not a `product/version` or a `version` value.
fn standalone(body: &str, start: usize, end: usize) -> bool {
    let before = &body[..start];
    let after = &body[end..];
    let mut prev = before.chars().rev();
    match prev.next() {
        Some(ch) if ch.is_alphanumeric() || ch == '_' || ch == '.' || ch == '-' => {
            return false;
        }
        // `//10.0.0.5/admin` is a URL; `Chrome/10.0.1.2` is a product version.
        Some('/') if prev.next().is_some_and(|ch| ch.is_alphanumeric()) => return false,
        _ => {}
    }
    let mut next = after.chars();
    match next.next() {
        Some(ch) if ch.is_alphanumeric() || ch == '_' => return false,
        Some('.') if next.next().is_some_and(|ch| ch.is_ascii_digit()) => return false,
        _ => {}
    }
    let key: String = before
        .trim_end_matches(|ch: char| ch.is_whitespace() || "\"':=".contains(ch))
        .chars()
        .rev()
        .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
        .collect::<String>()
        .to_lowercase();
    // `key` is reversed: "noisrev" is "version".
    !(key.starts_with("noisrev") || key == "rev" || key == "v")
}

fn classify_v4(octets: &[u16]) -> Option<&'static str> {
    match *octets {
        [a, b, c, d] if a > 255 || b > 255 || c > 255 || d > 255 => None,
        [10, ..] | [172, 16..=31, ..] | [192, 168, ..] => Some(PRIVATE_V4),
        [127, ..] => Some(LOOPBACK),
        [169, 254, ..] => Some(LINK_LOCAL),
        _ => None,
    }
}

fn classify_v6(text: &str) -> Option<&'static str> {
    let addr: Ipv6Addr = text.parse().ok()?;
    let first = addr.segments()[0];
    if addr == Ipv6Addr::LOCALHOST {
        Some(LOOPBACK)
    } else if first & 0xfe00 == 0xfc00 {
        Some(UNIQUE_LOCAL_V6)
    } else if first & 0xffc0 == 0xfe80 {
        Some(LINK_LOCAL)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leak::detectors::testing::scan_body;

    #[test]
    fn every_pattern_compiles() {
        assert!(IPV4_RE.compiles() && IPV6_RE.compiles());
    }

    #[test]
    fn fires_on_internal_addresses() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str, &str)] = &[
            ("PostgreSQL connection error (Node)", r#"{"error":"connect ECONNREFUSED 10.0.3.17:5432"}"#, PRIVATE_V4, "10.0.3.17:5432"),
            ("Docker bridge in upstream error (nginx)", "upstream: \"http://172.17.0.2:8080/api\"", PRIVATE_V4, "172.17.0.2:8080"),
            ("home router range", r#"{"server_ip":"192.168.1.20"}"#, PRIVATE_V4, "192.168.1.20"),
            ("Redis on loopback (Python)", "Error 111 connecting to 127.0.0.1:6379. Connection refused.", LOOPBACK, "127.0.0.1:6379"),
            ("AWS metadata (SSRF echo)", r#"{"fetched":"http://169.254.169.254/latest/meta-data/"}"#, LINK_LOCAL, "169.254.169.254"),
            ("IPv6 loopback, Kestrel", "Now listening on: http://[::1]:5000", LOOPBACK, "::1"),
            ("IPv6 ULA (Kubernetes)", r#"{"pod_ip":"fd12:3456:789a:1::1b"}"#, UNIQUE_LOCAL_V6, "fd12:3456:789a:1::1b"),
            ("IPv6 link-local", "bind fe80::1ff:fe23:4567:890a%eth0 failed", LINK_LOCAL, "fe80::1ff:fe23:4567:890a"),
            ("X-Forwarded-For echo", r#"{"headers":{"x-forwarded-for":"203.0.113.9, 10.1.2.3"}}"#, PRIVATE_V4, "10.1.2.3"),
            ("IPv4-mapped IPv6", r#"{"remote":"::ffff:10.20.30.40"}"#, PRIVATE_V4, "10.20.30.40"),
            ("end of sentence", "Connection to 10.0.0.8. Retrying.", PRIVATE_V4, "10.0.0.8"),
        ];
        for (name, body, what, evidence) in cases {
            let leaks = scan_body(&InternalAddress, body);
            assert_eq!(leaks.len(), 1, "{name}: {leaks:?}");
            assert_eq!(leaks[0].what, *what, "{name}");
            assert_eq!(leaks[0].evidence, *evidence, "{name}");
        }
    }

    #[test]
    fn quiet_on_look_alikes() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("public resolvers", r#"{"dns":["8.8.8.8","1.1.1.1"],"client":"203.0.113.7"}"#),
            ("edges of private ranges", r#"{"a":"172.32.0.1","b":"192.169.1.1","c":"11.0.0.1"}"#),
            ("version key", r#"{"version":"10.2.3.4","appVersion":"10.0.0.1","api_version": "127.0.0.1"}"#),
            ("v-prefixed version", r#"{"tag":"v10.2.3.4","release":"release-10.1.1.1"}"#),
            ("four-part version", r#"{"runtime":"1.10.0.1"}"#),
            ("five-part version", r#"{"build":"10.0.0.1.5","oid":"1.3.6.1.4.1.311"}"#),
            ("longer digit run", r#"{"id":"1210.0.0.15","n":"10.0.0.1234"}"#),
            ("invalid octets", r#"{"a":"999.1.1.1","b":"10.999.1.1","c":"192.168.256.1"}"#),
            ("user agent", r#"{"ua":"Mozilla/5.0 Chrome/10.0.1.2 Safari/537.36"}"#),
            ("UUID", r#"{"id":"fd0a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"}"#),
            ("Rust path and C++ scope", r#"{"note":"use std::1 and Foo::10 or a::1b"}"#),
            ("MAC address", r#"{"mac":"fc:aa:14:2b:9c:01"}"#),
            ("date and price", r#"{"date":"10.12.2023","price":"10.00"}"#),
        ];
        for (name, body) in cases {
            let leaks = scan_body(&InternalAddress, body);
            assert!(leaks.is_empty(), "{name}: unexpected {leaks:?}");
        }
    }

    #[test]
    fn one_leak_per_kind() {
        let body = "10.0.0.1 10.0.0.2 192.168.0.9 127.0.0.1 ::1 169.254.1.1";
        let leaks = scan_body(&InternalAddress, body);
        let found: Vec<(&str, &str)> = leaks
            .iter()
            .map(|l| (l.what.as_str(), l.evidence.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (PRIVATE_V4, "10.0.0.1"),
                (LOOPBACK, "127.0.0.1"),
                (LINK_LOCAL, "169.254.1.1")
            ]
        );
    }

    #[test]
    fn the_hosts_of_the_run_are_not_leaks() {
        let body =
            r#"{"next": "http://127.0.0.1:8080/orders?page=2", "db": "10.0.0.7", "me": "[::1]:9"}"#;
        let own = ["127.0.0.1".to_string(), "[::1]".to_string()];
        let leaks = InternalAddress.scan(&Response {
            headers: &[],
            body,
            run_secrets: &[],
            own_hosts: &own,
        });
        let found: Vec<&str> = leaks.iter().map(|l| l.evidence.as_str()).collect();
        assert_eq!(found, ["10.0.0.7"]);
        // Without them, the self-links count (one leak per kind).
        assert_eq!(scan_body(&InternalAddress, body).len(), 2);
    }
}
