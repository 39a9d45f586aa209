//! The one lowering: raw structs (from either front end) into the model, one section a
//! file, every problem of the file collected before giving up.

mod checks;
mod client_cert;
mod context;
mod enumeration;
mod expect;
mod faults;
mod login;
mod oauth;
mod openapi;
mod policy;
mod probes;
mod request;
mod roles;
mod secret;
mod secrets;
mod setup;
mod suite;
mod sut;
mod target;
mod templates;
mod tls;
mod upstreams;
mod values;
mod wording;

pub use checks::scenario;
pub use context::Cx;
pub use probes::probe;
pub use suite::{config, suite};
pub use tls::tls_probes_default_to_target;
pub use wording::FrontEnd;
