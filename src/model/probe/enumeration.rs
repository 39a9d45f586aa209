//! Probe `enumeration`: a login (or password reset, or sign-up) must answer an unknown
//! account and a known account with a wrong secret alike, or whoever probes it learns
//! which accounts exist and can aim credential stuffing at them. The two variants are
//! compared by status, body (inputs echoed back and volatile values normalised away) and
//! headers (volatile ones ignored); their response times are compared too, as a warning
//! only, since timing is noisy. CWE-204 (observable response discrepancy), CWE-208
//! (observable timing discrepancy); OWASP API2:2023.

use std::time::Duration;

use super::ProbeCase;
use super::case::probe_cases;
use crate::model::{Location, Request, RoleId};

/// The two variants of one request must be answered alike.
#[derive(Clone, Debug)]
pub struct EnumerationProbe {
    /// Sent as this role; without one, with no credential (a login needs none).
    pub role: Option<RoleId>,
    /// The request with the unknown account's input.
    pub unknown: Request,
    /// The request with a known account and a wrong secret.
    pub wrong_secret: Request,
    /// Timed requests of each variant, interleaved, for `timing`.
    pub tries: u32,
    /// `timing` warns when the medians differ by more than this.
    pub threshold: Duration,
    /// The suite entry, for the `-->` line of every finding and error of the probe.
    pub location: Location,
}

probe_cases! {
    /// What must not tell the two variants apart.
    pub enum EnumerationCase in "enumeration" {
        /// Both variants get the same status.
        SameStatus = "same_status", cwe [204], owasp API2;
        /// Both get the same body, once what each sent and volatile values (timestamps,
        /// request ids, UUIDs) are normalised away.
        SameBody = "same_body", cwe [204], owasp API2;
        /// Both get the same headers, volatile ones (`Date`, request ids, cookie values,
        /// `ETag`, timing headers) aside.
        SameHeaders = "same_headers", cwe [204], owasp API2;
        /// The medians of `tries` timed requests of each differ by at most `threshold`;
        /// otherwise a warning, not a failure.
        Timing = "timing", cwe [208], owasp API2;
    }
}

impl EnumerationProbe {
    pub fn cases(&self) -> Vec<ProbeCase> {
        EnumerationCase::ALL
            .iter()
            .map(|&c| ProbeCase::Enumeration(c))
            .collect()
    }
}
