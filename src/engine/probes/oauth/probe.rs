//! Runs probe `oauth` (cases: `model::OAuthCase`) against the authorization server, one
//! selected case after another. A case that needs a grant or an endpoint the server (or
//! the suite) does not offer is skipped with the reason. Against a correct server every
//! case that runs passes: a false alarm is a bug.

use super::context::Ctx;
use super::verdict::error;
use super::{client, code, issued, refresh, revocation};
use crate::engine::probes::CaseResult;
use crate::engine::request::context::Context;
use crate::model::{OAuthCase, OAuthProbe};

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
