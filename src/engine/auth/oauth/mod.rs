//! OAuth 2.0 for roles and probes: discovery, token requests, the headless authorization
//! code walk, and the per-run token cache.

pub mod authorize;
mod discovery;
mod form;
pub mod token;
mod tokens;

pub use discovery::Endpoints;
pub use tokens::{Token, Tokens, fresh};
