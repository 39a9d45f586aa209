//! The certificate cases, judged from the certificate the first handshake saw: trusted
//! chain, hostname, validity period, expiry horizon and key strength.

use super::verdict::{fail, notes, now, pass};
use super::{cert, handshake};
use crate::engine::probes::CaseResult;
use crate::engine::request::context::Context;
use crate::model::{TlsCheck, TlsProbe};

/// A check judged from the certificate the first handshake saw: certificate_trusted,
/// hostname_matches, not_expired, not_yet_valid, expiry_horizon, key_strength.
pub fn certificate_case(
    ctx: &Context,
    si: usize,
    probe: &TlsProbe,
    host: &str,
    (h, facts): &(handshake::Handshake, cert::Facts),
    anchors: &rustls::RootCertStore,
    check: TlsCheck,
) -> CaseResult {
    let seen = facts.summary();
    let now = now();
    match check {
        TlsCheck::CertificateTrusted => {
            let tls = &ctx.suites[si].suite.tls;
            match cert::chain_trusted(&h.chain, facts, anchors.clone()) {
                Ok(()) => pass(),
                Err(e) => fail(
                    format!("the certificate chain does not build to a trust anchor: {e}"),
                    notes(vec![
                        seen,
                        format!(
                            "the server sent {} certificate(s); anchors: the system roots{}",
                            h.chain.len(),
                            tls.ca_file
                                .as_ref()
                                .map(|c| format!(" and {}", c.path.display()))
                                .unwrap_or_default()
                        ),
                        "An incomplete chain (a missing intermediate) fails here too.".into(),
                    ]),
                ),
            }
        }
        TlsCheck::HostnameMatches => match cert::names_host(&h.chain[0], host) {
            Ok(()) => pass(),
            Err(_) => fail(
                format!(
                    "the certificate is not valid for `{host}`: it names {}",
                    if facts.names.is_empty() {
                        "no subject alternative name".to_string()
                    } else {
                        facts.names.join(", ")
                    }
                ),
                notes(vec![seen]),
            ),
        },
        TlsCheck::NotExpired if now > facts.not_after => fail(
            format!("the certificate expired on {}", cert::date(facts.not_after)),
            notes(vec![seen]),
        ),
        TlsCheck::NotYetValid if now < facts.not_before => fail(
            format!(
                "the certificate is not valid before {}",
                cert::date(facts.not_before)
            ),
            notes(vec![seen]),
        ),
        TlsCheck::ExpiryHorizon => {
            let days_left = (facts.not_after - now) / 86_400;
            if days_left < i64::from(probe.min_days_to_expiry) {
                fail(
                    format!(
                        "the certificate expires on {} ({days_left} days left), policy: at least {} days",
                        cert::date(facts.not_after),
                        probe.min_days_to_expiry
                    ),
                    notes(vec![seen]),
                )
            } else {
                pass()
            }
        }
        TlsCheck::KeyStrength => {
            let (kind, bits) = facts.key;
            let weak = match kind {
                "RSA" => (bits < probe.min_rsa_bits as usize)
                    .then(|| format!("at least {} bits", probe.min_rsa_bits)),
                "EC" => (bits < 256).then(|| "at least 256 bits".to_string()),
                "EdDSA" => None,
                _ => Some("RSA or elliptic-curve keys".to_string()),
            };
            match weak {
                None => pass(),
                Some(policy) => fail(
                    format!("the certificate's key is {kind} {bits} bits, policy: {policy}"),
                    notes(vec![seen]),
                ),
            }
        }
        // Not expired, valid already; the handshake checks are not judged here.
        _ => pass(),
    }
}
