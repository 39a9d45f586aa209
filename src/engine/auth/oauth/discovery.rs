//! OIDC discovery (`{issuer}/.well-known/openid-configuration`), with explicit endpoint
//! URLs from the suite taking precedence.

use serde::Deserialize;

use crate::engine::request::context::Context;
use crate::model::AuthServer;
use crate::results::HarnessError;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct Endpoints {
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
}

pub async fn endpoints(ctx: &Context, server: &AuthServer) -> Result<Endpoints, HarnessError> {
    let mut found = match &server.issuer {
        None => Endpoints::default(),
        Some(issuer) => {
            let url = format!("{issuer}/.well-known/openid-configuration");
            let ex = ctx
                .http
                .send(ctx.http.request(reqwest::Method::GET, &url))
                .await?;
            if ex.status != 200 {
                return Err(HarnessError::oauth(format!(
                    "OIDC discovery at {url} answered {}",
                    ex.status_line()
                )));
            }
            serde_json::from_str::<Endpoints>(&ex.body).map_err(|e| {
                HarnessError::oauth(format!(
                    "OIDC discovery at {url}: not a discovery document ({e})"
                ))
            })?
        }
    };
    if server.token_endpoint.is_some() {
        found.token_endpoint = server.token_endpoint.clone();
    }
    let explicit = [
        (&server.jwks_uri, &mut found.jwks_uri),
        (
            &server.authorization_endpoint,
            &mut found.authorization_endpoint,
        ),
        (
            &server.introspection_endpoint,
            &mut found.introspection_endpoint,
        ),
        (&server.revocation_endpoint, &mut found.revocation_endpoint),
    ];
    for (given, slot) in explicit {
        if given.is_some() {
            *slot = given.clone();
        }
    }
    if found.token_endpoint.is_none() {
        return Err(HarnessError::oauth(format!(
            "auth server {} has no token endpoint (none given, none discovered)",
            server.name
        )));
    }
    Ok(found)
}
