//! Probe `tls`: does each endpoint meet the TLS policy? Per URL: a trusted chain, the
//! right name, validity and horizon, key strength, no legacy protocol, a modern one, and
//! HSTS; a plain-HTTP URL that refuses or redirects to https; and, where the suite says
//! so, a handshake without a client certificate refused. CWE-295 (improper certificate
//! validation) and its children, CWE-326 (inadequate encryption strength), CWE-319
//! (cleartext transmission), CWE-306 (missing authentication); OWASP API8:2023 (security
//! misconfiguration), API2:2023 (broken authentication) for the client certificate.

use super::ProbeCase;
use super::case::{API2, API8, probe_cases};
use crate::model::Location;

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
    /// Each URL refuses a handshake without a client certificate (mTLS).
    pub client_cert_required: bool,
    /// The suite entry, for the `-->` line of every finding and error of the probe.
    pub location: Location,
}

impl TlsProbe {
    /// Without `urls:`, the probe checks the target. `false` when there is nothing to
    /// check: no URLs and a target that is not `https://`.
    pub fn default_to_target(&mut self, target: &crate::model::Target) -> bool {
        if !self.urls.is_empty() {
            return true;
        }
        match target {
            crate::model::Target::Url(u) if u.starts_with("https://") => {
                self.urls.push(u.clone());
                true
            }
            _ => false,
        }
    }

    /// Every check of every URL, URL by URL, then `plain_http`'s, then each URL's
    /// `client_cert_required` (last, so turning it on renumbers no other case).
    pub fn cases(&self) -> Vec<ProbeCase> {
        let mtls = if self.client_cert_required {
            0..self.urls.len()
        } else {
            0..0
        };
        (0..self.urls.len())
            .flat_map(|url| {
                TlsCheck::ALL
                    .iter()
                    .map(move |&check| TlsCase::Url { url, check })
            })
            .chain(self.plain_http.iter().map(|_| TlsCase::PlainHttp))
            .chain(mtls.map(|url| TlsCase::ClientCertRequired { url }))
            .map(ProbeCase::Tls)
            .collect()
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

probe_cases! {
    /// The checks of each URL. The first six are judged from one handshake's certificate.
    pub enum TlsCheck in "tls" {
        /// The chain the server sends builds to a trust anchor.
        CertificateTrusted = "certificate_trusted", cwe [295], owasp API8;
        /// The leaf is valid for the URL's host.
        HostnameMatches = "hostname_matches", cwe [297], owasp API8;
        NotExpired = "not_expired", cwe [298], owasp API8;
        NotYetValid = "not_yet_valid", cwe [298], owasp API8;
        /// At least `min_days_to_expiry` days left.
        ExpiryHorizon = "expiry_horizon", cwe [298], owasp API8;
        /// RSA of `min_rsa_bits`, EC of 256 bits, or EdDSA.
        KeyStrength = "key_strength", cwe [326], owasp API8;
        /// TLS 1.0 and 1.1 (and 1.2 under a 1.3 policy) handshakes fail (RFC 8996).
        LegacyProtocolsRefused = "legacy_protocols_refused", cwe [326], owasp API8;
        /// A handshake at `min_version` or newer completes.
        ModernProtocolOffered = "modern_protocol_offered", cwe [326], owasp API8;
        /// `Strict-Transport-Security` with `max-age` of at least `hsts_min_age` (RFC 6797).
        Hsts = "hsts", cwe [319], owasp API8;
    }
}

/// One case of `tls`: a check of one of `urls`, or the check of `plain_http`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TlsCase {
    /// `url` indexes the probe's `urls`.
    Url { url: usize, check: TlsCheck },
    /// The `plain_http` URL refuses the connection or redirects to `https://`.
    PlainHttp,
    /// URL `url` refuses a handshake without a client certificate (`client_cert_required:
    /// true`): an mTLS endpoint that answers without one authenticates nobody.
    ClientCertRequired { url: usize },
}

impl TlsCase {
    pub fn name(self) -> &'static str {
        match self {
            TlsCase::Url { check, .. } => check.name(),
            TlsCase::PlainHttp => "plain_http_refused_or_redirected",
            TlsCase::ClientCertRequired { .. } => "client_cert_required",
        }
    }

    pub fn rule(self) -> &'static str {
        match self {
            TlsCase::Url { check, .. } => check.rule(),
            TlsCase::PlainHttp => "tls.plain_http_refused_or_redirected",
            TlsCase::ClientCertRequired { .. } => "tls.client_cert_required",
        }
    }

    pub fn cwe(self) -> &'static [u16] {
        match self {
            TlsCase::Url { check, .. } => check.cwe(),
            TlsCase::PlainHttp => &[319],
            TlsCase::ClientCertRequired { .. } => &[295, 306],
        }
    }

    pub fn owasp(self) -> &'static str {
        match self {
            TlsCase::ClientCertRequired { .. } => API2,
            _ => API8,
        }
    }

    /// The URL (index into the probe's `urls`) the case checks; none for `plain_http`.
    pub fn url(self) -> Option<usize> {
        match self {
            TlsCase::Url { url, .. } | TlsCase::ClientCertRequired { url } => Some(url),
            TlsCase::PlainHttp => None,
        }
    }
}

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
