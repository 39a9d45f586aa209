//! Refresh tokens: a used one must not work again (rotation with replay detection,
//! RFC 9700 §4.14.2), and a refresh must not widen the scope (RFC 6749 §6). CWE-613;
//! OWASP API2:2023.

use super::{CaseResult, Ctx, error, fail, notes, pass, refused, seen, server_refused, skip};
use crate::engine::auth::oauth::token::{Auth, Params, form, parse, post};
use crate::results::Evidence;
use crate::results::HarnessError;

/// A fresh refresh token of the first role that gets one.
async fn refresh_token(
    c: &Ctx<'_>,
) -> Result<Option<(crate::model::OAuth2Role, String)>, HarnessError> {
    for &role in &c.probe.roles {
        let crate::model::Credential::OAuth2(o) = &c.ctx.suites[c.si].suite.role(role).credential
        else {
            continue;
        };
        let t = c.ctx.fresh_token(c.si, role).await?;
        if let Some(rt) = t.refresh {
            return Ok(Some((o.clone(), rt)));
        }
    }
    Ok(None)
}

pub async fn rotation(c: &Ctx<'_>) -> CaseResult {
    let (role, rt) = match refresh_token(c).await {
        Ok(Some(x)) => x,
        Ok(None) => return skip("no role of `as:` was issued a refresh token"),
        Err(e) => return error(e),
    };
    let first = post(
        c.ctx,
        c.server,
        &c.endpoints,
        form(&role, Params::Refresh(rt.clone())),
        Auth::AsConfigured,
    )
    .await;
    match first {
        Ok(ex) if (200..300).contains(&ex.status) => {
            let rotated = match parse(&ex, None) {
                Ok(t) => {
                    c.ctx.redactor.add("oauth.rotated_access_token", &t.access);
                    if let Some(r) = &t.refresh {
                        c.ctx.redactor.add("oauth.rotated_refresh_token", r);
                    }
                    t.refresh.is_some_and(|r| r != rt)
                }
                Err(_) => false,
            };
            // RFC 9700 §4.14.2 lets a server keep the refresh tokens of confidential
            // clients (bound by client authentication): only a rotating server must
            // refuse the old one.
            if !rotated {
                let mut r = pass();
                r.info.push(
                    "the server does not rotate refresh tokens (allowed for confidential clients)"
                        .into(),
                );
                return r;
            }
        }
        Ok(ex) => {
            return error(server_refused(format!(
                "the refresh token was not accepted the first time: {}",
                ex.status_line()
            )));
        }
        Err(e) => return error(e),
    }
    match post(
        c.ctx,
        c.server,
        &c.endpoints,
        form(&role, Params::Refresh(rt)),
        Auth::AsConfigured,
    )
    .await
    {
        Ok(ex) if refused(ex.status) => pass(),
        Ok(ex) => fail(
            format!(
                "a used refresh token was accepted again: {}",
                ex.status_line()
            ),
            Evidence {
                notes: vec!["without rotation and replay detection a stolen refresh token works for as long as it lives".into()],
                ..seen(&ex, "refused (4xx)")
            },
        ),
        Err(e) => error(e),
    }
}

pub async fn scope_not_widened(c: &Ctx<'_>) -> CaseResult {
    let (role, rt) = match refresh_token(c).await {
        Ok(Some(x)) => x,
        Ok(None) => return skip("no role of `as:` was issued a refresh token"),
        Err(e) => return error(e),
    };
    let mut f = form(&role, Params::Refresh(rt));
    f.retain(|(k, _)| *k != "scope");
    let widened = format!("{} authspec:admin", role.scopes.join(" "))
        .trim()
        .to_string();
    f.push(("scope", widened));
    match post(c.ctx, c.server, &c.endpoints, f, Auth::AsConfigured).await {
        Ok(ex) if refused(ex.status) => pass(),
        Ok(ex) if (200..300).contains(&ex.status) => match parse(&ex, None) {
            Ok(t) => {
                c.ctx
                    .redactor
                    .add("oauth.refreshed_access_token", &t.access);
                let stated = t.scope.unwrap_or_default();
                if stated.split_whitespace().any(|s| s == "authspec:admin") {
                    fail(
                        "a refresh granted a scope the original grant did not have",
                        notes([format!("granted: {stated}")]),
                    )
                } else {
                    pass()
                }
            }
            Err(e) => error(e),
        },
        Ok(ex) => fail(
            format!(
                "a widened refresh was not refused with a 4xx: {}",
                ex.status_line()
            ),
            seen(&ex, "refused (4xx)"),
        ),
        Err(e) => error(e),
    }
}
