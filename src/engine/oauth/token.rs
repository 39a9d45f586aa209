//! Token requests (RFC 6749 §4.4 client credentials, §6 refresh), with client
//! authentication by HTTP Basic or form fields, scopes, and RFC 8707 `resource`.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{Endpoints, Token};
use crate::engine::context::Context;
use crate::model::{AuthServer, ClientAuth, OAuth2Role};

#[derive(Deserialize)]
struct Success {
    access_token: String,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
struct Failure {
    error: String,
    error_description: Option<String>,
}

pub async fn request(
    ctx: &Context,
    server: &AuthServer,
    endpoints: &Endpoints,
    role: &OAuth2Role,
    refresh: Option<&str>,
) -> Result<Token, String> {
    let url = endpoints.token_endpoint.clone().unwrap_or_default();
    let mut form: Vec<(&str, String)> = match refresh {
        Some(rt) => vec![
            ("grant_type", "refresh_token".into()),
            ("refresh_token", rt.to_string()),
        ],
        None => vec![("grant_type", "client_credentials".into())],
    };
    if !role.scopes.is_empty() {
        form.push(("scope", role.scopes.join(" ")));
    }
    if let Some(r) = &role.resource {
        form.push(("resource", r.clone()));
    }
    if let Some(a) = &role.audience {
        form.push(("audience", a.clone()));
    }
    let secret = server
        .client_secret
        .as_ref()
        .map(|s| s.expose().to_string());
    let mut builder = ctx.http.request(reqwest::Method::POST, &url);
    match server.client_auth {
        ClientAuth::Basic => builder = builder.basic_auth(&server.client_id, secret),
        ClientAuth::Post => {
            form.push(("client_id", server.client_id.clone()));
            if let Some(s) = secret {
                form.push(("client_secret", s));
            }
        }
    }
    let ex = ctx.http.send(builder.form(&form)).await?;
    if (200..300).contains(&ex.status) {
        let ok: Success = serde_json::from_str(&ex.body).map_err(|_| {
            format!(
                "the token endpoint answered {} without an access_token",
                ex.status_line()
            )
        })?;
        return Ok(Token {
            expires_at: ok
                .expires_in
                .map(|s| Instant::now() + Duration::from_secs(s)),
            expires_in: ok.expires_in,
            access: ok.access_token,
            refresh: ok.refresh_token.or_else(|| refresh.map(str::to_string)),
        });
    }
    match serde_json::from_str::<Failure>(&ex.body) {
        Ok(f) => Err(format!(
            "{} ({}){}",
            f.error,
            ex.status_line(),
            f.error_description
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        )),
        Err(_) => Err(format!("the token endpoint answered {}", ex.status_line())),
    }
}
