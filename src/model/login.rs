//! Login roles: a request the role makes to log in (`POST /auth/login` with its user name
//! and password), where the token is in the answer, and how later requests send it.

use serde_json_path::JsonPath;

use super::Request;

/// `login:`: one login per role per run, on first use, renewed when the token's JWT
/// `exp` passes or a request of the role is answered 401.
#[derive(Clone, Debug)]
pub struct Login {
    /// Shaped like a scenario step's request; `{{run.id}}` and `setup:` captures apply.
    pub request: Request,
    pub token: TokenFrom,
    /// Where `token:` is written: a login whose answer has no token there points at it.
    pub token_at: super::Location,
    pub send: Sending,
}

/// Where the login's answer carries the token.
#[derive(Clone, Debug)]
pub enum TokenFrom {
    /// A JSONPath into the body (`$.auth_token`): its first match, a string.
    Json { path_text: String, path: JsonPath },
    /// A response header (`X-Auth-Token`).
    Header(String),
    /// A cookie the answer sets (`session`).
    Cookie(String),
}

/// How a request of the role carries the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sending {
    /// `name: <prefix><token>`; by default `Authorization: Bearer <token>`.
    Header { name: String, prefix: String },
    /// `Cookie: name=<token>`, beside the other cookies of the role's jar.
    Cookie(String),
}

impl Sending {
    pub fn bearer() -> Self {
        Sending::Header {
            name: "Authorization".into(),
            prefix: "Bearer ".into(),
        }
    }

    /// Sent as `Authorization: Bearer <token>`: what probes that doctor bearer tokens
    /// can send in its place.
    pub fn is_bearer(&self) -> bool {
        matches!(self, Sending::Header { name, prefix }
            if name.eq_ignore_ascii_case("authorization") && prefix == "Bearer ")
    }
}

impl TokenFrom {
    /// The default way to send a token found here: a cookie goes back as that cookie.
    pub fn default_sending(&self) -> Sending {
        match self {
            TokenFrom::Cookie(name) => Sending::Cookie(name.clone()),
            TokenFrom::Json { .. } | TokenFrom::Header(_) => Sending::bearer(),
        }
    }

    /// `$.auth_token`, `header X-Auth-Token`, `cookie session`: for messages.
    pub fn describe(&self) -> String {
        match self {
            TokenFrom::Json { path_text, .. } => format!("`{path_text}`"),
            TokenFrom::Header(h) => format!("header `{h}`"),
            TokenFrom::Cookie(c) => format!("cookie `{c}`"),
        }
    }
}
