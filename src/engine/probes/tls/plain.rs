//! `plain_http_refused_or_redirected`: over plain HTTP an API must refuse the connection
//! or redirect to https, never serve: a client that forgets the `s` would otherwise send
//! its credentials in cleartext (CWE-319).

use tokio::net::TcpStream;

use super::{error, pass, transport, unreachable};
use crate::engine::probes::{CaseResult, failure};
use crate::engine::request::context::Context;
use crate::results::{Actual, Evidence, HarnessError, RequestInfo, TransportError, TransportKind};

pub async fn check(ctx: &Context, url: &str) -> CaseResult {
    let Some((host, port)) = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| Some((u.host_str()?.to_string(), u.port_or_known_default()?)))
    else {
        let why = format!("`{url}` has no host");
        return error(why.clone(), HarnessError::request(why));
    };
    let timeout = ctx.http.timeout();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match tokio::time::timeout(timeout, TcpStream::connect((bare, port))).await {
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => return pass(),
        Ok(Err(e)) => {
            let at = format!("{host}:{port}: {e}");
            return error(format!("unreachable: {at}"), unreachable(at));
        }
        Err(_) => {
            let at = format!(
                "{host}:{port}: no connection within {} s",
                timeout.as_secs()
            );
            let cause = transport(TransportKind::Timeout { after: timeout }, at.clone());
            return error(format!("unreachable: {at}"), cause);
        }
        Ok(Ok(_)) => {}
    }
    let ex = match ctx
        .http
        .send(ctx.http.request(reqwest::Method::GET, url))
        .await
    {
        Ok(ex) => ex,
        // Silence proves nothing either way: fail closed.
        Err(e) if silent(&e) => {
            return error(format!("connected, but no HTTP answer came: {e}"), e);
        }
        // Accepted the connection, then closed or reset it without an HTTP answer.
        Err(_) => return pass(),
    };
    let location = ex.header("location").unwrap_or_default();
    if (300..400).contains(&ex.status) && location.starts_with("https://") {
        return pass();
    }
    let got = ex.status_line();
    let message = if (300..400).contains(&ex.status) {
        format!("plain HTTP redirects to `{location}`, not to https ({got})")
    } else {
        format!("the API answers over plain HTTP: got {got}")
    };
    // The URL as the suite wrote it, not as the client normalised it.
    let evidence = Evidence {
        request: Some(RequestInfo::new(&format!("GET {url}"), None)),
        expected: Some("connection refused, or a redirect to https://".into()),
        actual: Some(Actual {
            status: got,
            excerpt: None,
            headers: Vec::new(),
        }),
        ..Evidence::default()
    };
    CaseResult::of(failure(message, evidence))
}

/// No answer in time. Also an OS-level timeout, which reqwest does not flag as one: a
/// silent port must never pass.
fn silent(e: &HarnessError) -> bool {
    matches!(
        e,
        HarnessError::Transport(TransportError {
            kind: TransportKind::Timeout { .. },
            ..
        })
    ) || e.to_string().contains("timed out")
}
