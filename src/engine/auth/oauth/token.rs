//! Token requests (RFC 6749 §4.1.3 authorization code with PKCE, §4.4 client credentials,
//! §6 refresh), with client authentication by HTTP Basic or form fields, scopes, and
//! RFC 8707 `resource`. The pieces are public so the `oauth` probe can send deliberately
//! wrong requests (no client authentication, a wrong secret) and read the refusal.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{Endpoints, Token};
use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::{AuthServer, ClientAuth, OAuth2Role};
use crate::results::HarnessError;

#[derive(Deserialize)]
struct Success {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct Failure {
    error: String,
    error_description: Option<String>,
}

/// The grant-specific fields of a token request.
pub enum Params {
    ClientCredentials,
    Refresh(String),
    Code {
        code: String,
        redirect_uri: String,
        verifier: Option<String>,
    },
}

/// How the client authenticates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    AsConfigured,
    /// Only `client_id`, no secret: the server must refuse a confidential client.
    Omitted,
    WrongSecret,
}

/// The form of a token request for `role`, scope included where the grant takes one.
pub fn form(role: &OAuth2Role, params: Params) -> Vec<(&'static str, String)> {
    let with_scope = !matches!(params, Params::Code { .. });
    let mut form: Vec<(&str, String)> = match params {
        Params::Refresh(rt) => vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", rt),
        ],
        Params::ClientCredentials => vec![("grant_type", "client_credentials".into())],
        Params::Code {
            code,
            redirect_uri,
            verifier,
        } => {
            let mut f = vec![
                ("grant_type", "authorization_code".into()),
                ("code", code),
                ("redirect_uri", redirect_uri),
            ];
            if let Some(v) = verifier {
                f.push(("code_verifier", v));
            }
            f
        }
    };
    if with_scope && !role.scopes.is_empty() {
        form.push(("scope", role.scopes.join(" ")));
    }
    if let Some(r) = &role.resource {
        form.push(("resource", r.clone()));
    }
    if let Some(a) = &role.audience {
        form.push(("audience", a.clone()));
    }
    form
}

pub async fn post(
    ctx: &Context,
    server: &AuthServer,
    endpoints: &Endpoints,
    form: Vec<(&'static str, String)>,
    auth: Auth,
) -> Result<Exchange, HarnessError> {
    let url = endpoints.token_endpoint.clone().unwrap_or_default();
    post_to(ctx, server, &url, form, auth).await
}

/// A client-authenticated form POST to any of the server's endpoints (token,
/// revocation, introspection).
pub async fn post_to(
    ctx: &Context,
    server: &AuthServer,
    url: &str,
    mut form: Vec<(&'static str, String)>,
    auth: Auth,
) -> Result<Exchange, HarnessError> {
    let secret = match auth {
        Auth::AsConfigured => server
            .client_secret
            .as_ref()
            .map(|s| s.expose().to_string()),
        Auth::WrongSecret => Some("authspec-wrong-client-secret".to_string()),
        Auth::Omitted => None,
    };
    let mut builder = ctx.http.request(reqwest::Method::POST, url);
    match (server.client_auth, auth) {
        (_, Auth::Omitted) => form.push(("client_id", server.client_id.clone())),
        (ClientAuth::Basic, _) => builder = builder.basic_auth(&server.client_id, secret),
        (ClientAuth::Post, _) => {
            form.push(("client_id", server.client_id.clone()));
            if let Some(s) = secret {
                form.push(("client_secret", s));
            }
        }
    }
    ctx.http.send(builder.form(&form)).await
}

/// The token of a successful response, or the server's error.
pub fn parse(ex: &Exchange, prior_refresh: Option<String>) -> Result<Token, HarnessError> {
    if (200..300).contains(&ex.status) {
        let ok: Success = serde_json::from_str(&ex.body).map_err(|_| HarnessError::AuthServer {
            error: None,
            error_description: None,
            text: format!(
                "the token endpoint answered {} without an access_token",
                ex.status_line()
            ),
        })?;
        let lifetime = lifetime(&ok.access_token, ok.expires_in);
        return Ok(Token {
            expires_at: lifetime.map(|l| Instant::now() + l),
            lifetime,
            expires_in: ok.expires_in,
            access: ok.access_token,
            refresh: ok.refresh_token.or(prior_refresh),
            scope: ok.scope,
        });
    }
    let failure = serde_json::from_str::<Failure>(&ex.body).ok();
    Err(HarnessError::AuthServer {
        text: describe_error(ex),
        error: failure.as_ref().map(|f| f.error.clone()),
        error_description: failure.and_then(|f| f.error_description),
    })
}

/// How long a new token lives: `expires_in`, or the `exp` of a JWT access token if that
/// comes sooner or is all there is. A cached JWT is renewed before its own `exp`, so no
/// check is judged with a token that expired mid-run.
fn lifetime(access: &str, expires_in: Option<u64>) -> Option<Duration> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs() as i64;
    let by_exp = crate::jose::Jwt::parse(access)
        .and_then(|j| j.claims.get("exp").and_then(|e| e.as_i64()))
        .map(|exp| Duration::from_secs((exp - now).max(0) as u64));
    let by_expires_in = expires_in.map(Duration::from_secs);
    match (by_expires_in, by_exp) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `invalid_client (401 Unauthorized): Client authentication failed`.
pub fn describe_error(ex: &Exchange) -> String {
    match serde_json::from_str::<Failure>(&ex.body) {
        Ok(f) => format!(
            "{} ({}){}",
            f.error,
            ex.status_line(),
            f.error_description
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        Err(_) => format!("the token endpoint answered {}", ex.status_line()),
    }
}

pub async fn request(
    ctx: &Context,
    server: &AuthServer,
    endpoints: &Endpoints,
    role: &OAuth2Role,
    params: Params,
) -> Result<Token, HarnessError> {
    let prior = match &params {
        Params::Refresh(rt) => Some(rt.clone()),
        _ => None,
    };
    let ex = post(
        ctx,
        server,
        endpoints,
        form(role, params),
        Auth::AsConfigured,
    )
    .await?;
    parse(&ex, prior)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(exp: i64) -> String {
        let seg = |v: serde_json::Value| crate::jose::b64(v.to_string().as_bytes());
        format!(
            "{}.{}.{}",
            seg(serde_json::json!({"alg": "HS256"})),
            seg(serde_json::json!({"sub": "client-1", "exp": exp})),
            crate::jose::b64(b"fake-signature")
        )
    }

    #[test]
    fn a_jwt_lives_until_its_exp_when_that_comes_before_expires_in() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let secs = |t: &str, e| lifetime(t, e).map(|d| d.as_secs());
        assert!(matches!(secs(&jwt(now + 60), None), Some(58..=60)));
        assert!(matches!(secs(&jwt(now + 60), Some(3600)), Some(58..=60)));
        assert_eq!(secs(&jwt(now - 10), None), Some(0));
        assert_eq!(secs(&jwt(now + 3600), Some(60)), Some(60));
        assert_eq!(secs("opaque-token", Some(60)), Some(60));
        assert_eq!(secs("opaque-token", None), None);
    }
}
