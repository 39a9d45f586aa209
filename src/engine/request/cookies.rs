//! One cookie jar per role with credentials: what a role's answers set (its login's
//! included) goes back on that role's later requests only, so no role rides on another's
//! session. Roles without credentials (`anonymous: {}`) keep none: they mean "no
//! credential at all", and a session cookie some step obtained would make their denies
//! say nothing. The jars follow `cookie_store`'s rules for domain, path and expiry (those
//! of reqwest's own jar), filled and read here around the one shared client, so roles
//! share connections but not cookies. The client itself keeps no cookies: reqwest's
//! cookie layer would parse every request's URL once more, for a jar no check uses.

use std::collections::HashMap;
use std::sync::RwLock;

use reqwest::header::{COOKIE, HeaderValue};
use reqwest::{RequestBuilder, Url};

use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::{RoleId, Suite};
use crate::results::HarnessError;

#[derive(Default)]
pub struct Jars(HashMap<(usize, RoleId), Jar>);

/// One cookie jar.
#[derive(Debug, Default)]
pub struct Jar(RwLock<cookie_store::CookieStore>);

impl Jar {
    /// The `Cookie` header value of what the jar holds for `url` (`a=1; b=2`), if any.
    pub fn cookies(&self, url: &Url) -> Option<String> {
        let store = self.0.read().unwrap_or_else(|e| e.into_inner());
        let pairs: Vec<String> = store
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Keeps the cookies of `set_cookie` (`Set-Cookie` values) an answer from `url` set;
    /// a value that does not parse is left out.
    pub fn set_cookies<'a>(&self, set_cookie: impl Iterator<Item = &'a str>, url: &Url) {
        let cookies: Vec<cookie::Cookie<'static>> = set_cookie
            .filter_map(|v| cookie::Cookie::parse(v.to_string()).ok())
            .collect();
        if cookies.is_empty() {
            return;
        }
        let mut store = self.0.write().unwrap_or_else(|e| e.into_inner());
        store.store_response_cookies(cookies.into_iter(), url);
    }

    /// `builder` with the jar's cookies for its URL added to any `Cookie` it has.
    pub fn add_to(&self, builder: RequestBuilder) -> Result<RequestBuilder, HarnessError> {
        with_cookie_header(builder, Some(self), None)
    }

    /// Keeps what `ex` sets.
    pub fn keep(&self, ex: &Exchange) {
        let set = ex
            .headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.as_str());
        self.set_cookies(set, &ex.url);
    }
}

impl Jars {
    pub fn for_suites<'a>(suites: impl IntoIterator<Item = &'a Suite>) -> Self {
        let mut jars = HashMap::new();
        for (si, suite) in suites.into_iter().enumerate() {
            for (ri, role) in suite.roles.iter().enumerate() {
                if role.needs_proof() {
                    jars.insert((si, RoleId(ri)), Jar::default());
                }
            }
        }
        Jars(jars)
    }
}

impl Context {
    /// `builder` with the cookies of `role`'s jar for its URL, and `token` (a login token
    /// sent as a cookie: `(name, value)`) in place of any jar cookie of that name.
    pub fn with_cookies(
        &self,
        si: usize,
        role: RoleId,
        builder: RequestBuilder,
        token: Option<(&str, &str)>,
    ) -> Result<RequestBuilder, HarnessError> {
        let jar = self.jars.0.get(&(si, role));
        if jar.is_none() && token.is_none() {
            return Ok(builder);
        }
        with_cookie_header(builder, jar, token)
    }

    /// Keeps what `ex` sets in `role`'s jar.
    pub fn keep_cookies(&self, si: usize, role: RoleId, ex: &Exchange) {
        if let Some(jar) = self.jars.0.get(&(si, role)) {
            jar.keep(ex);
        }
    }
}

/// `builder` with a `Cookie` header of the one it has, then `jar`'s cookies for its URL,
/// then `token` (`(name, value)`) in place of any jar cookie of that name.
fn with_cookie_header(
    builder: RequestBuilder,
    jar: Option<&Jar>,
    token: Option<(&str, &str)>,
) -> Result<RequestBuilder, HarnessError> {
    let (client, request) = builder.build_split();
    let mut request = request.map_err(|e| HarnessError::request(e.to_string()))?;
    let stored = jar
        .and_then(|j| j.cookies(request.url()))
        .unwrap_or_default();
    let mut pairs: Vec<String> = request
        .headers()
        .get(COOKIE)
        .and_then(|v| v.to_str().ok())
        .into_iter()
        .map(str::to_string)
        .collect();
    pairs.extend(
        stored
            .split("; ")
            .filter(|p| !p.is_empty())
            .filter(|p| token.is_none_or(|(name, _)| p.split('=').next() != Some(name)))
            .map(str::to_string),
    );
    if let Some((name, value)) = token {
        pairs.push(format!("{name}={value}"));
    }
    if !pairs.is_empty() {
        let value = HeaderValue::from_str(&pairs.join("; "))
            .map_err(|e| HarnessError::request(format!("the Cookie header: {e}")))?;
        request.headers_mut().insert(COOKIE, value);
    }
    Ok(RequestBuilder::from_parts(client, request))
}
