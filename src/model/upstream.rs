//! Stub upstreams and the system under test: the third-party APIs authspec stands in for
//! (routes, where they listen, which certificate a scenario presents) and the SUT process
//! authspec starts pointed at them, with what each step expects the upstreams received.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::{Body, Location};

#[derive(Clone, Debug)]
pub struct Upstream {
    pub name: String,
    pub routes: Vec<Route>,
    /// A fixed address, for a SUT started outside authspec; a free port otherwise.
    pub listen: Option<SocketAddr>,
    /// Its response bodies are confidential: seen in a response of the SUT, they leak.
    pub internal: bool,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct Route {
    pub method: String,
    pub path: String,
    /// Query parameters the request must carry for this route to answer.
    pub query: Vec<(String, String)>,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Body>,
}

/// The system under test, started by authspec for the run.
#[derive(Clone, Debug)]
pub struct Sut {
    /// Program and arguments; run in the suite file's directory.
    pub command: Vec<String>,
    /// Values may hold run templates (`{{sut.port}}`, `{{upstreams.NAME.url}}`, ...).
    pub env: Vec<(String, String)>,
    /// `GET /health`: polled until it answers 2xx.
    pub ready_method: String,
    pub ready_path: String,
    pub ready_timeout: Duration,
    pub dir: PathBuf,
    pub location: Location,
}

/// The certificate (or its absence) an upstream presents during one scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpstreamTls {
    Valid,
    Expired,
    NotYetValid,
    SelfSigned,
    WrongHost,
    UntrustedCa,
    PlainHttp,
}

impl UpstreamTls {
    pub const ALL: [(&'static str, UpstreamTls); 7] = [
        ("valid", UpstreamTls::Valid),
        ("expired", UpstreamTls::Expired),
        ("not_yet_valid", UpstreamTls::NotYetValid),
        ("self_signed", UpstreamTls::SelfSigned),
        ("wrong_host", UpstreamTls::WrongHost),
        ("untrusted_ca", UpstreamTls::UntrustedCa),
        ("plain_http", UpstreamTls::PlainHttp),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("valid", |(n, _)| n)
    }

    /// For messages: "an expired certificate", "plain HTTP".
    pub fn described(self) -> &'static str {
        match self {
            UpstreamTls::Valid => "a valid certificate",
            UpstreamTls::Expired => "an expired certificate",
            UpstreamTls::NotYetValid => "a certificate that is not yet valid",
            UpstreamTls::SelfSigned => "a self-signed certificate",
            UpstreamTls::WrongHost => "a certificate for another host",
            UpstreamTls::UntrustedCa => "a certificate from an untrusted CA",
            UpstreamTls::PlainHttp => "plain HTTP (no TLS)",
        }
    }
}

/// What one upstream must have received during a step.
#[derive(Clone, Debug)]
pub struct UpstreamExpectation {
    /// Index into `Suite::upstreams`.
    pub upstream: usize,
    pub requests: Option<super::Count>,
    /// The gaps between its requests must grow (retries with backoff).
    pub backoff: Option<super::Backoff>,
    /// Every request received has this method and path.
    pub request: Option<(String, String)>,
    pub headers: Vec<UpstreamHeader>,
    pub query_has_no_secret: bool,
}

#[derive(Clone, Debug)]
pub enum UpstreamHeader {
    Equals(String, String),
    Present(String),
    Absent(String),
}
