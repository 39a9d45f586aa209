//! The HTTP side: one reqwest client (rustls, no redirects, bounded time, bodies decoded
//! and bounded by `--max-body`) and the exchange record every check evaluates.

use std::time::Duration;

use reqwest::redirect::Policy;

use crate::model::TlsSettings;
use crate::results::{BodyLimit, HarnessError, TransportError, TransportKind};

pub struct HttpClient {
    client: reqwest::Client,
    timeout: Duration,
    tls: TlsSettings,
    /// Bodies beyond this are cut: a hostile server cannot exhaust memory.
    max_body: BodyLimit,
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
        Self::build(timeout, pool_size, false, tls)
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
        cookies: bool,
        tls: &TlsSettings,
    ) -> Result<Self, reqwest::Error> {
        // Redirects are not followed: a check must see the 3xx a server answers, and a
        // credential must not travel to wherever a Location header points. Credentials
        // travel over TLS 1.2+ only, verified unless the suite says otherwise. Bodies are
        // decoded (the features gzip, deflate, brotli, zstd, which also send
        // Accept-Encoding), so checks and detectors read what the server meant.
        let mut builder = reqwest::Client::builder()
            .cookie_store(cookies)
            .redirect(Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .pool_max_idle_per_host(pool_size)
            .tls_version_min(reqwest::tls::Version::TLS_1_2)
            .user_agent(concat!("authspec/", env!("CARGO_PKG_VERSION")));
        if let Some(ca) = &tls.ca_file {
            builder = builder.tls_certs_merge(reqwest::Certificate::from_pem_bundle(&ca.pem)?);
        }
        if !tls.verify {
            builder = builder.tls_danger_accept_invalid_certs(true);
        }
        Ok(Self {
            client: builder.build()?,
            timeout,
            tls: tls.clone(),
            max_body: BodyLimit::DEFAULT,
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
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|e| transport(&e, self.timeout, Some(&request_line), false))?;
        let status = response.status();
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
        let body = super::body::read(&mut response, self.max_body)
            .await
            .map_err(|e| transport(&e, self.timeout, Some(&request_line), true))?;
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

/// A reqwest error as a typed transport failure; the text reads as it always did.
fn transport(
    err: &reqwest::Error,
    timeout: Duration,
    request: Option<&str>,
    reading_body: bool,
) -> HarnessError {
    HarnessError::Transport(TransportError {
        kind: classify(err, timeout),
        request: request.map(str::to_string),
        reading_body,
        chain: describe(err, timeout),
    })
}

/// Walks the causes: a refused connection, a TLS failure (with the rustls reason), a DNS
/// failure, a timeout, or something else.
fn classify(err: &reqwest::Error, timeout: Duration) -> TransportKind {
    if err.is_timeout() {
        return TransportKind::Timeout { after: timeout };
    }
    if err.is_builder() {
        return TransportKind::Build;
    }
    if err.is_decode() && corrupt_coding(err) {
        return TransportKind::Decode;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(s) = source {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return TransportKind::Tls {
                reason: tls.to_string(),
            };
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return TransportKind::ConnectRefused;
            }
            // hyper-rustls wraps tokio-rustls' io::Error, which wraps the rustls::Error;
            // io::Error's `source()` skips the error it wraps, so look inside.
            let mut inner = io.get_ref();
            while let Some(e) = inner {
                if let Some(tls) = e.downcast_ref::<rustls::Error>() {
                    return TransportKind::Tls {
                        reason: tls.to_string(),
                    };
                }
                inner = e
                    .downcast_ref::<std::io::Error>()
                    .and_then(|io| io.get_ref());
            }
        }
        // hyper-util's resolver error is private; its text is stable ("dns error").
        if s.to_string().starts_with("dns error") {
            return TransportKind::Dns;
        }
        source = s.source();
    }
    TransportKind::Other
}

/// reqwest calls every failure while reading a body a decode error; the decoders of
/// gzip, deflate, brotli and zstd report a corrupt stream as an `io::Error`, while a
/// connection that broke off is a hyper error (or an io error of the connection's kind).
fn corrupt_coding(err: &reqwest::Error) -> bool {
    use std::io::ErrorKind::*;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(s) = source {
        if s.to_string()
            .starts_with("error reading a body from connection")
        {
            return false;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return !matches!(
                io.kind(),
                UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe | TimedOut
            );
        }
        source = s.source();
    }
    false
}

/// The error and its causes on one line, most specific last ("connection refused").
fn describe(err: &reqwest::Error, timeout: Duration) -> String {
    if err.is_timeout() {
        return format!("no response within {} s (timed out)", timeout.as_secs_f32());
    }
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    fn client(timeout: Duration) -> HttpClient {
        let tls = TlsSettings {
            ca_file: None,
            verify: true,
        };
        HttpClient::new(timeout, 1, &tls).unwrap()
    }

    async fn kind_of(url: &str, timeout: Duration) -> (TransportKind, String) {
        let http = client(timeout);
        match http.send(http.request(reqwest::Method::GET, url)).await {
            Err(HarnessError::Transport(t)) => (t.kind.clone(), t.to_string()),
            other => panic!("not a transport error: {other:?}"),
        }
    }

    /// A listener on 127.0.0.1 that answers every connection's first bytes with `reply`
    /// (or nothing) and keeps it open.
    fn server(reply: Option<&'static [u8]>) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            let mut open = Vec::new();
            for mut stream in listener.incoming().flatten() {
                if let Some(r) = reply {
                    // The request (or TLS hello) first: a reply before it is no answer.
                    let _ = stream.read(&mut [0; 4096]);
                    let _ = stream.write_all(r);
                }
                open.push(stream);
            }
        });
        port
    }

    #[tokio::test]
    async fn a_corrupt_or_unknown_coding_is_a_decode_error() {
        let http = client(Duration::from_secs(5));
        let corrupt = server(Some(
            b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: 21\r\n\r\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03not deflate",
        ));
        let unknown = server(Some(
            b"HTTP/1.1 200 OK\r\ncontent-encoding: compress\r\ncontent-length: 2\r\n\r\nxx",
        ));
        for (port, says) in [
            (corrupt, "reading the body"),
            (unknown, "encoded as `compress`"),
        ] {
            let url = format!("http://127.0.0.1:{port}/");
            match http.send(http.request(reqwest::Method::GET, &url)).await {
                Err(HarnessError::Transport(t)) => {
                    assert_eq!(t.kind, TransportKind::Decode, "{t}");
                    assert!(t.to_string().contains(says), "{t}");
                }
                other => panic!("not a decode error: {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn refused_tls_and_timeout_are_told_apart() {
        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let url = format!("http://127.0.0.1:{port}/");
        let (kind, text) = kind_of(&url, Duration::from_secs(5)).await;
        assert_eq!(kind, TransportKind::ConnectRefused, "{text}");
        assert!(text.starts_with(&format!("GET {url}: ")), "{text}");

        let plain = server(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"));
        let url = format!("https://127.0.0.1:{plain}/");
        let (kind, text) = kind_of(&url, Duration::from_secs(5)).await;
        assert!(
            matches!(kind, TransportKind::Tls { .. }),
            "{kind:?}: {text}"
        );

        let silent = server(None);
        let url = format!("http://127.0.0.1:{silent}/");
        let (kind, text) = kind_of(&url, Duration::from_millis(300)).await;
        assert!(
            matches!(kind, TransportKind::Timeout { .. }),
            "{kind:?}: {text}"
        );
        assert!(text.ends_with("(timed out)"), "{text}");
    }
}
