//! A reqwest error as a typed transport failure: a refused connection, a TLS failure
//! (with the rustls reason), DNS, a timeout, a corrupt `Content-Encoding` stream, or
//! something else, told apart by walking the error's causes.

use std::time::Duration;

use crate::results::{HarnessError, TransportError, TransportKind};

/// A reqwest error as a typed transport failure; the text reads as it always did.
pub fn transport(
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
                reason: crate::tls::rustls_reason(tls),
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
                        reason: crate::tls::rustls_reason(tls),
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
    use crate::engine::request::http::HttpClient;
    use crate::model::TlsSettings;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    fn client(timeout: Duration) -> HttpClient {
        let tls = TlsSettings::default();
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
