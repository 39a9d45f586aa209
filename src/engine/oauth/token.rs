//! Token requests (RFC 6749 §4.1.3 authorization code with PKCE, §4.4 client credentials,
//! §6 refresh), with client authentication by HTTP Basic or form fields, scopes, and
//! RFC 8707 `resource`.

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

/// The grant-specific fields of a token request.
pub enum Params {
    ClientCredentials,
    Refresh(String),
    Code {
        code: String,
        redirect_uri: String,
        verifier: String,
    },
}

pub async fn request(
    ctx: &Context,
    server: &AuthServer,
    endpoints: &Endpoints,
    role: &OAuth2Role,
    params: Params,
) -> Result<Token, String> {
    let url = endpoints.token_endpoint.clone().unwrap_or_default();
    let refresh = match &params {
        Params::Refresh(rt) => Some(rt.clone()),
        _ => None,
    };
    // Scopes were chosen at the authorization endpoint for the code grant.
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
        } => vec![
            ("grant_type", "authorization_code".into()),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ],
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
            refresh: ok.refresh_token.or(refresh),
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
