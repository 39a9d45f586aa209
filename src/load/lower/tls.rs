//! Lowers transport security: `target.tls` (an extra trust anchor, verification off, a
//! client certificate) and the `tls` probe's policy.

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::context::Cx;
use crate::load::raw::{Pos, RawTarget, RawTls, RawTlsProbe, S};
use crate::model::{CaFile, Probe, Target, TlsProbe, TlsSettings, TlsVersion};

/// A tls probe without `urls` checks the target, which must then be https://; `at` is
/// where the suite (or feature) starts, since the probe may be anywhere in it.
pub fn tls_probes_default_to_target(
    cx: &mut Cx<'_>,
    probes: &mut [Probe],
    target: &Target,
    at: &Pos,
) {
    for p in probes {
        if let Probe::Tls(t) = p
            && !t.default_to_target(target)
        {
            let (message, help) = cx.front.tls_without_urls();
            cx.error(at, message).help(help);
        }
    }
}

pub fn target_tls(cx: &mut Cx<'_>, raw: &S<RawTarget>) -> TlsSettings {
    match &raw.value {
        RawTarget::Url(map) => map
            .tls
            .as_ref()
            .map(|t| tls_settings(cx, &t.value))
            .unwrap_or_default(),
        RawTarget::Named(_) => TlsSettings::default(),
    }
}

fn tls_settings(cx: &mut Cx<'_>, raw: &RawTls) -> TlsSettings {
    let ca_file = raw.ca_file.as_ref().and_then(|f| ca_file(cx, f));
    let client_cert = raw.client_cert.as_ref().and_then(|c| {
        super::client_cert::client_cert(cx, c, "target.tls.client_cert", "target.client_cert")
    });
    TlsSettings {
        ca_file,
        verify: raw.verify.as_ref().is_none_or(|v| v.value),
        client_cert,
    }
}

fn ca_file(cx: &mut Cx<'_>, field: &S<String>) -> Option<CaFile> {
    let loc = &field.at;
    let path = match cx.interpolate(&field.value) {
        Ok(p) => cx.source.dir.join(p),
        Err(e) => {
            cx.reference_error(loc, "target.tls.ca_file", e);
            return None;
        }
    };
    let problem = match crate::load::files::read_bounded(&path, 1024 * 1024) {
        Err(e) => e.to_string(),
        Ok(text) => {
            let certs =
                CertificateDer::pem_slice_iter(text.as_bytes()).collect::<Result<Vec<_>, _>>();
            match certs {
                Ok(c) if !c.is_empty() => {
                    return Some(CaFile {
                        path,
                        pem: text.into_bytes(),
                    });
                }
                Ok(_) => "it holds no PEM certificate".to_string(),
                Err(e) => format!("it is not valid PEM: {e}"),
            }
        }
    };
    let message = format!(
        "cannot use `{}` as `target.tls.ca_file`: {problem}",
        path.display()
    );
    cx.error(loc, message).help(
        "a file of `-----BEGIN CERTIFICATE-----` blocks (the CA that signed the API's certificate)",
    );
    None
}

pub fn tls_probe(cx: &mut Cx<'_>, raw: &RawTlsProbe) -> Option<TlsProbe> {
    let mut ok = true;
    let url = |cx: &mut Cx<'_>, field: &S<String>, scheme: &str, key: &str| {
        let resolved = match cx.interpolate(&field.value) {
            Ok(v) => v,
            Err(e) => {
                cx.reference_error(&field.at, key, e);
                return None;
            }
        };
        match reqwest::Url::parse(&resolved) {
            Ok(u) if u.scheme() == scheme && u.host().is_some() => {
                Some(resolved.trim_end_matches('/').to_string())
            }
            _ => {
                cx.error(
                    &field.at,
                    format!("`{key}` must be an {scheme}:// URL, got `{resolved}`"),
                );
                None
            }
        }
    };
    let mut urls = Vec::new();
    if let Some(list) = &raw.urls {
        for field in &list.value.0 {
            match url(cx, field, "https", "tls.urls") {
                Some(u) => urls.push(u),
                None => ok = false,
            }
        }
    }
    let plain_http = match &raw.plain_http {
        None => None,
        Some(f) => {
            let u = url(cx, f, "http", "tls.plain_http");
            ok &= u.is_some();
            u
        }
    };
    let min_version = match &raw.min_version {
        None => TlsVersion::V1_2,
        Some(v) => {
            let text = match &v.value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            match text.trim().trim_start_matches("TLS").trim() {
                "1.2" => TlsVersion::V1_2,
                "1.3" => TlsVersion::V1_3,
                _ => {
                    cx.error(
                        &v.at,
                        format!("`min_version: {text}` is not a TLS version a policy can require"),
                    )
                    .help("use \"1.2\" or \"1.3\" (TLS 1.0 and 1.1 are deprecated, RFC 8996)");
                    ok = false;
                    TlsVersion::V1_2
                }
            }
        }
    };
    ok.then(|| TlsProbe {
        urls,
        min_version,
        min_days_to_expiry: raw.min_days_to_expiry.as_ref().map_or(14, |v| v.value),
        min_rsa_bits: raw.min_rsa_bits.as_ref().map_or(2048, |v| v.value),
        hsts_min_age: raw.hsts_min_age.as_ref().map_or(15_552_000, |v| v.value),
        client_cert_required: raw.client_cert_required.as_ref().is_some_and(|v| v.value),
        location: cx.location(
            &raw.urls
                .as_ref()
                .map(|u| u.at)
                .or(raw.plain_http.as_ref().map(|p| p.at))
                .or(raw.client_cert_required.as_ref().map(|c| c.at))
                .unwrap_or_default(),
        ),
        plain_http,
    })
}
