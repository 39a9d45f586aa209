//! Lowers the request-shaped parts of a suite: request lines, bodies (JSON, form, text),
//! headers, query parameters, captures and the `{{var}}` templates between steps.

use serde_json_path::JsonPath;
use thin_vec::ThinVec;

use super::context::Cx;
use super::values::{self, Register};
use crate::load::raw::{Pos, RawExpect, RawRequestParts, S, SpannedMap};
use crate::load::reference::mentions_reference;
use crate::load::request_line;
use crate::model::{Body, Capture, Request, Step};

/// `GET /orders` alone, as in a role's `proof:`.
pub fn request_line_only(cx: &mut Cx<'_>, line: &S<String>) -> Option<Request> {
    let (method, written) = request_line(cx, line)?;
    let path = values::path(cx, &written, &line.at)?;
    Some(Request {
        method,
        written: (written != path).then(|| written.into()),
        path,
        headers: ThinVec::new(),
        query: ThinVec::new(),
        body: None,
        location: cx.location(&line.at),
    })
}

fn request_line(cx: &mut Cx<'_>, line: &S<String>) -> Option<(&'static str, String)> {
    match request_line::parse(&line.value) {
        Ok(parsed) => Some(parsed),
        Err(bad) => {
            cx.error(&line.at, bad.message).help(bad.help);
            None
        }
    }
}

/// A full request. `captured` are the variables earlier steps define (`run.id` and
/// what `setup:` captures are known besides).
pub fn request(
    cx: &mut Cx<'_>,
    parts: &RawRequestParts<'_>,
    captured: &[String],
) -> Option<Request> {
    let (method, written) = request_line(cx, parts.request)?;
    let loc = &parts.request.at;
    let given = [
        parts.json.is_some(),
        parts.form.is_some(),
        parts.body.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        cx.error(
            loc,
            "a request has one of `json:`, `form:` or `body:`, not more",
        );
        return None;
    }
    let mut fine = templates_of_raw(cx, parts, loc, captured);
    let path = values::path(cx, &written, loc);
    let body = if let Some(j) = parts.json {
        values::json(cx, j, loc, "json").map(Body::Json)
    } else if let Some(f) = parts.form {
        let fields = request_values(cx, Some(f), Part::Form);
        (fields.len() == f.0.len()).then_some(Body::Form(fields))
    } else if let Some(b) = parts.body {
        values::text(cx, b, loc, "body", "request.body", Register::Quiet).map(Body::Text)
    } else {
        None
    };
    fine &= body.is_some() == given.iter().any(|g| *g);
    let body = body.map(Box::new);
    let headers = request_values(cx, parts.headers, Part::Header);
    let query = request_values(cx, parts.query, Part::Query);
    let path = path?;
    let request = Request {
        method,
        written: (written != path).then(|| written.into()),
        path,
        headers: headers.into(),
        query: query.into(),
        body,
        location: cx.location(loc),
    };
    fine.then_some(request)
}

/// Checks the `{{…}}` of every value of the request as written (before references are
/// resolved: a secret's value is never taken for a template).
fn templates_of_raw(
    cx: &mut Cx<'_>,
    parts: &RawRequestParts<'_>,
    loc: &Pos,
    captured: &[String],
) -> bool {
    let mut texts: Vec<(String, Pos)> = vec![(parts.request.value.clone(), *loc)];
    for map in [parts.headers, parts.query, parts.form]
        .into_iter()
        .flatten()
    {
        texts.extend(map.0.iter().map(|(k, v)| (v.clone(), k.at)));
    }
    if let Some(b) = parts.body {
        texts.push((b.clone(), *loc));
    }
    if let Some(j) = parts.json {
        texts.extend(
            values::strings(j)
                .into_iter()
                .map(|s| (s.to_string(), *loc)),
        );
    }
    let mut ok = true;
    for (text, at) in &texts {
        ok &= values::templates(cx, text, at, captured);
    }
    ok
}

/// Header, query or form values: references resolved (and what they resolve to
/// registered for redaction), literal credentials refused, header names and values
/// checked. Only the values that are fine are returned.
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
        if !mentions_reference(value)
            && part.carries_credentials(name)
            && !value.contains("{{")
            && !value.trim().is_empty()
        {
            cx.error(loc, format!("literal credential in {field}"))
                .label("credentials are never written into a suite")
                .help(
                    "use a role (`bearer:`, `api_key:`, `basic:`), or a reference: `${env:NAME}`",
                );
            continue;
        }
        // A header or query value travels beside the credentials: finding it in a
        // response is a leak. A form field is data the caller sends.
        let register = match part {
            Part::Form => Register::Quiet,
            Part::Header | Part::Query => Register::Canary,
        };
        let label = format!("{}.{name}", part.noun());
        let Some(resolved) = values::text(cx, value, loc, &field, &label, register) else {
            continue;
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
    let mut expect = super::expect::expect(cx, raw_expect, captured);
    let captures = captures(cx, capture);
    expect.any_status = expect.positive() || !captures.is_empty();
    captured.extend(captures.iter().map(|c| c.name.clone()));
    Some(Step {
        role: role?,
        request: request?,
        expect,
        captures,
    })
}

pub(super) fn json_path(cx: &mut Cx<'_>, text: &S<String>) -> Option<JsonPath> {
    match JsonPath::parse(&text.value) {
        Ok(p) => Some(p),
        Err(e) => {
            cx.error(&text.at, format!("invalid JSONPath `{}`: {e}", text.value))
                .help("JSONPath starts at `$`, e.g. `$.id` or `$.items[0].name`");
            None
        }
    }
}

pub(super) fn captures(cx: &mut Cx<'_>, raw: Option<&SpannedMap<String>>) -> Vec<Capture> {
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

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Query,
    Form,
}

impl Part {
    fn noun(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Query => "query parameter",
            Part::Form => "form field",
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
            Part::Query | Part::Form => matches!(
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
