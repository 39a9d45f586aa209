//! Policy handshakes with rustls: connect to an endpoint offering chosen protocol
//! versions and keep whatever certificate chain the server sent, trusted or not, so the
//! checks can say exactly what was seen. Nothing is sent over these connections. A
//! server that asks for a client certificate has chosen the version and sent its chain
//! by then: its refusal of a client without one still counts as the version accepted.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::ResolvesClientCert;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, aws_lc_rs};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, SignatureScheme, SupportedProtocolVersion};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// What one handshake showed.
pub struct Handshake {
    /// The leaf first, then the intermediates, as the server sent them.
    pub chain: Vec<CertificateDer<'static>>,
    pub version: Option<rustls::ProtocolVersion>,
}

/// Presents `key` (or nothing), and records whether the server asked for a certificate:
/// rustls asks its resolver exactly when a CertificateRequest arrives.
#[derive(Debug)]
pub(super) struct Asked {
    asked: AtomicBool,
    key: Option<Arc<CertifiedKey>>,
}

impl Asked {
    pub(super) fn presenting(key: Option<Arc<CertifiedKey>>) -> Arc<Self> {
        Arc::new(Self {
            asked: AtomicBool::new(false),
            key,
        })
    }

    pub(super) fn was_asked(&self) -> bool {
        self.asked.load(Ordering::SeqCst)
    }
}

impl ResolvesClientCert for Asked {
    fn resolve(
        &self,
        _issuers: &[&[u8]],
        _schemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        self.asked.store(true, Ordering::SeqCst);
        self.key.clone()
    }

    fn has_certs(&self) -> bool {
        self.key.is_some()
    }
}

/// Why a handshake did not complete.
pub enum Failed {
    /// No TCP connection: the endpoint is unreachable.
    Unreachable(String),
    /// Connected, but the TLS handshake failed (e.g. the version was refused).
    Refused(String),
}

pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(aws_lc_rs::default_provider())
}

/// Accepts any chain, keeping it for the checks to judge.
#[derive(Debug)]
pub(super) struct Keep {
    chain: Mutex<Vec<CertificateDer<'static>>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Keep {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|c| c.clone().into_owned())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    // Handshake signatures are not checked: these connections carry nothing, and a
    // weak key (RSA-1024) that rustls would refuse to verify is exactly what the
    // `key_strength` check must get to see.
    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Ok(HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

impl Keep {
    /// A verifier for a handshake that judges something other than the server's chain.
    pub(super) fn any(provider: Arc<CryptoProvider>) -> Arc<Self> {
        Arc::new(Self {
            chain: Mutex::new(Vec::new()),
            provider,
        })
    }
}

/// One handshake with `host:port` offering `versions`.
pub async fn handshake(
    host: &str,
    port: u16,
    versions: &[&'static SupportedProtocolVersion],
    timeout: Duration,
) -> Result<Handshake, Failed> {
    let provider = provider();
    let keep = Arc::new(Keep {
        chain: Mutex::new(Vec::new()),
        provider: provider.clone(),
    });
    let asked = Asked::presenting(None);
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| Failed::Refused(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(keep.clone())
        .with_client_cert_resolver(asked.clone());
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(host)
        .map_err(|e| Failed::Unreachable(format!("`{host}` is not a host name: {e}")))?
        .to_owned();
    let tcp = match tokio::time::timeout(timeout, TcpStream::connect((host, port))).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(Failed::Unreachable(format!("{host}:{port}: {e}"))),
        Err(_) => {
            return Err(Failed::Unreachable(format!(
                "{host}:{port}: no connection within {} s",
                timeout.as_secs()
            )));
        }
    };
    let connect = TlsConnector::from(Arc::new(config)).connect(name, tcp);
    let kept = || keep.chain.lock().map(|c| c.clone()).unwrap_or_default();
    let tls = match tokio::time::timeout(timeout, connect).await {
        Ok(Ok(s)) => s,
        // Refused for want of a client certificate (TLS 1.2 says so in the handshake).
        Ok(Err(_)) if asked.was_asked() => {
            return Ok(Handshake {
                chain: kept(),
                version: None,
            });
        }
        Ok(Err(e)) => return Err(Failed::Refused(e.to_string())),
        Err(_) => return Err(Failed::Refused("the handshake timed out".into())),
    };
    let version = tls.get_ref().1.protocol_version();
    Ok(Handshake {
        chain: kept(),
        version,
    })
}
