//! Probe `headers`: security headers and CORS on each listed request, sent as the role
//! with an `Origin` of a site that is not the API's. The four cases repeat per request.
//! OWASP API8:2023 (security misconfiguration).

use super::ProbeCase;
use super::case::probe_cases;
use crate::model::{Location, Request, RoleId};

/// Security headers and CORS on each request.
#[derive(Clone, Debug)]
pub struct HeadersProbe {
    pub role: RoleId,
    pub requests: Vec<Request>,
    pub location: Location,
}

probe_cases! {
    /// What each response must say about itself.
    pub enum HeadersCase in "headers" {
        /// `X-Content-Type-Options: nosniff`: browsers must not guess content types.
        Nosniff = "nosniff", cwe [430], owasp API8;
        /// `X-Frame-Options: DENY|SAMEORIGIN` or CSP `frame-ancestors`: no clickjacking.
        Framing = "framing", cwe [1021], owasp API8;
        /// A response carrying a token says `Cache-Control: no-store` (RFC 6749 §5.1).
        NoStoreWithTokens = "no_store_with_tokens", cwe [525], owasp API8;
        /// An arbitrary origin is not reflected together with
        /// `Access-Control-Allow-Credentials: true`.
        Cors = "cors", cwe [942], owasp API8;
    }
}

impl HeadersProbe {
    /// Every case, request by request.
    pub fn cases(&self) -> Vec<ProbeCase> {
        (0..self.requests.len())
            .flat_map(|request| {
                HeadersCase::ALL
                    .iter()
                    .map(move |&case| ProbeCase::Headers { request, case })
            })
            .collect()
    }
}
