//! Transport security of a suite's own requests: how they verify TLS (`target.tls`), and
//! the client certificates (mTLS) a suite or a role presents. The `tls` probe's policy is
//! in `probe/tls.rs`.

use std::path::PathBuf;

use super::Secret;

/// `target.tls`. Verification is on by default; turning it off marks every test case of
/// the suite with a warning, because its results then prove nothing about who answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsSettings {
    /// An extra trust anchor (a private CA), in addition to the system roots.
    pub ca_file: Option<CaFile>,
    pub verify: bool,
    /// Presented in every handshake of the client these settings build (`client_cert:`).
    pub client_cert: Option<ClientCert>,
}

impl Default for TlsSettings {
    fn default() -> Self {
        Self {
            ca_file: None,
            verify: true,
            client_cert: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaFile {
    pub path: PathBuf,
    /// The PEM certificates, read when the suite is loaded.
    pub pem: Vec<u8>,
}

/// A client certificate and its key (`client_cert:` on a role or on `target.tls`), checked
/// when the suite is loaded: the chain parses, the key parses and belongs to the leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCert {
    /// Where the suite gives it (`roles.admin.client_cert`), for messages.
    pub field: String,
    /// The leaf's subject (`CN=admin`), for messages: no secret.
    pub subject: String,
    /// PEM: the certificate chain, leaf first, then the PKCS#8 key. A secret: the key is in
    /// it (and registered for redaction on its own).
    pub identity: Secret,
}
