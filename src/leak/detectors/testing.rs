//! Test helpers for the detectors' table-driven tests.

use crate::leak::{Detector, Leak, Response};

/// Scans a response with this body and no headers or run secrets.
pub fn scan_body(detector: &dyn Detector, body: &str) -> Vec<Leak> {
    detector.scan(&Response {
        headers: &[],
        body,
        run_secrets: &[],
        own_hosts: &[],
    })
}
