//! The model: plain data that every front end (YAML, Gherkin) produces and the planner
//! and engine consume, and the names loaders check suites against. No I/O happens here.

mod access;
mod expect;
mod fault;
mod key_quality;
mod leakage;
mod location;
mod log;
mod login;
mod oauth;
mod openapi;
mod probe;
mod request;
mod role;
mod scenario;
mod secret;
mod setup;
mod suite;
pub mod template;
mod tls;
mod upstream;

pub use access::{AccessEntry, Verdict};
pub use expect::{Expectation, HeaderExpectation, JsonAssertion};
pub use fault::{Backoff, Count, FaultAnswer, MAX_HUGE_BODY, Malformed, UpstreamFault};
pub use key_quality::{KeyQuality, entropy_bits};
pub use leakage::{DETECTOR_IDS, Leakage};
pub use location::Location;
pub use log::LogRule;
pub use login::{Login, Sending, TokenFrom};
pub use oauth::{AuthServer, ClientAuth, Grant, OAuth2Role};
pub use openapi::{OpenApi, Operation, SpecOrigin};
pub use probe::{
    EnumerationCase, EnumerationProbe, HeadersCase, HeadersProbe, MUTATIONS, OAUTH_CHECKS,
    OAuthCase, OAuthProbe, Probe, ProbeCase, RateLimitCase, RateLimitProbe, TlsCase, TlsCheck,
    TlsProbe, TlsVersion, TokensCase, TokensProbe, WebhookCase, WebhookProbe, WebhookScheme,
    Wordlist, host_port,
};
pub use request::{Body, METHODS, Request, method};
pub use role::{Credential, KeyPlacement, Role, RoleId};
pub use scenario::{Capture, Scenario, Step};
pub use secret::{Secret, credential_like};
pub use setup::{Setup, SetupStep};
pub use suite::{Policy, Suite, Target};
pub use tls::{CaFile, ClientCert, TlsSettings};
pub use upstream::{Route, Sut, Upstream, UpstreamExpectation, UpstreamHeader, UpstreamTls};
