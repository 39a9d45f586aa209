//! Probe `oauth`: does the authorization server enforce what OAuth 2.0 security best
//! current practice (RFC 9700) asks? One case per check; a check that needs a grant or an
//! endpoint the server (or the suite) does not offer is skipped with the reason. Against
//! a correct server every check that runs passes: a false alarm is a bug.

mod client;
mod code;
mod issued;
mod refresh;
mod revocation;

use super::CaseResult;
use crate::engine::context::Context;
use crate::engine::oauth::Endpoints;
use crate::model::{AuthServer, Credential, Grant, OAuth2Role, OAuthProbe, RoleId};
use crate::results::{Finding, Outcome};

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

pub fn error(message: impl Into<String>) -> CaseResult {
    CaseResult::of(Outcome::Error(Finding::new(message, String::new())))
}

/// A 4xx: the server refused.
pub fn refused(status: u16) -> bool {
    (400..500).contains(&status)
}

pub async fn run(ctx: &Context, si: usize, probe: &OAuthProbe) -> Vec<CaseResult> {
    let server = &ctx.suites[si].suite.auth_servers[probe.server];
    let endpoints = match ctx.endpoints(si, probe.server).await {
        Ok(e) => e,
        Err(e) => return probe.checks.iter().map(|_| error(e.clone())).collect(),
    };
    let c = Ctx {
        ctx,
        si,
        probe,
        server,
        endpoints,
    };
    let mut out = Vec::new();
    for check in &probe.checks {
        let r = match check.as_str() {
            "client_auth_required" => client::auth_required(&c).await,
            "wrong_client_secret_refused" => client::wrong_secret_refused(&c).await,
            "scope_not_over_issued" => issued::scope_not_over_issued(&c).await,
            "token_lifetime" => issued::token_lifetime(&c).await,
            "refresh_rotation" => refresh::rotation(&c).await,
            "refresh_scope_not_widened" => refresh::scope_not_widened(&c).await,
            "pkce_required" => code::pkce_required(&c).await,
            "pkce_wrong_verifier_refused" => code::wrong_verifier_refused(&c).await,
            "pkce_plain_refused" => code::plain_refused(&c).await,
            "code_reuse_refused" => code::reuse_refused(&c).await,
            "redirect_uri_exact" => code::redirect_uri_exact(&c).await,
            "revoked_token_refused" => revocation::revoked_token_refused(&c).await,
            other => error(format!("unknown check {other}")),
        };
        out.push(r);
    }
    out
}
