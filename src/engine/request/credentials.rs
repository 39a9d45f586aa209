//! Applies a role's credential to a request: a bearer token, an API key, HTTP Basic;
//! OAuth 2.0 roles get their cached token.

use reqwest::RequestBuilder;

use crate::engine::request::context::Context;
use crate::model::{Credential, KeyPlacement, RoleId};

impl Context {
    /// `builder` with the role's credential; a role whose token cannot be obtained makes
    /// the request an error.
    pub async fn authorize(
        &self,
        builder: RequestBuilder,
        si: usize,
        role: RoleId,
    ) -> Result<RequestBuilder, crate::results::HarnessError> {
        let credential = &self.suites[si].suite.role(role).credential;
        if let Credential::OAuth2(_) = credential {
            return Ok(builder.bearer_auth(self.access_token(si, role).await?));
        }
        Ok(apply(builder, credential))
    }
}

fn apply(builder: RequestBuilder, credential: &Credential) -> RequestBuilder {
    match credential {
        Credential::None | Credential::OAuth2(_) => builder,
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
