//! TLS plumbing authspec serves with: a per-run certificate authority (rcgen) and a TLS
//! front (tokio-rustls) that terminates TLS for an in-process HTTP server such as the
//! demo or a stub upstream (wiremock speaks plain HTTP only); and rustls errors in words.

mod ca;
mod front;
mod reason;

pub use ca::{Ca, Leaf, Validity};
pub use front::{Front, Handshake, Mode, Wire, server_config};
pub use reason::{rustls_reason, webpki_reason};
