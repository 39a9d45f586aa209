//! Lowers transport security: `target.tls` (an extra trust anchor, or verification off)
//! and the `tls` probe's policy.

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::lowerer::Lowerer;
use super::raw::{RawTarget, RawTls, S};
use super::raw_probes::RawTlsProbe;
use crate::model::{CaFile, TlsProbe, TlsSettings, TlsVersion};

impl Lowerer<'_> {
    pub fn target_tls(&mut self, raw: &S<RawTarget>) -> TlsSettings {
        match &raw.value {
            RawTarget::Url(map) => map
                .tls
                .as_ref()
                .map(|t| self.tls_settings(&t.value))
                .unwrap_or_default(),
            RawTarget::Named(_) => TlsSettings::default(),
        }
    }

    fn tls_settings(&mut self, raw: &RawTls) -> TlsSettings {
        let ca_file = raw.ca_file.as_ref().and_then(|f| self.ca_file(f));
        TlsSettings {
            ca_file,
            verify: raw.verify.as_ref().is_none_or(|v| v.value),
        }
    }

    fn ca_file(&mut self, field: &S<String>) -> Option<CaFile> {
        let loc = &field.referenced;
        let path = match self.ctx.interpolate(&field.value, &self.source.dir) {
            Ok(p) => self.source.dir.join(p),
            Err(e) => {
                self.reference_error(loc, "target.tls.ca_file", e);
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
        self.error(loc, message)
            .help("a file of `-----BEGIN CERTIFICATE-----` blocks (the CA that signed the API's certificate)");
        None
    }

    pub fn tls_probe(&mut self, raw: &RawTlsProbe) -> Option<TlsProbe> {
        let mut ok = true;
        let url = |cx: &mut Self, field: &S<String>, scheme: &str, key: &str| {
            let resolved = match cx.ctx.interpolate(&field.value, &cx.source.dir) {
                Ok(v) => v,
                Err(e) => {
                    cx.reference_error(&field.referenced, key, e);
                    return None;
                }
            };
            match reqwest::Url::parse(&resolved) {
                Ok(u) if u.scheme() == scheme && u.host().is_some() => {
                    Some(resolved.trim_end_matches('/').to_string())
                }
                _ => {
                    cx.error(
                        &field.referenced,
                        format!("`{key}` must be an {scheme}:// URL, got `{resolved}`"),
                    );
                    None
                }
            }
        };
        let mut urls = Vec::new();
        if let Some(list) = &raw.urls {
            for field in &list.value.0 {
                match url(self, field, "https", "tls.urls") {
                    Some(u) => urls.push(u),
                    None => ok = false,
                }
            }
        }
        let plain_http = match &raw.plain_http {
            None => None,
            Some(f) => {
                let u = url(self, f, "http", "tls.plain_http");
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
                        self.error(
                            &v.referenced,
                            format!(
                                "`min_version: {text}` is not a TLS version a policy can require"
                            ),
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
            plain_http,
        })
    }
}
