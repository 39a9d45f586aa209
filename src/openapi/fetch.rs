//! Fetches an OpenAPI document named by URL (`spec: ${env:SPEC_URL}`) while the suite
//! loads: over HTTPS verified, or plain HTTP, with no credential of the run, bounded in
//! time and size. Loading is synchronous, so the request runs on a thread of its own
//! with a runtime of its own (loading may itself happen inside a runtime).

use std::time::Duration;

/// Larger than any real document; a bound against an endless answer.
const MAX_SPEC: usize = 16 * 1024 * 1024;

/// The document's text, or why it could not be fetched.
pub fn fetch(url: &str) -> Result<String, String> {
    let url = url.to_string();
    let worker = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a runtime to fetch it: {e}"))?;
        runtime.block_on(get(&url))
    });
    worker
        .join()
        .unwrap_or_else(|_| Err("the fetch stopped unexpectedly".into()))
}

async fn get(url: &str) -> Result<String, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .tls_version_min(reqwest::tls::Version::TLS_1_2)
        .user_agent(concat!("authspec/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())?;
    // Errors without the URL: it may carry a key, and messages name the spec as written.
    let plain = |e: reqwest::Error| e.without_url().to_string();
    let mut response = client.get(url).send().await.map_err(plain)?;
    if !response.status().is_success() {
        return Err(format!("answered {}", response.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(plain)? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_SPEC {
            return Err(format!("the document is larger than {MAX_SPEC} bytes"));
        }
    }
    String::from_utf8(body).map_err(|_| "the document is not UTF-8 text".into())
}
