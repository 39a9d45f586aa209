//! TLS 1.0 and 1.1 handshakes, which rustls cannot speak: OpenSSL (the `openssl` crate,
//! linked to the system's libssl) with security level 0, so the client offers the old
//! versions and ciphers a misconfigured server might still accept. Used for this probe
//! only; certificates are not verified here (the rustls handshakes judge them).

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode, SslVersion};

use crate::model::TlsVersion;
use crate::results::HarnessError;

/// `Ok(true)` when the server completes a handshake at exactly `version`.
pub fn accepts(
    host: &str,
    port: u16,
    version: TlsVersion,
    timeout: Duration,
) -> Result<bool, HarnessError> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let at = |e: &dyn std::fmt::Display| super::unreachable(format!("{host}:{port}: {e}"));
    let addr = (host, port)
        .to_socket_addrs()
        .map_err(|e| at(&e))?
        .next()
        .ok_or_else(|| at(&"no address"))?;
    let tcp = TcpStream::connect_timeout(&addr, timeout).map_err(|e| at(&e))?;
    tcp.set_read_timeout(Some(timeout))
        .map_err(|e| super::unreachable(e.to_string()))?;
    tcp.set_write_timeout(Some(timeout))
        .map_err(|e| super::unreachable(e.to_string()))?;
    let v = match version {
        TlsVersion::V1_0 => SslVersion::TLS1,
        TlsVersion::V1_1 => SslVersion::TLS1_1,
        TlsVersion::V1_2 => SslVersion::TLS1_2,
        TlsVersion::V1_3 => SslVersion::TLS1_3,
    };
    let setup =
        |e: openssl::error::ErrorStack| HarnessError::setup(format!("cannot set up OpenSSL: {e}"));
    let mut builder = SslConnector::builder(SslMethod::tls_client()).map_err(setup)?;
    builder.set_min_proto_version(Some(v)).map_err(setup)?;
    builder.set_max_proto_version(Some(v)).map_err(setup)?;
    // Level 0 re-enables what OpenSSL 3 refuses by default for these versions (SHA-1
    // signatures, small keys): the question is what the server accepts.
    builder.set_cipher_list("ALL:@SECLEVEL=0").map_err(setup)?;
    builder.set_verify(SslVerifyMode::NONE);
    let mut config = builder.build().configure().map_err(setup)?;
    config.set_verify_hostname(false);
    let sni = host.parse::<std::net::IpAddr>().is_err();
    config.set_use_server_name_indication(sni);
    match config.connect(host, tcp) {
        Ok(stream) => Ok(stream.ssl().version2() == Some(v)),
        // A failed or stalled handshake: the server did not agree to this version.
        Err(_) => Ok(false),
    }
}
