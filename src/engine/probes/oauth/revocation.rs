//! Revocation (RFC 7009): a revoked token must stop working: introspection (RFC 7662)
//! reports it inactive, or the API refuses it. CWE-613; OWASP API2:2023.

use super::{CaseResult, Ctx, error, fail, pass, skip};
use crate::engine::oauth::token::{Auth, post_to};

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
    let form = vec![
        ("token", token.clone()),
        ("token_type_hint", "access_token".to_string()),
    ];
    match post_to(c.ctx, c.server, &revoke, form, Auth::AsConfigured).await {
        Ok(ex) if (200..300).contains(&ex.status) => {}
        Ok(ex) => return error(format!("revocation was refused: {}", ex.status_line())),
        Err(e) => return error(e),
    }
    if let Some(introspect) = c.endpoints.introspection_endpoint.clone() {
        let form = vec![
            ("token", token),
            ("token_type_hint", "access_token".to_string()),
        ];
        return match post_to(c.ctx, c.server, &introspect, form, Auth::AsConfigured).await {
            Ok(ex) if (200..300).contains(&ex.status) => {
                let active = serde_json::from_str::<serde_json::Value>(&ex.body)
                    .ok()
                    .and_then(|v| v.get("active").and_then(|a| a.as_bool()));
                match active {
                    Some(false) => pass(),
                    Some(true) => fail("introspection reports a revoked token as active", ""),
                    None => error("the introspection response has no `active` field"),
                }
            }
            Ok(ex) => error(format!("introspection was refused: {}", ex.status_line())),
            Err(e) => error(e),
        };
    }
    let Some(request) = &c.probe.request else {
        return skip(
            "needs an introspection endpoint, or a `request:` in the probe to try the revoked token on",
        );
    };
    match c.ctx.send_with_token(c.si, request, &token).await {
        Ok(ex) if super::refused(ex.status) => pass(),
        Ok(ex) => fail(
            format!("the API accepted a revoked token: {}", ex.status_line()),
            "",
        ),
        Err(e) => error(e),
    }
}
