//! TLS settings across a run's HTTP clients: the CA files every suite trusts, and the
//! warning a suite with verification off carries on each of its cases.

use crate::model::{CaFile, Suite, TlsSettings};

/// With verification off, anyone on the path could have answered: say so on every case.
pub fn notice(suite: &Suite) -> Option<String> {
    (!suite.tls.verify).then(|| {
        "TLS verification is off for this suite (`target.tls.verify: false`): its results \
         say nothing about who answered, and its credentials were sent to an unverified peer"
            .to_string()
    })
}

/// Every suite's `ca_file`, as one PEM bundle.
pub fn merged_ca_files<'a>(settings: impl Iterator<Item = &'a TlsSettings>) -> Option<CaFile> {
    let mut pem = Vec::new();
    let mut seen = Vec::new();
    for ca in settings.filter_map(|t| t.ca_file.as_ref()) {
        if !seen.contains(&&ca.path) {
            seen.push(&ca.path);
            pem.extend_from_slice(&ca.pem);
            pem.push(b'\n');
        }
    }
    (!seen.is_empty()).then(|| CaFile {
        path: seen[0].clone(),
        pem,
    })
}
