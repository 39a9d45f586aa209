//! Lowers `client_cert:` (a role's, or `target.tls`'s): PEM `cert` + `key`, or `pkcs12` +
//! `password`. Checked while the suite loads — the chain parses, the key parses and belongs
//! to the leaf — so a run never starts with a certificate it cannot present. The key, the
//! password and the archive are secrets, registered for redaction as soon as they resolve.
//!
//! PKCS#12 is opened with OpenSSL, already in the tree for the legacy TLS handshakes: the
//! pure-Rust readers bring a second set of ciphers and pre-release crates, and rustls has
//! no reader of its own. Only the key and chain come out of it; rustls presents them.

use rustls::crypto::aws_lc_rs;
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use super::context::Cx;
use crate::load::raw::{RawClientCert, S};
use crate::load::reference::{Reference, parse_whole};
use crate::model::{ClientCert, Secret};

/// A PKCS#12 archive or a PEM file of a client certificate is small.
const MAX_ARCHIVE: u64 = 64 * 1024;

const EXAMPLE: &str = "client_cert: { cert: \"${file:certs/admin.crt}\", key: \"${file:certs/admin.key}\" }, \
     or { pkcs12: \"${file:certs/admin.p12}\", password: \"${env:P12_PASSWORD}\" }";

/// `field` is where it sits (`roles.admin.client_cert`), `label` what its secrets are
/// redacted as (`admin.client_cert`).
pub fn client_cert(
    cx: &mut Cx<'_>,
    raw: &S<RawClientCert>,
    field: &str,
    label: &str,
) -> Option<ClientCert> {
    let r = &raw.value;
    let material = match (&r.cert, &r.key, &r.pkcs12) {
        (Some(cert), Some(key), None) if r.password.is_none() => pem(cx, cert, key, field, label)?,
        (None, None, Some(archive)) => pkcs12(cx, archive, r.password.as_ref(), field, label)?,
        _ => {
            let message = if r.password.is_some() && r.pkcs12.is_none() {
                format!("`{field}.password` opens a `pkcs12` archive, and there is none")
            } else {
                format!("`{field}` needs `cert` and `key` (PEM), or `pkcs12` (with its `password`)")
            };
            cx.error(&raw.at, message).help(EXAMPLE);
            return None;
        }
    };
    let (chain, key) = match material {
        Material::Pair(chain, key) => (chain, key),
        // `validate` without the variable: nothing to check, nothing will be sent.
        Material::Unset => {
            return Some(ClientCert {
                field: field.to_string(),
                subject: "(not checked: a variable is unset)".into(),
                identity: Secret::new(format!("{label}.key"), ""),
            });
        }
    };
    let (leaf_at, key_at) = match (&r.cert, &r.key, &r.pkcs12) {
        (Some(c), Some(k), _) => (c.at, k.at),
        (_, _, Some(p)) => (p.at, p.at),
        _ => (raw.at, raw.at),
    };
    let subject = match x509_parser::parse_x509_certificate(&chain[0]) {
        Ok((_, c)) => c.subject().to_string(),
        Err(e) => {
            cx.error(
                &leaf_at,
                format!("the first certificate of `{field}` is not X.509: {e}"),
            )
            .help("the client's own certificate comes first, then any intermediates");
            return None;
        }
    };
    let provider = aws_lc_rs::default_provider();
    if let Err(e) = CertifiedKey::from_der(chain.clone(), key.clone_key(), &provider) {
        let (message, help) = match e {
            rustls::Error::InconsistentKeys(_) => (
                format!("the key of `{field}` does not belong to its certificate ({subject})"),
                "give the key the certificate was issued for: `openssl x509 -noout -pubkey -in CERT` \
                 and `openssl pkey -pubout -in KEY` print the same public key"
                    .to_string(),
            ),
            other => (
                format!("the key of `{field}` cannot sign a handshake: {other}"),
                "an RSA, ECDSA (P-256, P-384) or Ed25519 key".to_string(),
            ),
        };
        cx.error(&key_at, message).help(help);
        return None;
    }
    let key_pem = encode(key_label(&key), key.secret_der());
    cx.redactor.add(&format!("{label}.key"), key_pem.trim_end());
    let mut identity: String = chain
        .iter()
        .map(|c| encode("CERTIFICATE", c.as_ref()))
        .collect();
    identity.push_str(&key_pem);
    Some(ClientCert {
        field: field.to_string(),
        subject,
        identity: Secret::new(format!("{label}.key"), identity),
    })
}

/// A chain and its key; or, under `validate`, a reference that stood in for an unset
/// variable.
enum Material {
    Pair(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>),
    Unset,
}

fn unset(value: &str) -> bool {
    value.contains(crate::load::UNSET_ENV)
}

/// `cert` (text with references) and `key` (one reference): both PEM.
fn pem(
    cx: &mut Cx<'_>,
    cert: &S<String>,
    key: &S<String>,
    field: &str,
    label: &str,
) -> Option<Material> {
    let mut placeholder = false;
    let chain = match cx.interpolate(&cert.value) {
        Ok(text) if unset(&text) => {
            placeholder = true;
            Some(Vec::new())
        }
        Ok(text) => {
            let chain = certificates(&text);
            if chain.is_none() {
                cx.error(&cert.at, format!("`{field}.cert` holds no PEM certificate"))
                    .help("`-----BEGIN CERTIFICATE-----` blocks, the client's own first: `cert: \"${file:certs/admin.crt}\"`");
            }
            chain
        }
        Err(e) => {
            cx.reference_error(&cert.at, &format!("{field}.cert"), e);
            None
        }
    };
    let key_label = format!("{label}.key");
    let key_text = super::secret::secret_at(cx, key, &format!("{field}.key"), key_label, false);
    let chain = chain?;
    let key_text = key_text?;
    if placeholder || unset(key_text.expose()) {
        return Some(Material::Unset);
    }
    match PrivateKeyDer::from_pem_slice(key_text.expose().as_bytes()) {
        Ok(k) => Some(Material::Pair(chain, k)),
        Err(_) => {
            // The parser's message may quote a line of the key: say what it is instead.
            let encrypted = key_text.expose().contains("ENCRYPTED PRIVATE KEY");
            let (message, help) = if encrypted {
                (
                    format!("the key of `{field}.key` is encrypted"),
                    "decrypt it (`openssl pkey -in KEY -out PLAIN`), or pack cert and key as PKCS#12 with a `password`",
                )
            } else {
                (
                    format!("`{field}.key` holds no PEM private key"),
                    "a `-----BEGIN PRIVATE KEY-----` (PKCS#8), `RSA PRIVATE KEY` (PKCS#1) or `EC PRIVATE KEY` (SEC1) block",
                )
            };
            cx.error(&key.at, message).help(help);
            None
        }
    }
}

fn certificates(text: &str) -> Option<Vec<CertificateDer<'static>>> {
    CertificateDer::pem_slice_iter(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .ok()
        .filter(|c| !c.is_empty())
}

/// `pkcs12`: a `${file:…}` read as bytes, or another reference holding its base64.
fn pkcs12(
    cx: &mut Cx<'_>,
    archive: &S<String>,
    password: Option<&S<String>>,
    field: &str,
    label: &str,
) -> Option<Material> {
    let at = &archive.at;
    let path = format!("{field}.pkcs12");
    let der = match parse_whole(&archive.value) {
        None => {
            cx.error(at, format!("`{path}` is a reference to the archive"))
                .help("`pkcs12: \"${file:certs/admin.p12}\"`, or its base64 in `${env:NAME}`");
            return None;
        }
        Some(Err(e)) => {
            cx.reference_error(at, &path, e);
            return None;
        }
        Some(Ok(Reference::File(file))) => {
            let full = cx.source.dir.join(file);
            match crate::load::files::read_bounded_bytes(&full, MAX_ARCHIVE) {
                Ok(bytes) => bytes,
                Err(e) => {
                    cx.error(
                        at,
                        format!("cannot read `{}` (needed by `{path}`): {e}", full.display()),
                    )
                    .help("a `${file:PATH}` path is relative to the suite file");
                    return None;
                }
            }
        }
        Some(Ok(reference)) => {
            let text = match cx.resolve(&reference) {
                Ok(t) if unset(&t) => return Some(Material::Unset),
                Ok(t) => t,
                Err(e) => {
                    cx.reference_error(at, &path, e);
                    return None;
                }
            };
            cx.redactor.add(&format!("{label}.pkcs12"), &text);
            use base64::Engine;
            let compact: String = text.split_whitespace().collect();
            match base64::engine::general_purpose::STANDARD.decode(compact) {
                Ok(bytes) => bytes,
                Err(_) => {
                    cx.error(at, format!("`{path}` is not base64"))
                        .help("a variable holds the archive as base64 (`base64 -w0 admin.p12`); a file is given as `${file:PATH}`");
                    return None;
                }
            }
        }
    };
    let password = match password {
        Some(p) => super::secret::secret_at(
            cx,
            p,
            &format!("{field}.password"),
            format!("{label}.password"),
            false,
        )?,
        None => Secret::new(format!("{label}.password"), ""),
    };
    if unset(password.expose()) {
        return Some(Material::Unset);
    }
    match open_pkcs12(&der, password.expose()) {
        Ok((chain, key)) => Some(Material::Pair(chain, key)),
        Err(why) => {
            cx.error(at, format!("cannot open `{path}`: {why}")).help(
                "check `password`; an archive made with old ciphers (RC2) opens after \
                 `openssl pkcs12 -legacy -in OLD.p12 -nodes | openssl pkcs12 -export -out NEW.p12`",
            );
            None
        }
    }
}

/// The leaf, the CA certificates and the key of an archive.
fn open_pkcs12(
    der: &[u8],
    password: &str,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
    let archive = openssl::pkcs12::Pkcs12::from_der(der)
        .map_err(|_| "it is not a PKCS#12 archive".to_string())?;
    let parsed = archive
        .parse2(password)
        .map_err(|e| format!("wrong password, or a cipher OpenSSL refuses ({e})"))?;
    let cert = parsed.cert.ok_or("it holds no certificate")?;
    let key = parsed.pkey.ok_or("it holds no private key")?;
    let der = |c: &openssl::x509::X509Ref| {
        c.to_der()
            .map(CertificateDer::from)
            .map_err(|e| format!("a certificate of it does not encode: {e}"))
    };
    let mut chain = vec![der(&cert)?];
    for ca in parsed.ca.iter().flatten() {
        chain.push(der(ca)?);
    }
    let pkcs8 = key
        .private_key_to_pkcs8()
        .map_err(|e| format!("its key does not encode as PKCS#8: {e}"))?;
    Ok((chain, PrivateKeyDer::Pkcs8(pkcs8.into())))
}

fn key_label(key: &PrivateKeyDer<'_>) -> &'static str {
    match key {
        PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
        PrivateKeyDer::Sec1(_) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}

/// One PEM block, 64 characters a line (RFC 7468).
fn encode(label: &str, der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_are_64_columns_and_round_trip() {
        let der: Vec<u8> = (0..=200u8).collect();
        let block = encode("CERTIFICATE", &der);
        assert!(
            block
                .lines()
                .all(|l| l.len() <= 64 || l.starts_with("-----"))
        );
        let back = CertificateDer::from_pem_slice(block.as_bytes()).unwrap();
        assert_eq!(back.as_ref(), der.as_slice());
    }
}
