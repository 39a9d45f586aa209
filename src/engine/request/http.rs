//! The HTTP side: one reqwest client (rustls, no redirects, bounded time, bodies decoded
//! and bounded by `--max-body`, at most its pool size of connections per origin) and the
//! exchange record every check evaluates.

use std::time::Duration;

use reqwest::redirect::Policy;

use super::budget::{Budget, Gate};
use super::transport::transport;
use crate::model::TlsSettings;
use crate::results::{BodyLimit, HarnessError, TransportError, TransportKind};

pub struct HttpClient {
    client: reqwest::Client,
    timeout: Duration,
    tls: TlsSettings,
    /// Bodies beyond this are cut: a hostile server cannot exhaust memory.
    max_body: BodyLimit,
    /// Connections per origin, at most the pool size.
    budget: Budget,
}

/// A request as sent and the response as received.
#[derive(Debug)]
pub struct Exchange {
    /// `DELETE http://host/orders/1`
    pub request_line: String,
    pub url: reqwest::Url,
    pub status: u16,
    pub reason: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    /// Decoded (`Content-Encoding` undone); the whole body, unless `truncated`.
    pub body: String,
    /// Set when the body went past `--max-body`: `body` holds only its first bytes, and
    /// no check that needs all of it may pass on it.
    pub truncated: Option<BodyLimit>,
}

impl Exchange {
    pub fn status_line(&self) -> String {
        format!("{} {}", self.status, self.reason)
            .trim_end()
            .to_string()
    }

    /// The start of the (already redacted) body, noting when it was cut.
    pub fn body_excerpt(&self, shown: &str) -> String {
        let mut out = crate::engine::request::excerpt::head(shown);
        if let Some(limit) = self.truncated {
            out.push_str(&format!(" [body cut at --max-body ({limit})]"));
        }
        out
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl HttpClient {
    pub fn new(
        timeout: Duration,
        pool_size: usize,
        tls: &TlsSettings,
    ) -> Result<Self, reqwest::Error> {
        Self::build(timeout, pool_size, tls)
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn tls(&self) -> &TlsSettings {
        &self.tls
    }

    pub fn max_body(&self) -> BodyLimit {
        self.max_body
    }

    /// The same client reading bodies up to `limit` (`--max-body`).
    pub fn with_max_body(self, limit: BodyLimit) -> Self {
        Self {
            max_body: limit,
            ..self
        }
    }

    pub fn build(
        timeout: Duration,
        pool_size: usize,
        tls: &TlsSettings,
    ) -> Result<Self, reqwest::Error> {
        // Redirects are not followed: a check must see the 3xx a server answers, and a
        // credential must not travel to wherever a Location header points. Credentials
        // travel over TLS 1.2+ only, verified unless the suite says otherwise. Bodies are
        // decoded (the features gzip, deflate, brotli, zstd, which also send
        // Accept-Encoding), so checks and detectors read what the server meant.
        let mut builder = reqwest::Client::builder()
            .redirect(Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .pool_max_idle_per_host(pool_size)
            .connector_layer(Gate)
            .tls_version_min(reqwest::tls::Version::TLS_1_2)
            .user_agent(concat!("authspec/", env!("CARGO_PKG_VERSION")));
        // A verifying client without a client certificate reads the system's roots on
        // its first TLS handshake, not here (`roots.rs`); the others are reqwest's own.
        let lazy = (tls.verify && tls.client_cert.is_none())
            .then(|| super::roots::verifying(tls).ok())
            .flatten();
        match lazy {
            Some(config) => builder = builder.tls_backend_preconfigured(config),
            None => {
                if let Some(ca) = &tls.ca_file {
                    builder =
                        builder.tls_certs_merge(reqwest::Certificate::from_pem_bundle(&ca.pem)?);
                }
            }
        }
        if !tls.verify {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        // Checked when the suite loaded (it parses, the key is the leaf's).
        if let Some(cert) = &tls.client_cert {
            builder = builder.identity(reqwest::Identity::from_pem(
                cert.identity.expose().as_bytes(),
            )?);
        }
        Ok(Self {
            client: builder.build()?,
            timeout,
            tls: tls.clone(),
            max_body: BodyLimit::DEFAULT,
            budget: Budget::new(pool_size),
        })
    }

    pub fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }

    pub async fn send(&self, builder: reqwest::RequestBuilder) -> Result<Exchange, HarnessError> {
        let request = builder
            .build()
            .map_err(|e| transport(&e, self.timeout, None, false))?;
        let request_line = format!("{} {}", request.method(), request.url());
        let url = request.url().clone();
        let slot = self.budget.slot(&url);
        let mut response = slot
            .sending(self.client.execute(request))
            .await
            .map_err(|e| {
                // A failed exchange's connection is not reused (a failed connect was
                // never counted).
                if !e.is_connect() {
                    slot.closed();
                }
                transport(&e, self.timeout, Some(&request_line), false)
            })?;
        let status = response.status();
        let closes = closes_after(&response);
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        // reqwest removes the Content-Encoding it undoes; one still there is a coding it
        // does not know (`compress`, `gzip, br`), and the bytes are not the text.
        let undecoded = response
            .headers()
            .get(reqwest::header::CONTENT_ENCODING)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
            .filter(|v| !v.eq_ignore_ascii_case("identity"));
        let read = super::body::read(&mut response, self.max_body).await;
        drop(response);
        // A body cut at `--max-body` is not read to its end, so its connection cannot
        // carry another request and is closed: a target answering beyond the limit sees
        // one connection per such answer.
        if closes || !matches!(&read, Ok(b) if b.truncated.is_none()) {
            slot.closed();
        }
        let body = read.map_err(|e| transport(&e, self.timeout, Some(&request_line), true))?;
        if let Some(coding) = undecoded.filter(|_| !body.text.is_empty()) {
            return Err(HarnessError::Transport(TransportError {
                kind: TransportKind::Decode,
                request: Some(request_line),
                reading_body: true,
                chain: format!(
                    "the body is encoded as `{coding}`, which authspec does not decode (it \
                     decodes gzip, deflate, br and zstd), so nothing could judge it"
                ),
            }));
        }
        Ok(Exchange {
            request_line,
            url,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            headers,
            body: body.text,
            truncated: body.truncated,
        })
    }
}

/// Whether the server closes the connection after this response (`Connection: close`,
/// or HTTP/1.0 without keep-alive).
fn closes_after(response: &reqwest::Response) -> bool {
    let connection = response
        .headers()
        .get_all(reqwest::header::CONNECTION)
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(|t| t.trim().to_ascii_lowercase())
        .collect::<Vec<_>>();
    if connection.iter().any(|t| t == "close") {
        return true;
    }
    response.version() <= reqwest::Version::HTTP_10 && !connection.iter().any(|t| t == "keep-alive")
}
