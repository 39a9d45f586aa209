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
pub use run::{RunOptions, run};

// The paths `probes/` was written against, until it moves to the ones above.
use auth::oauth;
use checks::expect;
use request::{context, http};
// The probes still name `engine::template`; it lives in the model now.
pub use crate::model::template;
