//! Lowers a `login:` role: its request (as a scenario step's: references resolved and
//! registered for redaction, `{{run.id}}` and `setup:` captures allowed), where the answer
//! carries the token, and how the role's requests send it.

use super::context::Cx;
use crate::load::raw::{Pos, RawLoginRole, RawTokenFrom, RawTokenPlace, S};
use crate::model::{Credential, Login, Sending, TokenFrom};

pub fn login(cx: &mut Cx<'_>, n: &str, raw: &RawLoginRole) -> Option<Credential> {
    let captured = cx.setup_captures.clone();
    let request = super::request::request(cx, &raw.parts(), &captured);
    let token = token(cx, n, &raw.token);
    let send = match (&raw.send, &token) {
        (Some(s), _) => send(cx, n, &s.value, &s.at),
        (None, Some(t)) => Some(t.default_sending()),
        (None, None) => None,
    };
    Some(Credential::Login(Box::new(Login {
        request: request?,
        token: token?,
        token_at: cx.location(&raw.token.at),
        send: send?,
    })))
}

fn token(cx: &mut Cx<'_>, n: &str, raw: &S<RawTokenFrom>) -> Option<TokenFrom> {
    match &raw.value {
        RawTokenFrom::Path(p) => {
            let path = super::request::json_path(cx, &S::new(p.clone(), raw.at))?;
            Some(TokenFrom::Json {
                path_text: p.clone(),
                path,
            })
        }
        RawTokenFrom::Place(place) => {
            if let Some(prefix) = &place.prefix {
                cx.error(&prefix.at, format!("role `{n}`: `prefix` belongs under `send:`"))
                    .help("`token:` says where the login's answer carries the token; `send: { header: NAME, prefix: \"…\" }` how requests carry it");
                return None;
            }
            match one_place(cx, n, "token", place, &raw.at)? {
                Place::Header(h) => Some(TokenFrom::Header(h)),
                Place::Cookie(c) => Some(TokenFrom::Cookie(c)),
            }
        }
    }
}

fn send(cx: &mut Cx<'_>, n: &str, raw: &RawTokenPlace, at: &Pos) -> Option<Sending> {
    let place = one_place(cx, n, "send", raw, at)?;
    match (place, &raw.prefix) {
        (Place::Cookie(_), Some(prefix)) => {
            cx.error(&prefix.at, format!("role `{n}`: a cookie takes no `prefix`"))
                .help("`prefix` goes before the token in a header: `send: { header: NAME, prefix: \"Token \" }`");
            None
        }
        (Place::Cookie(c), None) => Some(Sending::Cookie(c)),
        (Place::Header(name), prefix) => {
            let prefix = match prefix {
                Some(p) => p.value.clone(),
                None if name.eq_ignore_ascii_case("authorization") => "Bearer ".into(),
                None => String::new(),
            };
            if reqwest::header::HeaderValue::from_str(&prefix).is_err() {
                let at = raw.prefix.as_ref().map_or(*at, |p| p.at);
                cx.error(
                    &at,
                    format!("role `{n}`: `prefix` is not valid in a header"),
                )
                .help("a prefix is visible text on one line, e.g. `Bearer ` or `Token `");
                return None;
            }
            Some(Sending::Header { name, prefix })
        }
    }
}

enum Place {
    Header(String),
    Cookie(String),
}

/// Exactly one of `header:` and `cookie:`, each a valid name.
fn one_place(cx: &mut Cx<'_>, n: &str, key: &str, raw: &RawTokenPlace, at: &Pos) -> Option<Place> {
    match (&raw.header, &raw.cookie) {
        (Some(h), None) => {
            if reqwest::header::HeaderName::from_bytes(h.value.as_bytes()).is_err() {
                cx.error(&h.at, format!("`{}` is not a valid header name", h.value))
                    .help("header names are letters, digits and `-`, without spaces");
                return None;
            }
            Some(Place::Header(h.value.clone()))
        }
        (None, Some(c)) => {
            let valid = !c.value.is_empty()
                && c.value
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b));
            if !valid {
                cx.error(&c.at, format!("`{}` is not a valid cookie name", c.value))
                    .help("a cookie name is letters, digits and `-`, `_`, `.` (RFC 6265 §4.1.1)");
                return None;
            }
            Some(Place::Cookie(c.value.clone()))
        }
        _ => {
            let example = if key == "token" {
                "`token: $.auth_token`, `token: { header: X-Auth-Token }` or `token: { cookie: session }`"
            } else {
                "`send: { header: X-Auth-Token, prefix: \"\" }` or `send: { cookie: session }`"
            };
            cx.error(
                at,
                format!("role `{n}`: `{key}:` names exactly one of `header` or `cookie`"),
            )
            .help(format!("e.g. {example}"));
            None
        }
    }
}
