//! Applies a role's credential to a request. OAuth 2.0 roles will obtain and cache
//! tokens here, behind the same call.

use reqwest::RequestBuilder;

use crate::model::{Credential, KeyPlacement};

pub fn apply(builder: RequestBuilder, credential: &Credential) -> RequestBuilder {
    match credential {
        Credential::None => builder,
        Credential::Bearer(token) => builder.bearer_auth(token.expose()),
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
