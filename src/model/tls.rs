//! Transport security of a suite's own requests: how they verify TLS (`target.tls`).
//! The `tls` probe's policy is in `probe/tls.rs`.

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
