//! Probe `tls`: does each endpoint meet the TLS policy? Per URL: a trusted chain, the
//! right name, validity and horizon, key strength, no legacy protocol, a modern one, and
//! HSTS; and a plain-HTTP URL that refuses or redirects to https. CWE-295 (improper
//! certificate validation), CWE-326 (inadequate encryption strength), CWE-319 (cleartext
//! transmission); OWASP API8:2023 (security misconfiguration).
//! An unreachable URL makes its cases errors: nothing was measured.

mod cert;
mod handshake;
mod legacy;
mod plain;

use std::time::{SystemTime, UNIX_EPOCH};

use rustls::version::{TLS12, TLS13};

use super::CaseResult;
use crate::engine::context::Context;
use crate::model::{TLS_CHECKS, TlsProbe, TlsVersion};
use crate::results::{Finding, Outcome};
use handshake::{Failed, handshake};

pub async fn run(ctx: &Context, si: usize, probe: &TlsProbe) -> Vec<CaseResult> {
    // The system roots are read once per probe, not once per URL.
    let anchors = cert::anchors(&ctx.suites[si].suite.tls);
    let mut out = Vec::new();
    for url in &probe.urls {
        out.extend(endpoint(ctx, si, probe, url, &anchors).await);
    }
    if let Some(url) = &probe.plain_http {
        out.push(plain::check(ctx, url).await);
    }
    out
}

fn pass() -> CaseResult {
    CaseResult::of(Outcome::Pass)
}

fn fail(message: String, detail: String) -> CaseResult {
    CaseResult::of(Outcome::Fail(Finding::new(message, detail)))
}

fn error(message: String) -> CaseResult {
    CaseResult::of(Outcome::Error(Finding::new(message, String::new())))
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
) -> Vec<CaseResult> {
    let all_errors = |why: String| TLS_CHECKS.iter().map(|_| error(why.clone())).collect();
    let Some((host, port)) = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| Some((u.host_str()?.to_string(), u.port_or_known_default()?)))
    else {
        return all_errors(format!("`{url}` has no host"));
    };
    let timeout = ctx.http.timeout();
    let first = handshake(&host, port, &[&TLS13, &TLS12], timeout).await;
    let shown = match first {
        Err(Failed::Unreachable(e)) => return all_errors(format!("unreachable: {e}")),
        Err(Failed::Refused(e)) => Err(format!("no TLS 1.2 or 1.3 handshake completed: {e}")),
        Ok(h) if h.chain.is_empty() => Err("the server sent no certificate".to_string()),
        Ok(h) => cert::Facts::of(&h.chain[0]).map(|f| (h, f)),
    };
    let mut out = match &shown {
        Err(e) => (0..6).map(|_| error(e.clone())).collect(),
        Ok((h, facts)) => certificate_cases(ctx, si, probe, &host, h, facts, anchors),
    };
    out.push(legacy_refused(probe, &host, port, timeout).await);
    let mut modern = modern_offered(probe, &host, port, timeout).await;
    if let Ok((h, _)) = &shown
        && let Some(v) = h.version
    {
        modern.info.push(format!("negotiated {v:?} by default"));
    }
    out.push(modern);
    out.push(hsts(ctx, si, probe, url).await);
    out
}

/// certificate_trusted, hostname_matches, not_expired, not_yet_valid, expiry_horizon,
/// key_strength: in `TLS_CHECKS` order.
fn certificate_cases(
    ctx: &Context,
    si: usize,
    probe: &TlsProbe,
    host: &str,
    h: &handshake::Handshake,
    facts: &cert::Facts,
    anchors: &rustls::RootCertStore,
) -> Vec<CaseResult> {
    let seen = facts.summary();
    let tls = &ctx.suites[si].suite.tls;
    let trusted = match cert::chain_trusted(&h.chain, facts, anchors.clone()) {
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
    };
    let names = match cert::names_host(&h.chain[0], host) {
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
            seen.clone(),
        ),
    };
    let now = now();
    let not_expired = if now > facts.not_after {
        fail(
            format!("the certificate expired on {}", cert::date(facts.not_after)),
            seen.clone(),
        )
    } else {
        pass()
    };
    let not_yet_valid = if now < facts.not_before {
        fail(
            format!(
                "the certificate is not valid before {}",
                cert::date(facts.not_before)
            ),
            seen.clone(),
        )
    } else {
        pass()
    };
    let days_left = (facts.not_after - now) / 86_400;
    let horizon = if days_left < i64::from(probe.min_days_to_expiry) {
        fail(
            format!(
                "the certificate expires on {} ({days_left} days left), policy: at least {} days",
                cert::date(facts.not_after),
                probe.min_days_to_expiry
            ),
            seen.clone(),
        )
    } else {
        pass()
    };
    let (kind, bits) = facts.key;
    let weak = match kind {
        "RSA" => (bits < probe.min_rsa_bits as usize)
            .then(|| format!("at least {} bits", probe.min_rsa_bits)),
        "EC" => (bits < 256).then(|| "at least 256 bits".to_string()),
        "EdDSA" => None,
        _ => Some("RSA or elliptic-curve keys".to_string()),
    };
    let strength = match weak {
        None => pass(),
        Some(policy) => fail(
            format!("the certificate's key is {kind} {bits} bits, policy: {policy}"),
            seen,
        ),
    };
    vec![
        trusted,
        names,
        not_expired,
        not_yet_valid,
        horizon,
        strength,
    ]
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
                return error(format!(
                    "the {} handshake could not be tried: {e}",
                    v.name()
                ));
            }
            Err(e) => {
                return error(format!(
                    "the {} handshake could not be tried: {e}",
                    v.name()
                ));
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
            Err(Failed::Unreachable(e)) => return error(format!("unreachable: {e}")),
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
            return error(format!(
                "the HSTS header could not be read (browsers ignore it over an untrusted connection anyway): {e}"
            ));
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
