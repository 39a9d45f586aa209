//! OAuth 2.0 authorization servers and the roles that obtain tokens from them.

use super::Secret;

#[derive(Clone, Debug)]
pub struct AuthServer {
    pub name: String,
    /// OIDC discovery at `{issuer}/.well-known/openid-configuration` fills the endpoints
    /// not given explicitly.
    pub issuer: Option<String>,
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub client_auth: ClientAuth,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1); the default.
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Post,
}

#[derive(Clone, Debug)]
pub struct OAuth2Role {
    /// Index into the suite's `auth_servers`.
    pub server: usize,
    pub grant: Grant,
    pub scopes: Vec<String>,
    /// RFC 8707 resource indicator.
    pub resource: Option<String>,
    pub audience: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    ClientCredentials,
    /// With PKCE S256, completed headlessly through the server's login pages.
    AuthorizationCode {
        redirect_uri: String,
        /// Form fields filled in on login pages (user name, password); secrets.
        login: Vec<(String, Secret)>,
    },
}
