//! Runs probe `tls` (cases: `model::TlsCase`): per URL with a selected check, one policy
//! handshake whose certificate the certificate checks judge, then the selected protocol
//! and HSTS checks; the plain-HTTP check apart. An unreachable URL makes its cases errors:
//! nothing was measured.

mod cert;
mod handshake;
mod legacy;
mod plain;

use std::time::{SystemTime, UNIX_EPOCH};

use rustls::version::{TLS12, TLS13};

use super::CaseResult;
use crate::engine::request::context::Context;
use crate::model::{TlsCase, TlsCheck, TlsProbe, TlsVersion};
use crate::results::{Finding, HarnessError, Outcome, TransportError, TransportKind};
use handshake::{Failed, handshake};

/// The selected cases, URL by URL; a URL is contacted only when one of its checks is
/// selected, and then always with the handshake that tells whether it is reachable.
pub async fn run(
    ctx: &Context,
    si: usize,
    probe: &TlsProbe,
    cases: &[TlsCase],
) -> Vec<(TlsCase, CaseResult)> {
    // The system roots are read once per probe, not once per URL.
    let anchors = cert::anchors(&ctx.suites[si].suite.tls);
    let mut out = Vec::new();
    for (ui, url) in probe.urls.iter().enumerate() {
        let checks: Vec<TlsCheck> = cases
            .iter()
            .filter_map(|c| match c {
                TlsCase::Url { url, check } if *url == ui => Some(*check),
                _ => None,
            })
            .collect();
        if checks.is_empty() {
            continue;
        }
        let results = endpoint(ctx, si, probe, url, &anchors, &checks).await;
        out.extend(
            results
                .into_iter()
                .map(|(check, r)| (TlsCase::Url { url: ui, check }, r)),
        );
    }
    if let Some(url) = &probe.plain_http
        && cases.contains(&TlsCase::PlainHttp)
    {
        out.push((TlsCase::PlainHttp, plain::check(ctx, url).await));
    }
    out
}

fn pass() -> CaseResult {
    CaseResult::of(Outcome::Pass)
}

fn fail(message: String, detail: String) -> CaseResult {
    CaseResult::of(Outcome::Fail(Finding::new(message, detail)))
}

/// The case could not be judged: `message` says what failed, `cause` how.
fn error(message: String, cause: HarnessError) -> CaseResult {
    CaseResult::of(super::harness(message, cause))
}

/// No TCP connection to the endpoint.
fn unreachable(chain: String) -> HarnessError {
    transport(TransportKind::Other, chain)
}

/// A handshake that did not complete, or a certificate that could not be read.
fn tls_failure(reason: String) -> HarnessError {
    transport(
        TransportKind::Tls {
            reason: reason.clone(),
        },
        reason,
    )
}

fn transport(kind: TransportKind, chain: String) -> HarnessError {
    HarnessError::Transport(TransportError {
        kind,
        request: None,
        reading_body: false,
        chain,
    })
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

async fn endpoint(
    ctx: &Context,
    si: usize,
    probe: &TlsProbe,
    url: &str,
    anchors: &rustls::RootCertStore,
    checks: &[TlsCheck],
) -> Vec<(TlsCheck, CaseResult)> {
    let all_errors = |why: String, cause: HarnessError| {
        checks
            .iter()
            .map(|c| (*c, error(why.clone(), cause.clone())))
            .collect()
    };
    let Some((host, port)) = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| Some((u.host_str()?.to_string(), u.port_or_known_default()?)))
    else {
        let why = format!("`{url}` has no host");
        return all_errors(why.clone(), HarnessError::request(why));
    };
    let timeout = ctx.http.timeout();
    let first = handshake(&host, port, &[&TLS13, &TLS12], timeout).await;
    let shown = match first {
        Err(Failed::Unreachable(e)) => {
            return all_errors(format!("unreachable: {e}"), unreachable(e));
        }
        Err(Failed::Refused(e)) => Err(tls_failure(format!(
            "no TLS 1.2 or 1.3 handshake completed: {e}"
        ))),
        Ok(h) if h.chain.is_empty() => Err(tls_failure("the server sent no certificate".into())),
        Ok(h) => cert::Facts::of(&h.chain[0]).map(|f| (h, f)),
    };
    let mut out = Vec::new();
    for &check in checks {
        let result = match check {
            TlsCheck::LegacyProtocolsRefused => legacy_refused(probe, &host, port, timeout).await,
            TlsCheck::ModernProtocolOffered => {
                let mut modern = modern_offered(probe, &host, port, timeout).await;
                if let Ok((h, _)) = &shown
                    && let Some(v) = h.version
                {
                    modern.info.push(format!("negotiated {v:?} by default"));
                }
                modern
            }
            TlsCheck::Hsts => hsts(ctx, si, probe, url).await,
            // Judged from the certificate of the first handshake.
            certificate => match &shown {
                Err(e) => error(e.to_string(), e.clone()),
                Ok(seen) => certificate_case(ctx, si, probe, &host, seen, anchors, certificate),
            },
        };
        out.push((check, result));
    }
    out
}

/// A check judged from the certificate the first handshake saw: certificate_trusted,
/// hostname_matches, not_expired, not_yet_valid, expiry_horizon, key_strength.
fn certificate_case(
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
                    format!(
                        "{seen}\nthe server sent {} certificate(s); anchors: the system roots{}\n\
                         An incomplete chain (a missing intermediate) fails here too.",
                        h.chain.len(),
                        tls.ca_file
                            .as_ref()
                            .map(|c| format!(" and {}", c.path.display()))
                            .unwrap_or_default()
                    ),
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
                seen,
            ),
        },
        TlsCheck::NotExpired if now > facts.not_after => fail(
            format!("the certificate expired on {}", cert::date(facts.not_after)),
            seen,
        ),
        TlsCheck::NotYetValid if now < facts.not_before => fail(
            format!(
                "the certificate is not valid before {}",
                cert::date(facts.not_before)
            ),
            seen,
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
                    seen,
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
                    seen,
                ),
            }
        }
        // Not expired, valid already; the handshake checks are not judged here.
        _ => pass(),
    }
}

/// TLS 1.0 and 1.1 (and 1.2 when the policy requires 1.3) must be refused.
async fn legacy_refused(
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
            "TLS 1.0 and 1.1 are deprecated (RFC 8996): they lack modern ciphers and are open to downgrade attacks".into(),
        )
    }
}

/// A handshake at the policy's version or above must work.
async fn modern_offered(
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
        tried.join("\n"),
    )
}

/// `Strict-Transport-Security` with a long enough max-age (RFC 6797).
async fn hsts(ctx: &Context, si: usize, probe: &TlsProbe, url: &str) -> CaseResult {
    let http = ctx.http_for(si);
    let ex = match http.send(http.request(reqwest::Method::GET, url)).await {
        Ok(ex) => ex,
        Err(e) => {
            return error(
                format!(
                    "the HSTS header could not be read (browsers ignore it over an untrusted connection anyway): {e}"
                ),
                e,
            );
        }
    };
    let policy = probe.hsts_min_age;
    match ex.header("strict-transport-security") {
        None => fail(
            "no Strict-Transport-Security header".into(),
            format!(
                "request: GET {url}\ngot:     {}\npolicy:  max-age >= {policy}",
                ex.status_line()
            ),
        ),
        Some(value) => match max_age(value) {
            Some(age) if age >= policy => pass(),
            Some(age) => fail(
                format!(
                    "`Strict-Transport-Security: {value}`: max-age {age} is below the policy's {policy}"
                ),
                format!("request: GET {url}"),
            ),
            None => fail(
                format!("`Strict-Transport-Security: {value}` has no valid max-age"),
                format!("request: GET {url}"),
            ),
        },
    }
}

/// The `max-age` directive, quoted or not (RFC 6797 §6.1.1).
fn max_age(value: &str) -> Option<u64> {
    value.split(';').find_map(|d| {
        let (k, v) = d.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::max_age;

    #[test]
    fn hsts_max_age_forms() {
        assert_eq!(
            max_age("max-age=31536000; includeSubDomains"),
            Some(31_536_000)
        );
        assert_eq!(max_age("includeSubDomains; Max-Age=\"60\""), Some(60));
        assert_eq!(max_age("max-age=soon"), None);
        assert_eq!(max_age("includeSubDomains"), None);
    }
}
