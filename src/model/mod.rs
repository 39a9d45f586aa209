//! The model: plain data that every front end (YAML, Gherkin) produces and the planner
//! and engine consume, and the names loaders check suites against. No I/O happens here.

mod access;
mod expect;
mod key_quality;
mod leakage;
mod location;
mod log;
mod mutation;
mod oauth;
mod probe;
mod request;
mod role;
mod scenario;
mod secret;
mod suite;
pub mod template;
mod tls;
mod upstream;

pub use access::{AccessEntry, Verdict};
pub use expect::{Expectation, HeaderExpectation, JsonAssertion};
pub use key_quality::{KeyQuality, entropy_bits};
pub use leakage::{DETECTOR_IDS, Leakage};
pub use location::Location;
pub use log::LogRule;
pub use mutation::MUTATIONS;
pub use oauth::{AuthServer, ClientAuth, Grant, OAuth2Role};
pub use probe::{
    HeadersProbe, OAUTH_CHECKS, OAuthProbe, Probe, RateLimitProbe, TokensProbe, WebhookProbe,
    WebhookScheme,
};
pub use request::{Body, Request};
pub use role::{Credential, KeyPlacement, Role, RoleId};
pub use scenario::{Capture, Scenario, Step};
pub use secret::{Secret, credential_like};
pub use suite::{Policy, Suite, Target};
pub use tls::{CaFile, PLAIN_HTTP_CHECK, TLS_CHECKS, TlsProbe, TlsSettings, TlsVersion, host_port};
pub use upstream::{Route, Sut, Upstream, UpstreamExpectation, UpstreamHeader, UpstreamTls};
