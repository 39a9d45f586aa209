//! One cookie jar per role with credentials: what a role's answers set (its login's
//! included) goes back on that role's later requests only, so no role rides on another's
//! session. Roles without credentials (`anonymous: {}`) keep none: they mean "no
//! credential at all", and a session cookie some step obtained would make their denies
//! say nothing. The jars are reqwest's own (`cookie_store` rules for domain, path and
//! expiry), filled and read here around the one shared client, so roles share
//! connections but not cookies.

use std::collections::HashMap;

use reqwest::RequestBuilder;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{COOKIE, HeaderValue};

use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::{RoleId, Suite};
use crate::results::HarnessError;

#[derive(Default)]
pub struct Jars(HashMap<(usize, RoleId), Jar>);

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
        let (client, request) = builder.build_split();
        let mut request = request.map_err(|e| HarnessError::request(e.to_string()))?;
        let stored = jar
            .and_then(|j| j.cookies(request.url()))
            .and_then(|v| v.to_str().ok().map(str::to_string))
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

    /// Keeps what `ex` sets in `role`'s jar.
    pub fn keep_cookies(&self, si: usize, role: RoleId, ex: &Exchange) {
        let Some(jar) = self.jars.0.get(&(si, role)) else {
            return;
        };
        let values: Vec<HeaderValue> = ex
            .headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .filter_map(|(_, v)| HeaderValue::from_str(v).ok())
            .collect();
        if !values.is_empty() {
            jar.set_cookies(&mut values.iter(), &ex.url);
        }
    }
}
