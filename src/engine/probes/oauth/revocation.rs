//! Revocation (RFC 7009): a revoked token must stop working: the API refuses it (the
//! probe's `request:`), and/or introspection (RFC 7662) reports it inactive. Introspection
//! only counts when it reported the token active before the revocation: some servers say
//! `active: false` for every self-contained (JWT) token. CWE-613; OWASP API2:2023.

use super::{CaseResult, Ctx, error, fail, pass, seen, server_refused, skip};
use crate::engine::auth::oauth::token::{Auth, post_to};
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
            return error(server_refused(format!(
                "revocation was refused: {}",
                ex.status_line()
            )));
        }
        Err(e) => return error(e),
    }
    if let Some(request) = &c.probe.request {
        match c.ctx.send_with_token(c.si, request, &token).await {
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
        return Err(server_refused(format!(
            "introspection was refused: {}",
            ex.status_line()
        )));
    }
    Ok(serde_json::from_str::<serde_json::Value>(&ex.body)
        .ok()
        .and_then(|v| v.get("active").and_then(|a| a.as_bool())))
}
