//! Runs probe `oauth` (cases: `model::OAuthCase`) against the authorization server, one
//! selected case after another. A case that needs a grant or an endpoint the server (or
//! the suite) does not offer is skipped with the reason. Against a correct server every
//! case that runs passes: a false alarm is a bug.

mod client;
mod code;
mod issued;
mod refresh;
mod revocation;

use super::CaseResult;
use crate::engine::auth::oauth::Endpoints;
use crate::engine::request::context::Context;
use crate::model::{AuthServer, Credential, Grant, OAuth2Role, OAuthCase, OAuthProbe, RoleId};
use crate::results::{Finding, HarnessError, Outcome};

/// What every check works with.
pub struct Ctx<'a> {
    pub ctx: &'a Context,
    pub si: usize,
    pub probe: &'a OAuthProbe,
    pub server: &'a AuthServer,
    pub endpoints: Endpoints,
}

impl Ctx<'_> {
    /// The first role of `as:` whose grant matches.
    fn role(&self, code: bool) -> Option<(RoleId, &OAuth2Role)> {
        self.probe.roles.iter().find_map(|r| {
            match &self.ctx.suites[self.si].suite.role(*r).credential {
                Credential::OAuth2(o)
                    if matches!(o.grant, Grant::AuthorizationCode { .. }) == code =>
                {
                    Some((*r, o))
                }
                _ => None,
            }
        })
    }
}

pub fn pass() -> CaseResult {
    CaseResult::of(Outcome::Pass)
}

pub fn skip(why: impl Into<String>) -> CaseResult {
    CaseResult::of(Outcome::Skipped(why.into()))
}

pub fn fail(message: impl Into<String>, detail: impl Into<String>) -> CaseResult {
    CaseResult::of(Outcome::Fail(Finding::new(message, detail)))
}

/// The case could not be judged; the cause's text is the message.
pub fn error(cause: HarnessError) -> CaseResult {
    CaseResult::of(super::harness(cause.to_string(), cause))
}

/// The authorization server did not do what the case needs first (`text` says what).
pub fn server_refused(text: String) -> HarnessError {
    HarnessError::AuthServer {
        error: None,
        error_description: None,
        text,
    }
}

/// The case could not be judged while doing what `message` says.
pub fn error_in(message: String, cause: HarnessError) -> CaseResult {
    CaseResult::of(super::harness(message, cause))
}

/// A 4xx: the server refused.
pub fn refused(status: u16) -> bool {
    (400..500).contains(&status)
}

/// The selected cases, each on its own (no case depends on another's outcome).
pub async fn run(
    ctx: &Context,
    si: usize,
    probe: &OAuthProbe,
    cases: &[OAuthCase],
) -> Vec<(OAuthCase, CaseResult)> {
    if cases.is_empty() {
        return Vec::new();
    }
    let server = &ctx.suites[si].suite.auth_servers[probe.server];
    let endpoints = match ctx.endpoints(si, probe.server).await {
        Ok(e) => e,
        Err(e) => return cases.iter().map(|c| (*c, error(e.clone()))).collect(),
    };
    let c = Ctx {
        ctx,
        si,
        probe,
        server,
        endpoints,
    };
    let mut out = Vec::new();
    for &case in cases {
        let r = match case {
            OAuthCase::ClientAuthRequired => client::auth_required(&c).await,
            OAuthCase::WrongClientSecretRefused => client::wrong_secret_refused(&c).await,
            OAuthCase::ScopeNotOverIssued => issued::scope_not_over_issued(&c).await,
            OAuthCase::TokenLifetime => issued::token_lifetime(&c).await,
            OAuthCase::RefreshRotation => refresh::rotation(&c).await,
            OAuthCase::RefreshScopeNotWidened => refresh::scope_not_widened(&c).await,
            OAuthCase::PkceRequired => code::pkce_required(&c).await,
            OAuthCase::PkceWrongVerifierRefused => code::wrong_verifier_refused(&c).await,
            OAuthCase::PkcePlainRefused => code::plain_refused(&c).await,
            OAuthCase::CodeReuseRefused => code::reuse_refused(&c).await,
            OAuthCase::RedirectUriExact => code::redirect_uri_exact(&c).await,
            OAuthCase::RevokedTokenRefused => revocation::revoked_token_refused(&c).await,
        };
        out.push((case, r));
    }
    out
}
