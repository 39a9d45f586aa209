//! Transport security: how a suite's own requests verify TLS, and the `tls` probe's
//! policy for an endpoint.

use std::path::PathBuf;

/// `target.tls`. Verification is on by default; turning it off marks every test case of
/// the suite with a warning, because its results then prove nothing about who answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsSettings {
    /// An extra trust anchor (a private CA), in addition to the system roots.
    pub ca_file: Option<CaFile>,
    pub verify: bool,
}

impl Default for TlsSettings {
    fn default() -> Self {
        Self {
            ca_file: None,
            verify: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaFile {
    pub path: PathBuf,
    /// The PEM certificates, read when the suite is loaded.
    pub pem: Vec<u8>,
}

/// Probe `tls`: does each URL meet the policy?
#[derive(Clone, Debug)]
pub struct TlsProbe {
    /// `https://` URLs; the target when the suite names none.
    pub urls: Vec<String>,
    pub min_version: TlsVersion,
    pub min_days_to_expiry: u32,
    pub min_rsa_bits: u32,
    pub hsts_min_age: u64,
    /// A plain `http://` URL that must refuse, or redirect to https.
    pub plain_http: Option<String>,
}

impl TlsProbe {
    /// Without `urls:`, the probe checks the target. `false` when there is nothing to
    /// check: no URLs and a target that is not `https://`.
    pub fn default_to_target(&mut self, target: &super::Target) -> bool {
        if !self.urls.is_empty() {
            return true;
        }
        match target {
            super::Target::Url(u) if u.starts_with("https://") => {
                self.urls.push(u.clone());
                true
            }
            _ => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TlsVersion {
    V1_0,
    V1_1,
    V1_2,
    V1_3,
}

impl TlsVersion {
    pub fn name(self) -> &'static str {
        match self {
            TlsVersion::V1_0 => "TLS 1.0",
            TlsVersion::V1_1 => "TLS 1.1",
            TlsVersion::V1_2 => "TLS 1.2",
            TlsVersion::V1_3 => "TLS 1.3",
        }
    }
}

/// The checks of each URL, in report order.
pub const TLS_CHECKS: [&str; 9] = [
    "certificate_trusted",
    "hostname_matches",
    "not_expired",
    "not_yet_valid",
    "expiry_horizon",
    "key_strength",
    "legacy_protocols_refused",
    "modern_protocol_offered",
    "hsts",
];

/// The check of `plain_http`.
pub const PLAIN_HTTP_CHECK: &str = "plain_http_refused_or_redirected";

/// `host:port` of a URL as the case names show it; the URL itself when it has none.
pub fn host_port(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => match (u.host_str(), u.port_or_known_default()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            _ => url.to_string(),
        },
        Err(_) => url.to_string(),
    }
}
