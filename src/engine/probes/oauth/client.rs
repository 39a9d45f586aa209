//! Client authentication at the token endpoint: no secret, or a wrong one, must not get a
//! token for a confidential client (RFC 6749 §2.3, §3.2.1). CWE-287; OWASP API2:2023.

use super::{CaseResult, Ctx, fail, pass, refused, seen, skip};
use crate::engine::auth::oauth::token::{Auth, Params, form, post};

async fn refusal(c: &Ctx<'_>, auth: Auth, what: &str) -> CaseResult {
    let Some((_, role)) = c.role(false) else {
        return skip("needs a client_credentials role in `as:`");
    };
    if c.server.client_secret.is_none() {
        return skip("the client has no secret (a public client)");
    }
    match post(
        c.ctx,
        c.server,
        &c.endpoints,
        form(role, Params::ClientCredentials),
        auth,
    )
    .await
    {
        Ok(ex) if refused(ex.status) => pass(),
        Ok(ex) if (200..300).contains(&ex.status) => fail(
            format!("a token was issued {what}"),
            seen(&ex, "refused (4xx)"),
        ),
        Ok(ex) => fail(
            format!("a request {what} was not refused with a 4xx"),
            seen(&ex, "refused (4xx)"),
        ),
        Err(e) => super::error_in(format!("the token request could not be made: {e}"), e),
    }
}

pub async fn auth_required(c: &Ctx<'_>) -> CaseResult {
    refusal(c, Auth::Omitted, "without client authentication").await
}

pub async fn wrong_secret_refused(c: &Ctx<'_>) -> CaseResult {
    refusal(c, Auth::WrongSecret, "with a wrong client secret").await
}
