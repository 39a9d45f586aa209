//! The verdicts of the OAuth cases: pass, skip, a failure with its evidence, and a case
//! the authorization server or the harness kept from being judged.

use crate::engine::probes::{CaseResult, failure, harness};
use crate::results::{Evidence, HarnessError, Outcome};

pub fn pass() -> CaseResult {
    CaseResult::of(Outcome::Pass)
}

pub fn skip(why: impl Into<String>) -> CaseResult {
    CaseResult::of(Outcome::Skipped(why.into()))
}

pub fn fail(message: impl Into<String>, evidence: Evidence) -> CaseResult {
    CaseResult::of(failure(message, evidence))
}

/// Evidence that is only lines of explanation (what was requested and granted, why it
/// matters): the authorization server's answers are not one request and response.
pub fn notes<const N: usize>(lines: [String; N]) -> Evidence {
    Evidence {
        notes: lines.into(),
        ..Evidence::default()
    }
}

/// The case could not be judged; the cause's text is the message.
pub fn error(cause: HarnessError) -> CaseResult {
    CaseResult::of(harness(cause.to_string(), cause))
}

/// The authorization server did not do what the case needs first (`text` says what).
pub fn server_refused(text: String) -> HarnessError {
    HarnessError::AuthServer {
        error: None,
        error_description: None,
        text,
    }
}

/// The case could not be judged while doing what `message` says.
pub fn error_in(message: String, cause: HarnessError) -> CaseResult {
    CaseResult::of(harness(message, cause))
}
