//! OAuth 2.0 tokens for roles: endpoints by OIDC discovery, one token per role per run,
//! cached and reused by every check, refreshed only when it expires (by `expires_in`, or
//! by the `exp` of a JWT access token). Every token is
//! registered for redaction the moment it arrives. A failed token request is an error
//! naming the server's `error` and `error_description`, for every check of that role.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, OnceCell};

use super::discovery::{self, Endpoints};
use super::{authorize, token};
use crate::engine::request::context::Context;
use crate::model::{Credential, Grant, RoleId};
use crate::results::HarnessError;

/// Tokens are renewed this long before they expire (or a quarter of their lifetime, if
/// shorter), so no request carries one that expires in flight.
const SKEW: Duration = Duration::from_secs(30);

#[derive(Clone, Debug)]
pub struct Token {
    pub access: String,
    pub refresh: Option<String>,
    pub expires_at: Option<Instant>,
    /// What `expires_at` was counted from: `expires_in`, or a JWT's own `exp`.
    pub lifetime: Option<Duration>,
    /// `expires_in` as the server said it, for reports.
    pub expires_in: Option<u64>,
    /// The granted scope, when the server says it.
    pub scope: Option<String>,
}

impl Token {
    fn fresh(&self) -> bool {
        fresh(self.expires_at, self.lifetime)
    }
}

/// Whether a token that expires at `expires_at`, `lifetime` after it was issued, may
/// still be sent (login tokens are renewed by the same rule).
pub fn fresh(expires_at: Option<Instant>, lifetime: Option<Duration>) -> bool {
    let skew = lifetime.map_or(SKEW, |l| SKEW.min(l / 4));
    expires_at.is_none_or(|t| Instant::now() + skew < t)
}

/// Per-run OAuth state: discovered endpoints per server, a token slot per role.
#[derive(Default)]
pub struct Tokens {
    endpoints: HashMap<(usize, usize), OnceCell<Result<Endpoints, HarnessError>>>,
    slots: HashMap<(usize, RoleId), Mutex<Option<Token>>>,
    /// Token requests sent, per role: tests and reports count them.
    pub requests: std::sync::Mutex<HashMap<(usize, RoleId), usize>>,
}

impl Tokens {
    pub fn for_suites<'a>(suites: impl IntoIterator<Item = &'a crate::model::Suite>) -> Self {
        let mut t = Tokens::default();
        for (si, suite) in suites.into_iter().enumerate() {
            for s in 0..suite.auth_servers.len() {
                t.endpoints.insert((si, s), OnceCell::new());
            }
            for (ri, role) in suite.roles.iter().enumerate() {
                if matches!(role.credential, Credential::OAuth2(_)) {
                    t.slots.insert((si, RoleId(ri)), Mutex::new(None));
                }
            }
        }
        t
    }
}

impl Context {
    /// The endpoints of auth server `server` of suite `si`, discovered once.
    pub async fn endpoints(&self, si: usize, server: usize) -> Result<Endpoints, HarnessError> {
        let Some(cell) = self.tokens.endpoints.get(&(si, server)) else {
            return Err(HarnessError::oauth("no such auth server"));
        };
        cell.get_or_init(|| discovery::endpoints(self, &self.suites[si].suite.auth_servers[server]))
            .await
            .clone()
    }

    /// The role's current access token: cached, refreshed or obtained as needed.
    pub async fn access_token(&self, si: usize, role: RoleId) -> Result<String, HarnessError> {
        let Some(slot) = self.tokens.slots.get(&(si, role)) else {
            return Err(HarnessError::oauth("this role does not use OAuth 2.0"));
        };
        let mut slot = slot.lock().await;
        if let Some(t) = slot.as_ref().filter(|t| t.fresh()) {
            return Ok(t.access.clone());
        }
        let refresh = slot.as_ref().and_then(|t| t.refresh.clone());
        let token = self.obtain(si, role, refresh.as_deref()).await?;
        let access = token.access.clone();
        *slot = Some(token);
        Ok(access)
    }

    /// A new token, not the cached one (for probes that must wait for one to expire).
    pub async fn fresh_token(&self, si: usize, role: RoleId) -> Result<Token, HarnessError> {
        self.obtain(si, role, None).await
    }

    /// A token by the role's grant.
    async fn grant(
        &self,
        si: usize,
        role: RoleId,
        endpoints: &Endpoints,
    ) -> Result<Token, HarnessError> {
        let Credential::OAuth2(o) = &self.suites[si].suite.role(role).credential else {
            return Err(HarnessError::oauth("this role does not use OAuth 2.0"));
        };
        let server = &self.suites[si].suite.auth_servers[o.server];
        match &o.grant {
            Grant::ClientCredentials => {
                token::request(self, server, endpoints, o, token::Params::ClientCredentials).await
            }
            Grant::AuthorizationCode {
                redirect_uri,
                login,
            } => {
                let (verifier, challenge) = authorize::pkce();
                let fields: Vec<(String, String)> = login
                    .iter()
                    .map(|(k, v)| (k.clone(), v.expose().to_string()))
                    .collect();
                let code = authorize::code(
                    self,
                    server,
                    endpoints,
                    o,
                    redirect_uri,
                    &fields,
                    Some((&challenge, "S256")),
                )
                .await?;
                let params = token::Params::Code {
                    code,
                    redirect_uri: redirect_uri.clone(),
                    verifier: Some(verifier),
                };
                token::request(self, server, endpoints, o, params).await
            }
        }
    }

    async fn obtain(
        &self,
        si: usize,
        role: RoleId,
        refresh: Option<&str>,
    ) -> Result<Token, HarnessError> {
        let r = self.suites[si].suite.role(role);
        let Credential::OAuth2(o) = &r.credential else {
            return Err(HarnessError::oauth("this role does not use OAuth 2.0"));
        };
        if let Ok(mut n) = self.tokens.requests.lock() {
            *n.entry((si, role)).or_default() += 1;
        }
        let server = &self.suites[si].suite.auth_servers[o.server];
        let endpoints = self.endpoints(si, o.server).await?;
        let result = match refresh {
            Some(rt) => match token::request(
                self,
                server,
                &endpoints,
                o,
                token::Params::Refresh(rt.to_string()),
            )
            .await
            {
                Ok(t) => Ok(t),
                // A refresh token the server no longer honours: start over.
                Err(_) => self.grant(si, role, &endpoints).await,
            },
            None => self.grant(si, role, &endpoints).await,
        };
        let token = result.map_err(|e| HarnessError::Token {
            role: r.name.to_string(),
            server: server.name.to_string(),
            cause: Box::new(e),
        })?;
        self.redactor
            .add(&format!("{}.access_token", r.name), &token.access);
        if let Some(rt) = &token.refresh {
            self.redactor.add(&format!("{}.refresh_token", r.name), rt);
        }
        Ok(token)
    }
}
