//! The verdicts of the TLS cases, and the transport errors an endpoint that could not
//! be measured is reported with.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::engine::probes::{CaseResult, failure, harness};
use crate::results::{Evidence, HarnessError, Outcome, TransportError, TransportKind};

pub fn pass() -> CaseResult {
    CaseResult::of(Outcome::Pass)
}

pub fn fail(message: String, evidence: Evidence) -> CaseResult {
    CaseResult::of(failure(message, evidence))
}

/// Evidence that is lines of explanation: what the certificate says, why it matters.
pub fn notes(lines: Vec<String>) -> Evidence {
    Evidence {
        notes: lines,
        ..Evidence::default()
    }
}

/// The case could not be judged: `message` says what failed, `cause` how.
pub fn error(message: String, cause: HarnessError) -> CaseResult {
    CaseResult::of(harness(message, cause))
}

/// No TCP connection to the endpoint.
pub fn unreachable(chain: String) -> HarnessError {
    transport(TransportKind::Other, chain)
}

/// A handshake that did not complete, or a certificate that could not be read.
pub fn tls_failure(reason: String) -> HarnessError {
    transport(
        TransportKind::Tls {
            reason: reason.clone(),
        },
        reason,
    )
}

pub fn transport(kind: TransportKind, chain: String) -> HarnessError {
    HarnessError::Transport(TransportError {
        kind,
        request: None,
        reading_body: false,
        chain,
    })
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
