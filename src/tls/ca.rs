//! A certificate authority generated for one run: it issues leaf certificates for chosen
//! hosts and validity windows (expired, not yet valid, ...). rcgen's default `not_after`
//! is the year 4096; every certificate here gets an explicit, short window.

use std::net::IpAddr;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
    SanType,
};
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
    issuer: CertifiedIssuer<'static, KeyPair>,
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
    pub fn new(name: &str) -> Result<Self, rcgen::Error> {
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let (from, to) = Validity::Days(30).window();
        params.not_before = from;
        params.not_after = to;
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate()?)?;
        Ok(Self { issuer })
    }

    /// The CA certificate, for a client's trust store.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A leaf for `hosts` (DNS names or IP addresses).
    pub fn issue(&self, hosts: &[&str], validity: Validity) -> Result<Leaf, rcgen::Error> {
        let key = KeyPair::generate()?;
        let params = leaf_params(hosts, validity)?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Leaf {
            chain: vec![cert.der().clone(), self.issuer.der().clone()],
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
