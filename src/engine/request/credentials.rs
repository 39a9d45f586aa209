//! Applies a role's credential to a request: a bearer token, an API key, HTTP Basic;
//! OAuth 2.0 roles get their cached token, login roles their login's token (in the
//! header or cookie `send:` names); every role with credentials its cookie jar.

use reqwest::RequestBuilder;

use crate::engine::auth::login::LoginToken;
use crate::engine::request::context::Context;
use crate::model::{Credential, KeyPlacement, RoleId, Sending};

impl Context {
    /// `builder` with the role's credential and cookies, and the login token it carries
    /// (a login role's); a role whose token cannot be obtained makes the request an
    /// error.
    pub async fn authorize(
        &self,
        builder: RequestBuilder,
        si: usize,
        role: RoleId,
    ) -> Result<(RequestBuilder, Option<LoginToken>), crate::results::HarnessError> {
        let credential = &self.suites[si].suite.role(role).credential;
        match credential {
            Credential::OAuth2(_) => {
                let builder = builder.bearer_auth(self.access_token(si, role).await?);
                Ok((self.with_cookies(si, role, builder, None)?, None))
            }
            Credential::Login(login) => {
                let token = self.login_token(si, role).await?;
                let builder = match &login.send {
                    Sending::Header { name, prefix } => {
                        let builder =
                            builder.header(name.as_str(), format!("{prefix}{}", token.value));
                        self.with_cookies(si, role, builder, None)?
                    }
                    Sending::Cookie(name) => {
                        self.with_cookies(si, role, builder, Some((name, &token.value)))?
                    }
                };
                Ok((builder, Some(token)))
            }
            other => Ok((
                self.with_cookies(si, role, apply(builder, other), None)?,
                None,
            )),
        }
    }
}

fn apply(builder: RequestBuilder, credential: &Credential) -> RequestBuilder {
    match credential {
        Credential::None | Credential::OAuth2(_) | Credential::Login(_) => builder,
        Credential::Bearer(token) => builder.bearer_auth(token.expose()),
        Credential::Basic { header, .. } => {
            builder.header(reqwest::header::AUTHORIZATION, header.expose())
        }
        Credential::ApiKey {
            placement: KeyPlacement::Header(name),
            value,
        } => builder.header(name.as_str(), value.expose()),
        Credential::ApiKey {
            placement: KeyPlacement::Query(name),
            value,
        } => builder.query(&[(name.as_str(), value.expose())]),
    }
}
