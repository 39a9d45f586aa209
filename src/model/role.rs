//! Roles: a name plus how its requests are authenticated.

use super::{ClientCert, Login, OAuth2Role, Request, Secret};

/// Index of a role within its suite's `roles`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleId(pub usize);

#[derive(Clone, Debug)]
pub struct Role {
    pub name: String,
    pub credential: Credential,
    /// A request this role must be allowed to make; proves its credentials work so that
    /// its deny checks are not vacuous.
    pub proof: Option<Request>,
    /// Presented in the TLS handshakes of this role's requests (mTLS): they go through a
    /// client of the role's own.
    pub client_cert: Option<ClientCert>,
}

impl Role {
    /// Roles without credentials (`anonymous: {}`) need no proof: a refusal of them
    /// cannot be caused by a broken credential. A client certificate is a credential.
    pub fn needs_proof(&self) -> bool {
        !matches!(self.credential, Credential::None) || self.client_cert.is_some()
    }
}

/// How a role authenticates. New providers (OAuth 2.0 grants) become new variants; the
/// engine turns each into request decorations through its credential source.
#[derive(Clone, Debug)]
pub enum Credential {
    None,
    Bearer(Secret),
    ApiKey {
        placement: KeyPlacement,
        value: Secret,
    },
    /// A token obtained from an authorization server at run time, cached per role.
    OAuth2(OAuth2Role),
    /// HTTP Basic (RFC 7617): `Authorization: Basic base64(username:password)`.
    Basic {
        username: String,
        password: Secret,
        /// The whole header value, `Basic …`: a secret too (its base64 is the password).
        header: Secret,
    },
    /// A token the role obtains by logging in (`login:`), cached per role per run.
    Login(Box<Login>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyPlacement {
    Header(String),
    Query(String),
}
