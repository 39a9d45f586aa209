//! Lowers stub upstreams: routes and fixed addresses, internal bodies as canaries, and
//! per scenario which certificate each upstream presents and what it must have received.

use std::net::SocketAddr;

use super::context::Cx;
use crate::load::raw::{RawRoute, RawUpstream, RawUpstreamExpect, S, SpannedMap};
use crate::load::suggest::did_you_mean;
use crate::model::{Body, Route, Upstream, UpstreamExpectation, UpstreamHeader, UpstreamTls};

pub fn upstreams(cx: &mut Cx<'_>, raw: Option<&SpannedMap<RawUpstream>>) -> Vec<Upstream> {
    let mut out = Vec::new();
    for (name, up) in raw.iter().flat_map(|m| &m.0) {
        let valid = !name.value.is_empty()
            && name
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            cx.error(
                &name.at,
                format!("`{}` is not an upstream name", name.value),
            )
            .help("upstream names are letters, digits, `_` and `-` (they appear in `{{upstreams.NAME.url}}`)");
            continue;
        }
        let listen = match &up.listen {
            None if !cx.has_sut => {
                cx.error(&name.at, format!("upstream `{}` has no `listen:` and the suite has no `sut:`", name.value))
                    .help("authspec picks free ports only for a SUT it starts; for a SUT started outside, fix the address: `listen: 127.0.0.1:8443`");
                None
            }
            None => None,
            Some(l) => match l.value.parse::<SocketAddr>() {
                Ok(a) => Some(a),
                Err(_) => {
                    cx.error(&l.at, format!("`listen: {}` is not an address", l.value))
                        .help("write IP:PORT, e.g. `127.0.0.1:8443`");
                    None
                }
            },
        };
        let internal = up.internal.as_ref().is_some_and(|i| i.value);
        let routes: Vec<Route> = up
            .routes
            .iter()
            .filter_map(|r| route(cx, r, internal.then_some(&name.value)))
            .collect();
        out.push(Upstream {
            name: name.value.clone(),
            routes,
            listen,
            internal,
            location: cx.location(&name.at),
        });
    }
    out
}

fn route(cx: &mut Cx<'_>, raw: &RawRoute, internal: Option<&String>) -> Option<Route> {
    let request = super::request::request_line_only(cx, &raw.request)?;
    let (path, query) = match request.path.split_once('?') {
        Some((p, q)) => (
            p.to_string(),
            reqwest::Url::parse(&format!("http://x/?{q}"))
                .map(|u| {
                    u.query_pairs()
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        ),
        None => (request.path.clone(), Vec::new()),
    };
    let Some(respond) = &raw.respond else {
        return Some(Route {
            method: request.method.to_string(),
            path,
            query,
            status: 200,
            headers: Vec::new(),
            body: None,
        });
    };
    let status = respond.status.as_ref().map_or(200, |s| s.value);
    if !(100..=599).contains(&status) {
        let at = respond.status.as_ref().map(|s| s.at);
        if let Some(at) = at {
            cx.error(&at, "`status` takes an HTTP status code (100–599)");
        }
        return None;
    }
    let body = match (&respond.json, &respond.body) {
        (Some(_), Some(_)) => {
            cx.error(
                &raw.request.at,
                "a response has `json:` or `body:`, not both",
            );
            return None;
        }
        (Some(j), None) => Some(Body::Json(j.clone())),
        (None, Some(b)) => Some(Body::Text(b.clone())),
        (None, None) => None,
    };
    if let (Some(name), Some(body)) = (internal, &body) {
        let label = format!("upstreams.{name}.body");
        for canary in internal_canaries(body) {
            cx.redactor.add_confidential(&label, &canary);
        }
    }
    let mut headers = Vec::new();
    for (k, v) in respond.headers.iter().flat_map(|m| &m.0) {
        if reqwest::header::HeaderName::from_bytes(k.value.as_bytes()).is_err()
            || reqwest::header::HeaderValue::from_str(v).is_err()
        {
            cx.error(&k.at, format!("`{}: {v}` is not a valid header", k.value));
            continue;
        }
        headers.push((k.value.clone(), v.clone()));
    }
    Some(Route {
        method: request.method.to_string(),
        path,
        query,
        status,
        headers,
        body,
    })
}

pub fn upstream_id(cx: &mut Cx<'_>, name: &S<String>) -> Option<usize> {
    if let Some(i) = cx.upstream_names.iter().position(|n| *n == name.value) {
        return Some(i);
    }
    let help = match did_you_mean(&name.value, cx.upstream_names.iter().map(String::as_str)) {
        Some(n) => format!("did you mean `{n}`?"),
        None if cx.upstream_names.is_empty() && cx.front == super::wording::FrontEnd::Gherkin => {
            "the feature's authspec.yaml has no `upstreams:`".into()
        }
        None if cx.upstream_names.is_empty() => "this suite has no `upstreams:`".into(),
        None => format!("upstreams: {}", cx.upstream_names.join(", ")),
    };
    cx.error(&name.at, format!("unknown upstream `{}`", name.value))
        .help(help);
    None
}

pub fn upstream_tls(
    cx: &mut Cx<'_>,
    raw: Option<&SpannedMap<S<String>>>,
) -> Vec<(usize, UpstreamTls)> {
    let mut out = Vec::new();
    for (name, variant) in raw.iter().flat_map(|m| &m.0) {
        let id = upstream_id(cx, name);
        let tls = UpstreamTls::ALL
            .iter()
            .find(|(n, _)| *n == variant.value)
            .map(|(_, v)| *v);
        match (id, tls) {
            (Some(i), Some(t)) => out.push((i, t)),
            (_, None) => {
                let names = UpstreamTls::ALL.map(|(n, _)| n);
                let help = match did_you_mean(&variant.value, names) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("one of: {}", names.join(", ")),
                };
                cx.error(
                    &variant.at,
                    format!("`{}` is not an upstream certificate", variant.value),
                )
                .help(help);
            }
            (None, Some(_)) => {}
        }
    }
    out
}

pub fn upstream_expect(
    cx: &mut Cx<'_>,
    raw: Option<&SpannedMap<RawUpstreamExpect>>,
) -> Vec<UpstreamExpectation> {
    let mut out = Vec::new();
    for (name, e) in raw.iter().flat_map(|m| &m.0) {
        let empty = e.requests.is_none()
            && e.backoff.is_none()
            && e.request.is_none()
            && e.header.is_none()
            && e.header_present.is_none()
            && e.header_absent.is_none()
            && e.query_has_no_secret != Some(true);
        if empty {
            cx.error(&name.at, format!("`upstream.{}` asserts nothing", name.value))
                .help("add `requests: N`, `request: METHOD /path`, `header: {…}`, `header_present`, `header_absent` or `query_has_no_secret: true`");
        }
        let Some(upstream) = upstream_id(cx, name) else {
            continue;
        };
        let request = e
            .request
            .as_ref()
            .and_then(|r| super::request::request_line_only(cx, r))
            .map(|r| (r.method.to_string(), r.path));
        let mut headers = Vec::new();
        for (k, v) in
            super::request::request_values(cx, e.header.as_ref(), super::request::Part::Header)
        {
            headers.push(UpstreamHeader::Equals(k, v));
        }
        for h in e.header_present.iter().flatten() {
            headers.push(UpstreamHeader::Present(h.value.clone()));
        }
        for h in e.header_absent.iter().flatten() {
            headers.push(UpstreamHeader::Absent(h.value.clone()));
        }
        out.push(UpstreamExpectation {
            upstream,
            requests: super::faults::requests(cx, e.requests.as_ref()),
            backoff: super::faults::backoff(cx, e.backoff.as_ref()),
            request,
            headers,
            query_has_no_secret: e.query_has_no_secret.unwrap_or(false),
        });
    }
    out
}

/// What of an internal upstream's body counts as confidential: the body as sent, and
/// each string in it of 8 or more characters that is not one plain word.
fn internal_canaries(body: &Body) -> Vec<String> {
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => {
                let plain = s.chars().all(|c| c.is_ascii_lowercase() || c == ' ');
                if s.len() >= 8 && !plain {
                    out.push(s.clone());
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            serde_json::Value::Object(m) => m.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let whole = match body {
        Body::Json(j) => {
            strings(j, &mut out);
            j.to_string()
        }
        Body::Text(t) => t.trim().to_string(),
        Body::Form(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&"),
    };
    if whole.len() >= 8 {
        out.push(whole);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_canaries_skip_short_values_and_plain_words() {
        let body = Body::Json(serde_json::json!({
            "id": "ch_1", "status": "succeeded", "risk": "score-87/internal", "n": 5
        }));
        let got = internal_canaries(&body);
        assert!(got.contains(&"score-87/internal".to_string()));
        assert!(!got.iter().any(|c| c == "succeeded" || c == "ch_1"));
        assert!(got.iter().any(|c| c.starts_with('{')));
    }
}
