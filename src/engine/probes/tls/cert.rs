//! What a certificate says (x509-parser), and whether its chain builds to a trust anchor
//! and names the host (rustls-webpki, the verifier rustls itself uses).

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::results::HarnessError;

/// Why a chain or a name does not verify, as the failure message says it.
#[derive(Debug, thiserror::Error)]
pub enum Untrusted {
    #[error("the server sent no certificate")]
    NoCertificate,
    #[error("there is no trust anchor: no system roots and no `ca_file`")]
    NoAnchor,
    #[error("{}", crate::tls::rustls_reason(.0))]
    Rustls(#[from] rustls::Error),
    #[error("{0}")]
    Verifier(#[from] rustls::client::VerifierBuilderError),
    #[error("{0}")]
    Name(#[from] rustls::pki_types::InvalidDnsNameError),
    #[error("{}", crate::tls::webpki_reason(.0))]
    Webpki(#[from] webpki::Error),
}

/// The leaf certificate's facts, as reports show them.
pub struct Facts {
    pub subject: String,
    pub issuer: String,
    /// Seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    pub names: Vec<String>,
    /// `RSA`, `EC`, ..., and its size in bits.
    pub key: (&'static str, usize),
}

impl Facts {
    /// The facts, or why the certificate could not be read (a TLS-level failure: nothing
    /// about it can be judged).
    pub fn of(der: &CertificateDer<'_>) -> Result<Self, HarnessError> {
        let (_, cert) = X509Certificate::from_der(der)
            .map_err(|e| super::tls_failure(format!("the certificate cannot be parsed: {e}")))?;
        let validity = cert.validity();
        let names = cert
            .subject_alternative_name()
            .ok()
            .flatten()
            .map(|san| {
                san.value
                    .general_names
                    .iter()
                    .filter_map(|n| match n {
                        GeneralName::DNSName(d) => Some(d.to_string()),
                        GeneralName::IPAddress(b) => ip_text(b),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let key = match cert.public_key().parsed() {
            Ok(PublicKey::RSA(rsa)) => ("RSA", rsa.key_size()),
            Ok(PublicKey::EC(ec)) => ("EC", ec.key_size()),
            Ok(PublicKey::DSA(y)) => ("DSA", y.len() * 8),
            Ok(PublicKey::Unknown(_)) if is_eddsa(&cert) => ("EdDSA", 256),
            _ => ("unknown", 0),
        };
        Ok(Facts {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            not_before: validity.not_before.timestamp(),
            not_after: validity.not_after.timestamp(),
            names,
            key,
        })
    }

    /// `subject CN=api.test, issuer CN=Test CA, not after 2026-12-01`.
    pub fn summary(&self) -> String {
        format!(
            "subject {}, issuer {}, valid {} to {}",
            self.subject,
            self.issuer,
            date(self.not_before),
            date(self.not_after)
        )
    }
}

fn is_eddsa(cert: &X509Certificate<'_>) -> bool {
    let oid = cert.public_key().algorithm.algorithm.to_id_string();
    oid == "1.3.101.112" || oid == "1.3.101.113"
}

fn ip_text(b: &[u8]) -> Option<String> {
    match b.len() {
        4 => Some(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string()),
        16 => <[u8; 16]>::try_from(b)
            .ok()
            .map(|a| std::net::Ipv6Addr::from(a).to_string()),
        _ => None,
    }
}

/// `2026-12-01`.
pub fn date(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| unix.to_string())
}

pub use crate::engine::request::roots::anchors;

/// `Ok` when the chain builds to one of `roots`. Judged at a moment inside the leaf's
/// validity, and without the name, so expiry and hostname are reported on their own.
pub fn chain_trusted(
    chain: &[CertificateDer<'static>],
    facts: &Facts,
    roots: RootCertStore,
) -> Result<(), Untrusted> {
    let (leaf, intermediates) = chain.split_first().ok_or(Untrusted::NoCertificate)?;
    if roots.is_empty() {
        return Err(Untrusted::NoAnchor);
    }
    let verifier =
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), super::handshake::provider())
            .build()?;
    let middle = facts.not_before + (facts.not_after - facts.not_before) / 2;
    let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(middle.max(0) as u64));
    let any_name = ServerName::try_from("authspec.invalid")?;
    match verifier.verify_server_cert(leaf, intermediates, &any_name, &[], at) {
        Ok(_) => Ok(()),
        Err(rustls::Error::InvalidCertificate(
            rustls::CertificateError::NotValidForName
            | rustls::CertificateError::NotValidForNameContext { .. },
        )) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// `Ok` when the leaf is valid for `host` (DNS name or IP address, per RFC 6125 / 5280).
pub fn names_host(leaf: &CertificateDer<'_>, host: &str) -> Result<(), Untrusted> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(host)?;
    let cert = webpki::EndEntityCert::try_from(leaf)?;
    Ok(cert.verify_is_valid_for_subject_name(&name)?)
}
