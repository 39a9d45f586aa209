//! Engine: runs planned checks concurrently over one connection pool, applies the
//! positive-control rule to deny checks, and emits redacted results.

mod auth;
mod checks;
mod doubles;
mod error;
mod probes;
mod request;
mod run;

pub use checks::detector_ids;
pub use error::EngineError;
pub use run::setup::CaChoice;
pub use run::{Planned, RunOptions, run};
