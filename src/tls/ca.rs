//! A certificate authority generated for one run (or written ahead of time and loaded):
//! it issues leaf certificates for chosen hosts and validity windows (expired, not yet
//! valid, ...). rcgen's default `not_after` is the year 4096; every certificate here gets
//! an explicit, short window.

use std::net::IpAddr;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

/// When a certificate is valid, relative to now.
#[derive(Clone, Copy, Debug)]
pub enum Validity {
    /// From a day ago for this many days.
    Days(i64),
    /// Expired yesterday.
    Expired,
    /// Valid from 30 days on.
    NotYetValid,
}

impl Validity {
    fn window(self) -> (OffsetDateTime, OffsetDateTime) {
        let now = OffsetDateTime::now_utc();
        match self {
            Validity::Days(d) => (now - Duration::days(1), now + Duration::days(d)),
            Validity::Expired => (now - Duration::days(90), now - Duration::days(1)),
            Validity::NotYetValid => (now + Duration::days(30), now + Duration::days(120)),
        }
    }
}

pub struct Ca {
    issuer: Issuer<'static, KeyPair>,
    der: CertificateDer<'static>,
    pem: String,
}

/// A leaf certificate with its key, and the chain a server sends (leaf, then the CA).
pub struct Leaf {
    pub chain: Vec<CertificateDer<'static>>,
    key: Vec<u8>,
}

impl Leaf {
    pub fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.clone()))
    }
}

impl Ca {
    /// A CA valid for 30 days from yesterday.
    pub fn new(name: &str) -> Result<Self, rcgen::Error> {
        Self::valid_for(name, 30)
    }

    pub fn valid_for(name: &str, days: i64) -> Result<Self, rcgen::Error> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let (from, to) = Validity::Days(days).window();
        params.not_before = from;
        params.not_after = to;
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Self {
            der: cert.der().clone(),
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        })
    }

    /// A CA written earlier (`pem`, `key_pem`), checked: the key must be the
    /// certificate's, and the certificate valid now.
    pub fn from_pem(pem: &str, key_pem: &str) -> Result<Self, String> {
        let der = CertificateDer::from_pem_slice(pem.as_bytes())
            .map_err(|e| format!("the certificate is not PEM: {e}"))?;
        let key = KeyPair::from_pem(key_pem)
            .map_err(|e| format!("the key is not a PEM private key: {e}"))?;
        let (_, cert) = x509_parser::parse_x509_certificate(&der)
            .map_err(|e| format!("the certificate cannot be read: {e}"))?;
        if cert.public_key().subject_public_key.data.as_ref() != key.public_key_raw() {
            return Err("the key does not belong to the certificate".into());
        }
        if !cert.validity().is_valid() {
            return Err(format!(
                "the certificate is not valid now (valid {} to {})",
                cert.validity().not_before,
                cert.validity().not_after
            ));
        }
        let issuer = Issuer::from_ca_cert_der(&der, key)
            .map_err(|e| format!("the certificate is not a usable CA: {e}"))?;
        Ok(Self {
            issuer,
            der: der.into_owned(),
            pem: pem.to_string(),
        })
    }

    /// The CA certificate, for a client's trust store.
    pub fn pem(&self) -> String {
        self.pem.clone()
    }

    /// The CA's private key, PKCS#8 PEM.
    pub fn key_pem(&self) -> String {
        self.issuer.key().serialize_pem()
    }

    /// A leaf for `hosts` (DNS names or IP addresses).
    pub fn issue(&self, hosts: &[&str], validity: Validity) -> Result<Leaf, rcgen::Error> {
        let key = KeyPair::generate()?;
        let params = leaf_params(hosts, validity)?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Leaf {
            chain: vec![cert.der().clone(), self.der.clone()],
            key: key.serialize_der(),
        })
    }

    /// A leaf that signs itself: no CA vouches for it.
    pub fn self_signed(hosts: &[&str]) -> Result<Leaf, rcgen::Error> {
        let key = KeyPair::generate()?;
        let cert = leaf_params(hosts, Validity::Days(30))?.self_signed(&key)?;
        Ok(Leaf {
            chain: vec![cert.der().clone()],
            key: key.serialize_der(),
        })
    }
}

fn leaf_params(hosts: &[&str], validity: Validity) -> Result<CertificateParams, rcgen::Error> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(
        DnType::CommonName,
        hosts.first().copied().unwrap_or("authspec"),
    );
    for h in hosts {
        params.subject_alt_names.push(match h.parse::<IpAddr>() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*h).try_into()?),
        });
    }
    let (from, to) = validity.window();
    params.not_before = from;
    params.not_after = to;
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_survives_pem_and_refuses_a_foreign_key() {
        let ca = Ca::valid_for("test CA", 365).unwrap();
        let again = Ca::from_pem(&ca.pem(), &ca.key_pem()).unwrap();
        let leaf = again.issue(&["localhost"], Validity::Days(5)).unwrap();
        assert_eq!(leaf.chain[1], ca.der);
        let other = Ca::new("other").unwrap();
        let err = Ca::from_pem(&ca.pem(), &other.key_pem()).err().unwrap();
        assert!(err.contains("does not belong"), "{err}");
        assert!(Ca::from_pem("nope", &ca.key_pem()).is_err());
    }
}
