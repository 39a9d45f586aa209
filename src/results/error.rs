//! A check that could not be judged, and why: a harness failure (connection refused, DNS,
//! TLS, timeout, an auth server's error, a SUT that exited…), a deny that proves
//! nothing, a suite that could not start. Never a pass, never a finding.

use std::fmt;
use std::time::Duration;

use super::evidence::Evidence;
use super::limit::BodyLimit;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    pub kind: ErrorKind,
    /// The one line a reader sees first.
    pub message: String,
    pub evidence: Box<Evidence>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The harness could not make a request or read what it needed.
    Harness(HarnessError),
    /// A refusal by a role whose credentials were never shown to work.
    VacuousDeny,
    /// A probe or an upstream check saw nothing it could judge (no refusal observed).
    Vacuous,
    /// The suite's SUT or stub upstreams did not start, and why.
    SuiteUnavailable(HarnessError),
    /// A planning bug (a case without a result): reported, never a panic.
    Internal,
    /// A skipped case in a run that fails on skips (`--fail-on-skip`, `fail_on_skip:`).
    Skipped,
}

/// Why the harness failed. The Display text is what the report prints.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HarnessError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The auth server refused to issue a token (`invalid_client (401 …): …`).
    #[error("{text}")]
    AuthServer {
        /// The OAuth `error` code, when the answer had one.
        error: Option<String>,
        error_description: Option<String>,
        text: String,
    },
    /// Discovery, the login walk or the authorization redirect did not give what a
    /// token request needs.
    #[error("{reason}")]
    OAuth { reason: String },
    /// A role's token could not be obtained; `cause` says why.
    #[error("role {role} could not obtain a token from {server}: {cause}")]
    Token {
        role: String,
        server: String,
        cause: Box<HarnessError>,
    },
    /// The request the suite describes cannot be built (an unknown `${var}`, a bad
    /// method).
    #[error("{reason}")]
    Request { reason: String },
    /// The SUT process exited: how, and what it printed last.
    #[error("{report}")]
    SutExited { report: String },
    /// The SUT started but never answered its readiness request.
    #[error("{report}")]
    SutNotReady { report: String },
    /// A file the harness must read or write (a log, a CA); `what` may be empty.
    #[error("{}", if what.is_empty() { reason.clone() } else { format!("{what}: {reason}") })]
    Io {
        what: String,
        kind: std::io::ErrorKind,
        reason: String,
    },
    /// A stub upstream or the SUT could not be set up.
    #[error("{reason}")]
    Setup { reason: String },
    /// The response body went past `--max-body`, and what `needs` names reads all of it.
    #[error(
        "{request}: the body is larger than --max-body ({limit}); it was not judged: \
         {needs} need{s} all of it (raise --max-body to judge it)",
        s = if needs.contains(" and ") { "" } else { "s" }
    )]
    BodyTooLarge {
        request: String,
        limit: BodyLimit,
        /// `the leak scan and \`body_not_contains\``.
        needs: String,
    },
}

/// A request that failed on the wire, classified by walking the error's causes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text())]
pub struct TransportError {
    pub kind: TransportKind,
    /// `GET http://host/x`, when the request was built.
    pub request: Option<String>,
    /// The failure came while reading the body, after the status.
    pub reading_body: bool,
    /// The error and its causes on one line, most specific last.
    pub chain: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportKind {
    ConnectRefused,
    Dns,
    /// The rustls / webpki reason (`invalid peer certificate: UnknownIssuer`).
    Tls {
        reason: String,
    },
    Timeout {
        after: Duration,
    },
    /// The request could not be built (a bad URL or header).
    Build,
    /// The body's `Content-Encoding` stream (gzip, deflate, brotli, zstd) is corrupt.
    Decode,
    /// Anything else reqwest reports; `chain` says what.
    Other,
}

impl TransportError {
    fn text(&self) -> String {
        let body = if self.reading_body {
            "reading the body: "
        } else {
            ""
        };
        match &self.request {
            Some(r) => format!("{r}: {body}{}", self.chain),
            None => format!("{body}{}", self.chain),
        }
    }
}

impl HarnessError {
    pub fn oauth(reason: impl Into<String>) -> Self {
        Self::OAuth {
            reason: reason.into(),
        }
    }

    pub fn request(reason: impl Into<String>) -> Self {
        Self::Request {
            reason: reason.into(),
        }
    }

    pub fn io(what: impl Into<String>, e: &std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            kind: e.kind(),
            reason: e.to_string(),
        }
    }

    pub fn setup(reason: impl Into<String>) -> Self {
        Self::Setup {
            reason: reason.into(),
        }
    }
}

impl CheckError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, evidence: Evidence) -> Self {
        Self {
            kind,
            message: message.into(),
            evidence: Box::new(evidence),
        }
    }

    /// The detail block reporters print under the message.
    pub fn detail(&self) -> String {
        self.evidence.text()
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
