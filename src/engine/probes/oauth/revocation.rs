//! Revocation (RFC 7009): a revoked token must stop working: the API refuses it (the
//! probe's `request:`), and/or introspection (RFC 7662) reports it inactive. Introspection
//! only counts when it reported the token active before the revocation: some servers say
//! `active: false` for every self-contained (JWT) token. A server that answers
//! `unsupported_token_type` does not revoke such tokens at all (RFC 7009 §2.2.1, common
//! for JWT access tokens): the case is skipped with its reason. Every other refusal of
//! revocation or introspection is an error naming the server's `error` and
//! `error_description`. CWE-613; OWASP API2:2023.

use super::{CaseResult, Ctx, error, fail, pass, seen, server_refused, skip};
use crate::engine::auth::oauth::token::{Auth, post_to};
use crate::engine::request::http::Exchange;
use crate::results::Evidence;
use crate::results::HarnessError;

pub async fn revoked_token_refused(c: &Ctx<'_>) -> CaseResult {
    let Some(revoke) = c.endpoints.revocation_endpoint.clone() else {
        return skip("the server offers no revocation endpoint");
    };
    let Some(&role) = c.probe.roles.first() else {
        return skip("needs an OAuth role in `as:`");
    };
    let token = match c.ctx.fresh_token(c.si, role).await {
        Ok(t) => t.access,
        Err(e) => return error(e),
    };
    let introspect = match c.endpoints.introspection_endpoint.clone() {
        Some(url) => match active(c, &url, &token).await {
            Ok(Some(true)) => Some(url),
            Ok(_) => None,
            Err(e) => return error(e),
        },
        None => None,
    };
    if introspect.is_none() && c.probe.request.is_none() {
        return skip(
            "needs introspection that reports the token active, or a `request:` in the probe to try it on",
        );
    }
    let form = vec![
        ("token", token.clone()),
        ("token_type_hint", "access_token".to_string()),
    ];
    match post_to(c.ctx, c.server, &revoke, form, Auth::AsConfigured).await {
        Ok(ex) if (200..300).contains(&ex.status) => {}
        Ok(ex) => {
            let refusal = refusal("revocation", &ex);
            if let HarnessError::AuthServer {
                error: Some(code),
                error_description,
                ..
            } = &refusal
                && code == "unsupported_token_type"
            {
                return skip(format!(
                    "the server does not revoke access tokens (RFC 7009 unsupported_token_type{})",
                    error_description
                        .as_ref()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ));
            }
            return error(refusal);
        }
        Err(e) => return error(e),
    }
    if let Some(request) = &c.probe.request {
        match c.ctx.send_with_token(c.si, role, request, &token).await {
            Ok(ex) if super::refused(ex.status) => {}
            Ok(ex) => {
                return fail(
                    format!("the API accepted a revoked token: {}", ex.status_line()),
                    seen(&ex, "refused (4xx)"),
                );
            }
            Err(e) => return error(e),
        }
    }
    match introspect {
        None => pass(),
        Some(url) => match active(c, &url, &token).await {
            Ok(Some(false)) => pass(),
            Ok(Some(true)) => fail(
                "introspection reports a revoked token as active",
                Evidence::default(),
            ),
            Ok(None) => error(server_refused(
                "the introspection response has no `active` field".into(),
            )),
            Err(e) => error(e),
        },
    }
}

/// `active` as introspection reports it.
async fn active(c: &Ctx<'_>, url: &str, token: &str) -> Result<Option<bool>, HarnessError> {
    let form = vec![
        ("token", token.to_string()),
        ("token_type_hint", "access_token".to_string()),
    ];
    let ex = post_to(c.ctx, c.server, url, form, Auth::AsConfigured).await?;
    if !(200..300).contains(&ex.status) {
        return Err(refusal("introspection", &ex));
    }
    Ok(serde_json::from_str::<serde_json::Value>(&ex.body)
        .ok()
        .and_then(|v| v.get("active").and_then(|a| a.as_bool())))
}

/// A refusal by the revocation or introspection endpoint (`what`), with the server's
/// `error` and `error_description` when it gave them (RFC 6749 §5.2 form).
fn refusal(what: &str, ex: &Exchange) -> HarnessError {
    let body = serde_json::from_str::<serde_json::Value>(&ex.body).ok();
    let field = |name: &str| {
        body.as_ref()
            .and_then(|b| b.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let (error, description) = (field("error"), field("error_description"));
    let text = match (&error, &description) {
        (Some(e), Some(d)) => format!("{what} was refused: {e} ({}): {d}", ex.status_line()),
        (Some(e), None) => format!("{what} was refused: {e} ({})", ex.status_line()),
        (None, _) => format!(
            "{what} was refused: {} (no OAuth `error` in the answer)",
            ex.status_line()
        ),
    };
    HarnessError::AuthServer {
        error,
        error_description: description,
        text,
    }
}
