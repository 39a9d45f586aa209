//! From a model request to an HTTP exchange: the context a check runs in, the client and
//! its connection budget per origin, the role's credential and cookie jar, per-suite TLS clients and the roots they verify with, bodies
//! read decoded and bounded, typed transport errors, and body excerpts.

mod body;
mod budget;
pub mod context;
pub mod cookies;
mod credentials;
pub mod excerpt;
pub mod http;
pub mod roots;
pub mod tls_clients;
mod transport;
