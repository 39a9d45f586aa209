//! Engine: runs planned checks concurrently over one connection pool, applies the
//! positive-control rule to deny checks, and emits redacted results.

mod access;
mod context;
mod credentials;
mod excerpt;
mod executor;
mod expect;
mod http;
mod leaks;
mod logs;
mod oauth;
mod probes;
mod scenario;
mod setup;
mod tls_clients;
mod upstreams;

pub use executor::{EngineError, RunOptions, run};
pub use leaks::detector_ids;
pub use setup::CaChoice;
// The probes still name `engine::template`; it lives in the model now.
pub use crate::model::template;
