//! `client_cert_required` (CWE-295, CWE-306; OWASP API2): an endpoint the suite says needs
//! a client certificate must refuse a connection without one — a failed handshake, an
//! alert, or a connection closed before any HTTP answer.
//!
//! In TLS 1.3 the client's side of the handshake completes before the server has judged
//! the (missing) certificate, so a request is always sent and the answer read: any HTTP
//! answer, even a 403, means the TLS layer let in a client it could not identify. A
//! refusal counts only when the server asked for a certificate (so it was for want of
//! one), and, when the suite has a client certificate of its own (`target.tls.client_cert`),
//! only when the same request with it is answered: a server refusing everyone proves
//! nothing.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::sign::CertifiedKey;
use rustls::version::{TLS12, TLS13};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::handshake::{Asked, Keep, provider};
use super::verdict::{error, fail, pass, tls_failure, transport, unreachable};
use crate::engine::probes::CaseResult;
use crate::engine::request::context::Context;
use crate::model::ClientCert;
use crate::results::{Actual, Evidence, HarnessError, RequestInfo, TransportKind};

/// How one connection went.
enum Seen {
    /// No TCP connection.
    Unreachable(String),
    /// The handshake failed, an alert came, or the connection closed before any answer.
    Refused(String),
    /// An HTTP answer: its status line.
    Answered(String),
    /// Bytes that are not HTTP.
    Other(usize),
    /// Neither a refusal nor an answer in time.
    Silent,
}

/// The endpoint and the request line sent over it.
struct Endpoint<'a> {
    host: &'a str,
    port: u16,
    /// Path and query of the URL.
    target: String,
}

pub async fn required(ctx: &Context, si: usize, url: &str) -> CaseResult {
    let Some(parsed) = reqwest::Url::parse(url).ok() else {
        let why = format!("`{url}` is not a URL");
        return error(why.clone(), HarnessError::request(why));
    };
    let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
        let why = format!("`{url}` has no host");
        return error(why.clone(), HarnessError::request(why));
    };
    let target = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_string(),
    };
    let at = Endpoint { host, port, target };
    let timeout = ctx.http.timeout();
    let (seen, asked) = match attempt(&at, None, timeout).await {
        Ok(a) => a,
        Err(e) => return error(format!("the handshake could not be tried: {e}"), e),
    };
    let suite = &ctx.suites[si].suite;
    // The control's certificate: the suite's, else the first role's that has one.
    let cert = suite
        .tls
        .client_cert
        .as_ref()
        .or_else(|| suite.roles.iter().find_map(|r| r.client_cert.as_ref()));
    let in_http = matches!(&seen, Seen::Answered(status) if asked && http_refusal(status));
    let refusal = match (seen, asked) {
        (Seen::Unreachable(e), _) => return error(format!("unreachable: {e}"), unreachable(e)),
        (Seen::Silent, _) => {
            let why = format!(
                "connected, but neither a refusal nor an answer came within {} s: silence proves nothing",
                timeout.as_secs()
            );
            let cause = transport(TransportKind::Timeout { after: timeout }, why.clone());
            return error(why, cause);
        }
        // nginx (`ssl_verify_client on`) completes the handshake and refuses in HTTP:
        // 400 "No required SSL certificate was sent" (its 496). A refusal if the same
        // request with a certificate is answered; with none to try, it cannot be told
        // from a bad request.
        (Seen::Answered(status), true) if http_refusal(&status) => match cert {
            Some(_) => format!(
                "the server asked for one and answered {status} (a refusal in HTTP, as nginx \
                 makes it)"
            ),
            None => {
                let why = format!(
                    "the server asked for a client certificate and answered {status} without \
                     one; with no client certificate in the suite to try the same request, a \
                     refusal cannot be told from a bad request"
                );
                return error(why.clone(), HarnessError::request(why));
            }
        },
        (Seen::Answered(status), asked) => {
            let message = if asked {
                format!(
                    "the server asked for a client certificate, completed the handshake without one, and answered {status}"
                )
            } else {
                format!("the server never asked for a client certificate, and answered {status}")
            };
            return fail(message, evidence(url, status));
        }
        (Seen::Other(n), _) => {
            let message = format!(
                "the server completed the handshake without a client certificate and sent {n} bytes that are not HTTP"
            );
            return fail(message, evidence(url, "not HTTP".into()));
        }
        (Seen::Refused(e), false) => {
            let why = format!(
                "the connection failed before the server asked for a client certificate ({e}): \
                 the refusal was not for want of one"
            );
            return error(why, tls_failure(e));
        }
        (Seen::Refused(e), true) => e,
    };
    let mut result = match cert {
        None => {
            let mut r = pass();
            r.info.push(
                "no client certificate in the suite to show that a connection with one is answered"
                    .into(),
            );
            r
        }
        Some(cert) => control(&at, cert, timeout, in_http).await,
    };
    result
        .info
        .push(format!("without a client certificate: {refusal}"));
    result
}

/// How nginx refuses a request without the certificate it requires: 400 (`No required
/// SSL certificate was sent`), or its own 495/496 where they are not mapped to 400.
fn http_refusal(status: &str) -> bool {
    matches!(status.split(' ').next(), Some("400" | "495" | "496"))
}

/// The positive control: with the suite's certificate, the same request is answered.
/// `in_http`: the refusal without one was an HTTP answer, so the answer with one must be
/// another.
async fn control(
    at: &Endpoint<'_>,
    cert: &ClientCert,
    timeout: Duration,
    in_http: bool,
) -> CaseResult {
    let key = match certified(cert) {
        Ok(k) => k,
        Err(e) => return error(format!("`{}` cannot be presented: {e}", cert.field), e),
    };
    let why = match attempt(at, Some(key), timeout).await {
        Ok((Seen::Answered(status), _)) if in_http && http_refusal(&status) => {
            format!("it answered {status} with the certificate too")
        }
        Ok((Seen::Answered(_), _)) => return pass(),
        Ok((Seen::Unreachable(e) | Seen::Refused(e), _)) => e,
        Ok((Seen::Other(n), _)) => format!("{n} bytes that are not HTTP came back"),
        Ok((Seen::Silent, _)) => "no answer came in time".to_string(),
        Err(e) => e.to_string(),
    };
    let message = format!(
        "with `{}` ({}) the endpoint did not answer either ({why}): a refusal of every client \
         proves nothing about client certificates",
        cert.field, cert.subject
    );
    error(message.clone(), tls_failure(message))
}

fn certified(cert: &ClientCert) -> Result<Arc<CertifiedKey>, HarnessError> {
    let pem = cert.identity.expose().as_bytes();
    let chain = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| HarnessError::setup(format!("its certificates: {e}")))?;
    let key = PrivateKeyDer::from_pem_slice(pem)
        .map_err(|_| HarnessError::setup("its key does not parse".to_string()))?;
    CertifiedKey::from_der(chain, key, &provider())
        .map(Arc::new)
        .map_err(|e| HarnessError::setup(e.to_string()))
}

/// One connection: the handshake, a request, the first bytes of the answer; and whether
/// the server asked for a client certificate on the way.
async fn attempt(
    at: &Endpoint<'_>,
    key: Option<Arc<CertifiedKey>>,
    timeout: Duration,
) -> Result<(Seen, bool), HarnessError> {
    let provider = provider();
    let asked = Asked::presenting(key);
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&TLS13, &TLS12])
        .map_err(|e| HarnessError::setup(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Keep::any(provider))
        .with_client_cert_resolver(asked.clone());
    let host = at.host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(host)
        .map_err(|e| HarnessError::request(format!("`{host}` is not a host name: {e}")))?
        .to_owned();
    let was_asked = || asked.was_asked();
    let tcp = match tokio::time::timeout(timeout, TcpStream::connect((host, at.port))).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Ok((Seen::Unreachable(format!("{host}:{}: {e}", at.port)), false)),
        Err(_) => {
            let why = format!(
                "{host}:{}: no connection within {} s",
                at.port,
                timeout.as_secs()
            );
            return Ok((Seen::Unreachable(why), false));
        }
    };
    let exchange = async {
        let mut tls = match TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
        {
            Ok(s) => s,
            Err(e) => return Seen::Refused(format!("the handshake failed: {e}")),
        };
        let request = format!(
            "GET {} HTTP/1.1\r\nHost: {}:{}\r\nUser-Agent: authspec/{}\r\nConnection: close\r\n\r\n",
            at.target,
            at.host,
            at.port,
            env!("CARGO_PKG_VERSION")
        );
        if let Err(e) = tls.write_all(request.as_bytes()).await {
            return Seen::Refused(format!("the connection failed after the handshake: {e}"));
        }
        let mut buf = [0u8; 512];
        match tls.read(&mut buf).await {
            Ok(0) => Seen::Refused("the server closed the connection before any answer".into()),
            Ok(n) if buf.starts_with(b"HTTP/") => {
                let text = String::from_utf8_lossy(&buf[..n]);
                let line = text.lines().next().unwrap_or_default();
                Seen::Answered(line.trim_start_matches(|c| c != ' ').trim().to_string())
            }
            Ok(n) => Seen::Other(n),
            Err(e) => Seen::Refused(format!("the connection failed after the handshake: {e}")),
        }
    };
    let seen = tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or(Seen::Silent);
    Ok((seen, was_asked()))
}

fn evidence(url: &str, status: String) -> Evidence {
    Evidence {
        request: Some(RequestInfo::new(&format!("GET {url}"), None)),
        expected: Some("the connection refused without a client certificate".into()),
        actual: Some(Actual {
            status,
            excerpt: None,
            headers: Vec::new(),
        }),
        ..Evidence::default()
    }
}
