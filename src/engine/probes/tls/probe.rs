//! Runs probe `tls` (cases: `model::TlsCase`): per URL with a selected check, one policy
//! handshake whose certificate the certificate checks judge, then the selected protocol
//! and HSTS checks; the plain-HTTP check and each URL's `client_cert_required` apart. An
//! unreachable URL makes its cases errors: nothing was measured.

use rustls::version::{TLS12, TLS13};

use super::certificate::certificate_case;
use super::handshake::{Failed, handshake};
use super::hsts::hsts;
use super::protocols::{legacy_refused, modern_offered};
use super::verdict::{error, tls_failure, unreachable};
use super::{cert, client_cert, plain};
use crate::engine::probes::CaseResult;
use crate::engine::request::context::Context;
use crate::model::{TlsCase, TlsCheck, TlsProbe};
use crate::results::HarnessError;

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
    for &case in cases {
        if let TlsCase::ClientCertRequired { url } = case
            && let Some(u) = probe.urls.get(url)
        {
            out.push((case, client_cert::required(ctx, si, u).await));
        }
    }
    out
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
