//! Lowers the request-shaped parts of a suite: request lines, bodies, headers, query
//! parameters, expectations, captures and the `{{var}}` templates between steps.

use serde_json_path::JsonPath;

use super::context::Cx;
use crate::load::raw::{Pos, RawExpect, RawRequestParts, S, SpannedMap};
use crate::load::request_line;
use crate::model::template::variables;
use crate::model::{
    Body, Capture, Expectation, HeaderExpectation, JsonAssertion, KeyQuality, Request, Step,
    Verdict,
};

/// `GET /orders` alone, as in a role's `proof:`.
pub fn request_line_only(cx: &mut Cx<'_>, line: &S<String>) -> Option<Request> {
    let (method, path) = request_line(cx, line)?;
    Some(Request {
        method,
        path,
        headers: Vec::new(),
        query: Vec::new(),
        body: None,
        location: cx.location(&line.at),
    })
}

fn request_line(cx: &mut Cx<'_>, line: &S<String>) -> Option<(String, String)> {
    match request_line::parse(&line.value) {
        Ok(parsed) => Some(parsed),
        Err(bad) => {
            cx.error(&line.at, bad.message).help(bad.help);
            None
        }
    }
}

/// A full request. `captured` are the variables earlier steps define.
pub fn request(
    cx: &mut Cx<'_>,
    parts: &RawRequestParts<'_>,
    captured: &[String],
) -> Option<Request> {
    let (method, path) = request_line(cx, parts.request)?;
    let loc = &parts.request.at;
    let body = match (parts.json, parts.body) {
        (Some(_), Some(_)) => {
            cx.error(loc, "a request has `json:` or `body:`, not both");
            return None;
        }
        (Some(j), None) => Some(Body::Json(j.clone())),
        (None, Some(b)) => Some(Body::Text(b.clone())),
        (None, None) => None,
    };
    let headers = request_values(cx, parts.headers, Part::Header);
    let query = request_values(cx, parts.query, Part::Query);
    let request = Request {
        method,
        path,
        headers,
        query,
        body,
        location: cx.location(loc),
    };
    check_templates(cx, &request, loc, captured);
    Some(request)
}

/// Header or query values: references resolved (and what they resolve to registered
/// for redaction), literal credentials refused, header names and values checked.
pub fn request_values(
    cx: &mut Cx<'_>,
    map: Option<&SpannedMap<String>>,
    part: Part,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, value) in map.iter().flat_map(|m| &m.0) {
        let (loc, name) = (&key.at, key.value.as_str());
        let field = format!("{} `{name}`", part.noun());
        if part == Part::Header && reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err()
        {
            cx.error(loc, format!("`{name}` is not a valid header name"))
                .help("header names are letters, digits and `-`, without spaces");
            continue;
        }
        let resolved = if value.contains("${") {
            match cx.ctx.interpolate(value, &cx.source.dir) {
                Ok(v) => {
                    for piece in cx.ctx.resolved_references(value, &cx.source.dir) {
                        cx.redactor.add(&format!("{}.{name}", part.noun()), &piece);
                    }
                    v
                }
                Err(e) => {
                    cx.reference_error(loc, &field, e);
                    continue;
                }
            }
        } else {
            if part.carries_credentials(name) && !value.contains("{{") && !value.trim().is_empty() {
                cx.error(loc, format!("literal credential in {field}"))
                    .label("credentials are never written into a suite")
                    .help("use a role (`bearer:`, `api_key:`), or a reference: `${env:NAME}`");
                continue;
            }
            value.clone()
        };
        if part == Part::Header && reqwest::header::HeaderValue::from_str(&resolved).is_err() {
            cx.error(
                loc,
                format!("the value of {field} is not a valid header value"),
            )
            .help("header values are one line of visible text");
            continue;
        }
        out.push((name.to_string(), resolved));
    }
    out
}

fn check_templates(cx: &mut Cx<'_>, request: &Request, loc: &Pos, captured: &[String]) {
    let mut texts: Vec<String> = vec![request.path.clone()];
    texts.extend(request.headers.iter().map(|(_, v)| v.clone()));
    texts.extend(request.query.iter().map(|(_, v)| v.clone()));
    match &request.body {
        Some(Body::Text(t)) => texts.push(t.clone()),
        Some(Body::Json(j)) => texts.push(j.to_string()),
        None => {}
    }
    for text in &texts {
        if text.matches("{{").count() > variables(text).len() {
            cx.error(loc, "a `{{` is not closed with `}}`")
                .help("variables are written `{{name}}`");
        }
        for var in variables(text) {
            if !captured.iter().any(|c| c == var) {
                let (message, help) = cx.front.uncaptured(var, captured);
                cx.error(loc, message).help(help);
            }
        }
    }
}

pub fn step(
    cx: &mut Cx<'_>,
    role: &S<String>,
    parts: &RawRequestParts<'_>,
    raw_expect: Option<&RawExpect>,
    capture: Option<&SpannedMap<String>>,
    captured: &mut Vec<String>,
) -> Option<Step> {
    let role = cx.role_id(role);
    let request = request(cx, parts, captured);
    let expect = expect(cx, raw_expect);
    let captures = captures(cx, capture);
    captured.extend(captures.iter().map(|c| c.name.clone()));
    Some(Step {
        role: role?,
        request: request?,
        expect,
        captures,
    })
}

fn json_path(cx: &mut Cx<'_>, text: &S<String>) -> Option<JsonPath> {
    match JsonPath::parse(&text.value) {
        Ok(p) => Some(p),
        Err(e) => {
            cx.error(&text.at, format!("invalid JSONPath `{}`: {e}", text.value))
                .help("JSONPath starts at `$`, e.g. `$.id` or `$.items[0].name`");
            None
        }
    }
}

fn captures(cx: &mut Cx<'_>, raw: Option<&SpannedMap<String>>) -> Vec<Capture> {
    let Some(map) = raw else { return Vec::new() };
    let mut out = Vec::new();
    for (name, path) in &map.0 {
        let valid = !name.value.is_empty()
            && name
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            cx.error(&name.at, format!("`{}` is not a variable name", name.value))
                .help("use letters, digits and `_`");
            continue;
        }
        let spanned = S::new(path.clone(), name.at);
        if let Some(p) = json_path(cx, &spanned) {
            out.push(Capture {
                name: name.value.clone(),
                path_text: path.clone(),
                path: p,
            });
        }
    }
    out
}

fn expect(cx: &mut Cx<'_>, raw: Option<&RawExpect>) -> Expectation {
    let Some(raw) = raw else {
        return Expectation::default();
    };
    let mut out = Expectation::default();
    if let Some(access) = &raw.access {
        out.access = match access.value.as_str() {
            "allow" | "allowed" => Some(Verdict::Allow),
            "deny" | "denied" => Some(Verdict::Deny),
            other => {
                cx.error(
                    &access.at,
                    format!("`access: {other}` is neither allow nor deny"),
                )
                .help("`access: allow` (any 2xx) or `access: deny` (a policy refusal status)");
                None
            }
        };
    }
    if let Some(status) = &raw.status {
        if status.value.0.iter().any(|s| !(100..=599).contains(s)) || status.value.0.is_empty() {
            cx.error(&status.at, "`status` takes HTTP status codes (100–599)");
        }
        out.status = Some(status.value.0.clone());
    }
    for (path, expected) in raw.json.iter().flat_map(|m| &m.0) {
        if let Some(p) = json_path(cx, path) {
            out.json.push(JsonAssertion {
                path_text: path.value.clone(),
                path: p,
                expected: expected.clone(),
            });
        }
    }
    if let Some(k) = &raw.json_key_quality
        && let Some(path) = json_path(cx, &k.path)
    {
        out.key_quality = Some(KeyQuality {
            path_text: k.path.value.clone(),
            path,
            min_length: k.min_length.unwrap_or(32),
            min_entropy_bits: k.min_entropy_bits.unwrap_or(128.0),
        });
    }
    out.upstream = super::upstreams::upstream_expect(cx, raw.upstream.as_ref());
    out.body_contains = raw
        .body_contains
        .as_ref()
        .map(|v| v.0.clone())
        .unwrap_or_default();
    out.body_not_contains = raw
        .body_not_contains
        .as_ref()
        .map(|v| v.0.clone())
        .unwrap_or_default();
    out.headers = raw
        .headers
        .iter()
        .flat_map(|m| &m.0)
        .map(|(k, v)| HeaderExpectation {
            name: k.value.clone(),
            value: v.clone(),
        })
        .collect();
    out.within = super::faults::within(cx, raw.within.as_ref());
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Query,
}

impl Part {
    fn noun(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Query => "query parameter",
        }
    }

    /// Names whose values are credentials: a literal there is a secret in the suite.
    fn carries_credentials(self, name: &str) -> bool {
        let n = name.to_ascii_lowercase();
        match self {
            Part::Header => matches!(
                n.as_str(),
                "authorization"
                    | "proxy-authorization"
                    | "cookie"
                    | "x-api-key"
                    | "api-key"
                    | "x-auth-token"
                    | "x-access-token"
                    | "api_key"
                    | "apikey"
                    | "token"
                    | "access_token"
                    | "password"
            ),
            Part::Query => matches!(
                n.as_str(),
                "api_key"
                    | "apikey"
                    | "key"
                    | "token"
                    | "access_token"
                    | "auth"
                    | "secret"
                    | "client_secret"
                    | "password"
            ),
        }
    }
}
