//! Probe `tls` (cases: `model::TlsCase`): transport security of each URL.

mod cert;
mod certificate;
mod client_cert;
mod handshake;
mod hsts;
mod legacy;
mod plain;
mod probe;
mod protocols;
mod verdict;

pub use probe::run;
use verdict::{error, pass, tls_failure, transport, unreachable};
