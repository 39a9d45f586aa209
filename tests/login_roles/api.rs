//! The notes API of `tests/login_roles.rs`, started on 127.0.0.1: `POST /auth/login`
//! issues a token for a known user name and password (in the body, a header or a
//! cookie, as configured), `GET /notes/N` and `GET /me` answer 200 to a token it issued
//! and 401 to anything else, `GET /admin` refuses everyone with 403. Flaws and twins are
//! switches: the first token dies after some uses, every request is 401, tokens are JWTs
//! that expire at once.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `{"auth_token": …}`, sent back as `Authorization: Bearer …`.
    Json,
    /// `X-Auth-Token: …`, sent back in the same header.
    Header,
    /// `Set-Cookie: session=…`, sent back as that cookie.
    Cookie,
}

#[derive(Clone)]
pub struct Config {
    pub style: Style,
    /// Users and their passwords.
    pub users: Vec<(String, String)>,
    /// The first token issued is refused after this many uses.
    pub first_token_uses: Option<usize>,
    /// Every request but the login is answered 401.
    pub always_401: bool,
    /// Tokens are JWTs whose `exp` is this many seconds from the login (`None`: opaque).
    pub jwt_exp_in: Option<i64>,
    /// Each login also sets `pref=<user>-…`, a cookie of the user's own.
    pub pref_cookie: bool,
}

impl Config {
    pub fn new(style: Style, users: &[(&str, &str)]) -> Self {
        Self {
            style,
            users: users
                .iter()
                .map(|(u, p)| (u.to_string(), p.to_string()))
                .collect(),
            first_token_uses: None,
            always_401: false,
            jwt_exp_in: None,
            pref_cookie: false,
        }
    }
}

#[derive(Default)]
pub struct State {
    /// Every token issued, in order, with its user.
    pub issued: Vec<(String, String)>,
    /// Login requests, per user name sent.
    pub logins: HashMap<String, usize>,
    /// Uses of each token.
    pub uses: HashMap<String, usize>,
    /// Requests other than the login.
    pub api_requests: usize,
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn jwt(user: &str, n: usize, exp: i64) -> String {
    let seg = |s: String| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.{}",
        seg(r#"{"alg":"HS256","typ":"JWT"}"#.to_string()),
        seg(format!(r#"{{"sub":"{user}","n":{n},"exp":{exp}}}"#)),
        seg(format!("fake-signature-{n}"))
    )
}

fn cookie(r: &Request, name: &str) -> Option<String> {
    r.headers
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The token a request carries, the way `style` sends it.
pub fn sent_token(r: &Request, style: Style) -> Option<String> {
    match style {
        Style::Json => r
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string),
        Style::Header => r
            .headers
            .get("x-auth-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        Style::Cookie => cookie(r, "session"),
    }
}

pub async fn start(config: Config) -> (MockServer, Arc<Mutex<State>>) {
    let state: Arc<Mutex<State>> = Arc::default();
    let server = MockServer::start().await;
    let (c, s) = (config.clone(), state.clone());
    Mock::given(method("POST"))
        .and(path("/auth/login"))
        .respond_with(move |r: &Request| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let user = body["username"].as_str().unwrap_or_default().to_string();
            let password = body["password"].as_str().unwrap_or_default();
            let mut st = s.lock().unwrap();
            *st.logins.entry(user.clone()).or_default() += 1;
            let known = c
                .users
                .iter()
                .any(|(u, p)| user.starts_with(u.as_str()) && p == password);
            if !known {
                return ResponseTemplate::new(401)
                    .set_body_json(serde_json::json!({"message": "invalid credentials"}));
            }
            let n = st.issued.len();
            let token = match c.jwt_exp_in {
                Some(exp_in) => jwt(&user, n, now() + exp_in),
                None => format!("fake-login-token-{user}-{n:04}"),
            };
            st.issued.push((token.clone(), user.clone()));
            let mut answer = match c.style {
                Style::Json => ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"auth_token": token, "user": user})),
                Style::Header => ResponseTemplate::new(200)
                    .insert_header("x-auth-token", token.as_str())
                    .set_body_json(serde_json::json!({"user": user})),
                Style::Cookie => ResponseTemplate::new(200)
                    .append_header("set-cookie", format!("session={token}; HttpOnly; Path=/"))
                    .set_body_json(serde_json::json!({"user": user})),
            };
            if c.pref_cookie {
                answer = answer.append_header("set-cookie", format!("pref={user}-theme; Path=/"));
            }
            answer
        })
        .mount(&server)
        .await;
    let (c, s) = (config.clone(), state.clone());
    Mock::given(method("GET"))
        .and(path_regex(r"^/(me|notes/\d+)$"))
        .respond_with(move |r: &Request| {
            let mut st = s.lock().unwrap();
            st.api_requests += 1;
            let token = sent_token(r, c.style);
            let Some((index, user)) = token.as_ref().and_then(|t| {
                st.issued
                    .iter()
                    .position(|(i, _)| i == t)
                    .map(|i| (i, st.issued[i].1.clone()))
            }) else {
                return ResponseTemplate::new(401);
            };
            let token = token.unwrap_or_default();
            let uses = {
                let u = st.uses.entry(token).or_default();
                *u += 1;
                *u
            };
            let dead = index == 0 && c.first_token_uses.is_some_and(|n| uses > n);
            if c.always_401 || dead {
                return ResponseTemplate::new(401)
                    .set_body_json(serde_json::json!({"message": "token no longer valid"}));
            }
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"user": user}))
        })
        .mount(&server)
        .await;
    let s = state.clone();
    Mock::given(method("GET"))
        .and(path("/admin"))
        .respond_with(move |_: &Request| {
            s.lock().unwrap().api_requests += 1;
            ResponseTemplate::new(403)
        })
        .mount(&server)
        .await;
    (server, state)
}
