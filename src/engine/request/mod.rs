//! From a model request to an HTTP exchange: the context a check runs in, the client, the
//! role's credential, per-suite TLS clients and body excerpts.

pub mod context;
mod credentials;
pub mod excerpt;
pub mod http;
pub mod tls_clients;
