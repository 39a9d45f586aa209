//! Login roles: the role's `login:` request is sent once per run, on first use, and its
//! token kept in one slot per role that every check shares. The token is registered for
//! redaction the moment it is read. It is renewed when its JWT `exp` comes near (the
//! skew of OAuth tokens) or when a request of the role is answered 401: once, and the
//! request retried once; a second 401 stands. A login that fails (an error status, no
//! connection, no token where `token:` says) is remembered, and every check of the role
//! is an error naming the login and its answer. The login's exchange is never scanned
//! for leaks: the token it delivers is the caller's own.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::template::Vars;
use crate::model::{Credential, Login, RoleId, Suite, TokenFrom};
use crate::results::HarnessError;

/// A token a login returned.
#[derive(Clone, Debug)]
pub struct LoginToken {
    pub value: String,
    /// Counts the role's logins: a request that got 401 renews only the token it sent.
    pub generation: u64,
    /// The JWT's `exp`, when the token is one.
    pub exp: Option<i64>,
    expires_at: Option<Instant>,
    lifetime: Option<Duration>,
}

impl LoginToken {
    fn fresh(&self) -> bool {
        crate::engine::auth::oauth::fresh(self.expires_at, self.lifetime)
    }
}

#[derive(Default)]
struct Slot {
    token: Option<LoginToken>,
    /// A failed login, answered to every later request of the role without another try.
    failed: Option<HarnessError>,
    generation: u64,
    /// A generation whose token got a 401 again right after the renewal that made it: a
    /// refusal of the request, not of the token, so later 401s renew no more (a matrix
    /// of denies must not log in once per deny).
    refuted: Option<u64>,
}

/// Per-run login state: one slot per login role.
#[derive(Default)]
pub struct Logins {
    slots: HashMap<(usize, RoleId), Mutex<Slot>>,
    /// Login requests sent, per role: tests and reports count them.
    pub requests: std::sync::Mutex<HashMap<(usize, RoleId), usize>>,
}

impl Logins {
    pub fn for_suites<'a>(suites: impl IntoIterator<Item = &'a Suite>) -> Self {
        let mut l = Logins::default();
        for (si, suite) in suites.into_iter().enumerate() {
            for (ri, role) in suite.roles.iter().enumerate() {
                if matches!(role.credential, Credential::Login(_)) {
                    l.slots
                        .insert((si, RoleId(ri)), Mutex::new(Slot::default()));
                }
            }
        }
        l
    }
}

impl Context {
    /// The role's current login token: cached, or obtained by logging in.
    pub async fn login_token(&self, si: usize, role: RoleId) -> Result<LoginToken, HarnessError> {
        self.login_slot(si, role, None).await
    }

    /// A new token in place of the one of `stale` generation, which was answered 401;
    /// another request that renewed it meanwhile has already done so.
    pub async fn renew_login(
        &self,
        si: usize,
        role: RoleId,
        stale: u64,
    ) -> Result<LoginToken, HarnessError> {
        self.login_slot(si, role, Some(stale)).await
    }

    /// Whether a 401 to the token of `generation` is worth a new login: not once the
    /// token a renewal made was itself answered 401.
    pub async fn renewal_helps(&self, si: usize, role: RoleId, generation: u64) -> bool {
        match self.logins.slots.get(&(si, role)) {
            Some(slot) => slot.lock().await.refuted != Some(generation),
            None => false,
        }
    }

    /// The token of `generation`, fresh from a renewal, was answered 401 too.
    pub async fn renewal_refuted(&self, si: usize, role: RoleId, generation: u64) {
        if let Some(slot) = self.logins.slots.get(&(si, role)) {
            slot.lock().await.refuted = Some(generation);
        }
    }

    /// A login of its own, not cached (for probes that wait for a token to expire).
    pub async fn fresh_login(&self, si: usize, role: RoleId) -> Result<LoginToken, HarnessError> {
        self.log_in(si, role, 0).await
    }

    async fn login_slot(
        &self,
        si: usize,
        role: RoleId,
        stale: Option<u64>,
    ) -> Result<LoginToken, HarnessError> {
        let Some(slot) = self.logins.slots.get(&(si, role)) else {
            return Err(HarnessError::request("this role does not log in"));
        };
        let mut slot = slot.lock().await;
        if let Some(e) = &slot.failed {
            return Err(e.clone());
        }
        if let Some(t) = slot.token.as_ref().filter(|t| t.fresh())
            && stale.is_none_or(|g| g != t.generation)
        {
            return Ok(t.clone());
        }
        let generation = slot.generation + 1;
        match self.log_in(si, role, generation).await {
            Ok(t) => {
                slot.generation = generation;
                slot.token = Some(t.clone());
                Ok(t)
            }
            Err(e) => {
                // A renewal that failed while the token it was to replace is still
                // fresh errs this request only; the role keeps its token.
                let still_fresh = stale.is_some() && slot.token.as_ref().is_some_and(|t| t.fresh());
                if !still_fresh {
                    slot.failed = Some(e.clone());
                }
                Err(e)
            }
        }
    }

    /// Sends the role's login request and reads the token from its answer.
    async fn log_in(
        &self,
        si: usize,
        role: RoleId,
        generation: u64,
    ) -> Result<LoginToken, HarnessError> {
        let r = self.suites[si].suite.role(role);
        let Credential::Login(login) = &r.credential else {
            return Err(HarnessError::request("this role does not log in"));
        };
        let failed = |cause: HarnessError| HarnessError::Token {
            role: r.name.clone(),
            server: format!("its login `{}`", login.request.line()),
            cause: Box::new(cause),
        };
        if let Ok(mut n) = self.logins.requests.lock() {
            *n.entry((si, role)).or_default() += 1;
        }
        let builder = self
            .request_builder(si, &login.request, &Vars::new())
            .map_err(failed)?;
        // The login is the role's own request: what it sets (a session, a CSRF cookie)
        // goes into the role's jar.
        let builder = self.with_cookies(si, role, builder, None).map_err(failed)?;
        let ex = self
            .http_as(si, Some(role))
            .send(builder)
            .await
            .map_err(failed)?;
        self.keep_cookies(si, role, &ex);
        let value = token(login, &ex);
        if let Ok(v) = &value {
            self.redactor.add(&format!("{}.login_token", r.name), v);
        }
        if !(200..300).contains(&ex.status) {
            let shown = self.redactor.redact(&ex.body);
            return Err(failed(HarnessError::request(format!(
                "the login answered {}: {}",
                ex.status_line(),
                ex.body_excerpt(&shown)
            ))));
        }
        let value = value.map_err(|why| {
            failed(HarnessError::request(format!(
                "the login answered {}, and {why} (`token:` at {}: point it at where the \
                 answer carries the token)",
                ex.status_line(),
                login.token_at
            )))
        })?;
        let exp = crate::jose::Jwt::parse(&value)
            .and_then(|j| j.claims.get("exp").and_then(|e| e.as_i64()));
        let lifetime = exp.map(|exp| Duration::from_secs((exp - now()).max(0) as u64));
        Ok(LoginToken {
            value,
            generation,
            exp,
            expires_at: lifetime.map(|l| Instant::now() + l),
            lifetime,
        })
    }

    /// `ex` as answered to a request that sent `used`, unless the token's `exp` had
    /// passed by then and the answer is no 2xx: then the answer may only mean the token
    /// expired, so nothing can be judged on it (above all no deny).
    pub fn unexpired(
        &self,
        si: usize,
        role: RoleId,
        ex: Exchange,
        used: Option<&LoginToken>,
    ) -> Result<Exchange, HarnessError> {
        let Some(exp) = used.and_then(|t| t.exp) else {
            return Ok(ex);
        };
        if (200..300).contains(&ex.status) || now() < exp {
            return Ok(ex);
        }
        let name = &self.suites[si].suite.role(role).name;
        Err(HarnessError::request(format!(
            "{name}'s login token expired (its `exp` is {exp}, Unix time) before \
             `{}` was answered {}, so that answer may only mean the token expired; the \
             login's tokens must outlive a request",
            ex.request_line,
            ex.status_line()
        )))
    }
}

/// The token where `token:` says, or what the answer holds instead (names, never
/// values: an answer that carries the token elsewhere must not show it).
fn token(login: &Login, ex: &Exchange) -> Result<String, String> {
    let found = match &login.token {
        TokenFrom::Json { path, path_text } => {
            let body: serde_json::Value = serde_json::from_str(&ex.body)
                .map_err(|_| format!("its body is not JSON, so `{path_text}` matches nothing"))?;
            match path.query(&body).first() {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    return Err(format!(
                        "`{path_text}` matches a {}, not a string",
                        json_kind(other)
                    ));
                }
                None => {
                    let keys = body
                        .as_object()
                        .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
                        .unwrap_or_default();
                    return Err(format!(
                        "`{path_text}` matches nothing in its body (its keys: {})",
                        if keys.is_empty() { "none" } else { &keys }
                    ));
                }
            }
        }
        TokenFrom::Header(name) => ex.header(name).map(str::to_string),
        TokenFrom::Cookie(name) => ex
            .headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
            .find(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.trim().trim_matches('"').to_string()),
    };
    match found {
        Some(v) if !v.trim().is_empty() => Ok(v),
        Some(_) => Err(format!("{} is empty", login.token.describe())),
        None => Err(format!("it carries no {}", login.token.describe())),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "list",
        serde_json::Value::Object(_) => "mapping",
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(headers: &[(&str, &str)], body: &str) -> Exchange {
        Exchange {
            request_line: "POST http://127.0.0.1/auth/login".into(),
            url: reqwest::Url::parse("http://127.0.0.1/auth/login").unwrap(),
            status: 200,
            reason: "OK".into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
            truncated: None,
        }
    }

    fn login(token: TokenFrom) -> Login {
        Login {
            request: crate::model::Request {
                method: "POST",
                path: "/auth/login".into(),
                written: None,
                headers: thin_vec::ThinVec::new(),
                query: thin_vec::ThinVec::new(),
                body: None,
                location: crate::model::Location {
                    file: "t.yaml".into(),
                    line: 1,
                    column: 1,
                },
            },
            send: token.default_sending(),
            token,
            token_at: crate::model::Location {
                file: "t.yaml".into(),
                line: 5,
                column: 14,
            },
        }
    }

    fn json(path: &str) -> TokenFrom {
        TokenFrom::Json {
            path_text: path.into(),
            path: serde_json_path::JsonPath::parse(path).unwrap(),
        }
    }

    #[test]
    fn the_token_is_read_where_token_says_and_nothing_else_is_shown() {
        let ex = exchange(
            &[
                ("set-cookie", "session=fake-cookie-token; HttpOnly"),
                ("x-auth-token", "fake-header-token"),
            ],
            r#"{"auth_token": "fake-body-token", "n": 1}"#,
        );
        assert_eq!(
            token(&login(json("$.auth_token")), &ex).unwrap(),
            "fake-body-token"
        );
        assert_eq!(
            token(&login(TokenFrom::Header("X-Auth-Token".into())), &ex).unwrap(),
            "fake-header-token"
        );
        assert_eq!(
            token(&login(TokenFrom::Cookie("session".into())), &ex).unwrap(),
            "fake-cookie-token"
        );
        let missing = token(&login(json("$.token")), &ex).unwrap_err();
        assert!(
            missing.contains("matches nothing") && missing.contains("auth_token, n"),
            "{missing}"
        );
        assert!(!missing.contains("fake-body-token"), "{missing}");
        assert!(
            token(&login(json("$.n")), &ex)
                .unwrap_err()
                .contains("a number")
        );
        assert!(
            token(&login(TokenFrom::Cookie("sid".into())), &ex)
                .unwrap_err()
                .contains("no cookie `sid`")
        );
    }
}
