//! The TLS configuration of a verifying HTTP client: TLS 1.2 and 1.3, HTTP/2 and 1.1
//! offered, and server certificates verified against the system's roots plus the suites'
//! `ca_file`, as reqwest's platform verifier does on Linux, except that the roots are read
//! on the first TLS handshake rather than when the client is built. Reading and parsing
//! the system's certificate store is most of what starting a run costs, and a run
//! against plain-HTTP targets (the demo's, most CI services') never needs it.

use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, RootCertStore, SignatureScheme};

use crate::model::TlsSettings;

/// A client configuration that verifies servers against the system's roots and `tls`'s
/// `ca_file`, read when a server first needs verifying.
pub fn verifying(tls: &TlsSettings) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = LazyRoots {
        tls: tls.clone(),
        provider: provider.clone(),
        verifier: OnceLock::new(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The anchors a chain must build to: the system roots and the suite's `ca_file`.
pub fn anchors(tls: &TlsSettings) -> RootCertStore {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(ca) = &tls.ca_file {
        let extra = CertificateDer::pem_slice_iter(&ca.pem).filter_map(Result::ok);
        roots.add_parsable_certificates(extra);
    }
    roots
}

#[derive(Debug)]
struct LazyRoots {
    tls: TlsSettings,
    provider: Arc<CryptoProvider>,
    /// Built on the first handshake; why not, when no root could be read.
    verifier: OnceLock<Result<Arc<WebPkiServerVerifier>, String>>,
}

impl LazyRoots {
    fn verifier(&self) -> Result<&Arc<WebPkiServerVerifier>, Error> {
        self.verifier
            .get_or_init(|| {
                let roots = anchors(&self.tls);
                if roots.is_empty() {
                    return Err("no CA certificates were loaded from the system or a \
                                `ca_file`"
                        .to_string());
                }
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), self.provider.clone())
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| Error::General(e.clone()))
    }
}

impl ServerCertVerifier for LazyRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        self.verifier()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        )
    }

    // Signatures are checked with the provider's algorithms, as the verifier built from
    // the roots would: no root is needed for them.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
