//! The protocol cases: legacy versions refused (RFC 8996), a version at the policy's
//! minimum or above offered.

use rustls::version::{TLS12, TLS13};

use super::handshake::{Failed, handshake};
use super::legacy;
use super::verdict::{error, fail, notes, pass, unreachable};
use crate::engine::probes::CaseResult;
use crate::model::{TlsProbe, TlsVersion};
use crate::results::{Evidence, HarnessError, Problem};

/// TLS 1.0 and 1.1 (and 1.2 when the policy requires 1.3) must be refused.
pub async fn legacy_refused(
    probe: &TlsProbe,
    host: &str,
    port: u16,
    timeout: std::time::Duration,
) -> CaseResult {
    let mut accepted = Vec::new();
    for v in [TlsVersion::V1_0, TlsVersion::V1_1] {
        let (h, t) = (host.to_string(), timeout);
        let r = tokio::task::spawn_blocking(move || legacy::accepts(&h, port, v, t)).await;
        match r {
            Ok(Ok(true)) => accepted.push(v.name()),
            Ok(Ok(false)) => {}
            Ok(Err(e)) => {
                let why = format!("the {} handshake could not be tried: {e}", v.name());
                return error(why, e);
            }
            Err(e) => {
                let why = format!("the {} handshake could not be tried: {e}", v.name());
                return error(why, HarnessError::setup(e.to_string()));
            }
        }
    }
    if probe.min_version == TlsVersion::V1_3
        && handshake(host, port, &[&TLS12], timeout).await.is_ok()
    {
        accepted.push("TLS 1.2");
    }
    if accepted.is_empty() {
        pass()
    } else {
        fail(
            format!(
                "the server accepted {} (below the policy's {})",
                accepted.join(" and "),
                probe.min_version.name()
            ),
            notes(vec!["TLS 1.0 and 1.1 are deprecated (RFC 8996): they lack modern ciphers and are open to downgrade attacks".into()]),
        )
    }
}

/// A handshake at the policy's version or above must work.
pub async fn modern_offered(
    probe: &TlsProbe,
    host: &str,
    port: u16,
    timeout: std::time::Duration,
) -> CaseResult {
    let mut tried = Vec::new();
    let candidates: &[(&'static rustls::SupportedProtocolVersion, &str)] = match probe.min_version {
        TlsVersion::V1_3 => &[(&TLS13, "TLS 1.3")],
        _ => &[(&TLS13, "TLS 1.3"), (&TLS12, "TLS 1.2")],
    };
    for (version, name) in candidates {
        match handshake(host, port, &[version], timeout).await {
            Ok(_) => return pass(),
            Err(Failed::Unreachable(e)) => {
                return error(format!("unreachable: {e}"), unreachable(e));
            }
            Err(Failed::Refused(e)) => tried.push(format!("{name}: {e}")),
        }
    }
    fail(
        format!(
            "no handshake at {} or above completed",
            probe.min_version.name()
        ),
        // Each version tried, and why its handshake failed.
        Evidence {
            problems: tried.into_iter().map(Problem::Text).collect(),
            ..Evidence::default()
        },
    )
}
