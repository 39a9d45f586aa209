//! Probe `oauth` (cases: `model::OAuthCase`): the authorization server's own guarantees.

mod client;
mod code;
mod context;
mod issued;
mod probe;
mod refresh;
mod revocation;
mod verdict;

use super::{CaseResult, refused, seen};
use context::Ctx;
pub use probe::run;
use verdict::{error, error_in, fail, notes, pass, server_refused, skip};
