//! Why a run could not start at all (as opposed to a check that errs, which is a result).

use crate::results::HarnessError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error("cannot start the demo target: {0}")]
    Demo(#[source] std::io::Error),
    #[error("cannot start the demo target: no demo credentials were set up")]
    NoDemoCredentials,
    #[error("cannot prepare the stub upstreams: {0}")]
    Upstream(#[source] HarnessError),
}
