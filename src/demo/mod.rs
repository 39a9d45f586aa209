//! The built-in demo target: an orders API served in-process (wiremock) with correct and
//! deliberately flawed endpoints, so a first run shows passes and real findings.

mod credentials;
mod endpoints;
mod hygiene;
mod openapi;
mod orders;
mod server;

pub use credentials::{DemoCredentials, os_random};
pub use endpoints::DemoEndpoints;
pub use server::DemoServer;
