//! What the server issues: no more scope than asked (RFC 6749 §3.3; least privilege,
//! OWASP API5:2023) and a lifetime within policy (short-lived tokens, CWE-613).

use super::{CaseResult, Ctx, error, fail, notes, pass, skip};
use crate::jose::Jwt;

fn granted_scopes(access: &str, stated: Option<&str>) -> Option<Vec<String>> {
    if let Some(s) = stated {
        return Some(s.split_whitespace().map(str::to_string).collect());
    }
    let jwt = Jwt::parse(access)?;
    match jwt.claims.get("scope").or_else(|| jwt.claims.get("scp"))? {
        serde_json::Value::String(s) => Some(s.split_whitespace().map(str::to_string).collect()),
        serde_json::Value::Array(a) => Some(
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        ),
        _ => None,
    }
}

pub async fn scope_not_over_issued(c: &Ctx<'_>) -> CaseResult {
    if c.probe.roles.is_empty() {
        return skip("needs OAuth roles in `as:`");
    }
    let mut info = Vec::new();
    for &role in &c.probe.roles {
        let r = c.ctx.suites[c.si].suite.role(role);
        let crate::model::Credential::OAuth2(o) = &r.credential else {
            continue;
        };
        let token = match c.ctx.fresh_token(c.si, role).await {
            Ok(t) => t,
            Err(e) => return error(e),
        };
        let Some(granted) = granted_scopes(&token.access, token.scope.as_deref()) else {
            info.push(format!(
                "{}: no scope stated (RFC 6749 §5.1: then the requested one)",
                r.name
            ));
            continue;
        };
        let extra: Vec<&String> = granted.iter().filter(|g| !o.scopes.contains(g)).collect();
        if !extra.is_empty() {
            let extra: Vec<&str> = extra.iter().map(|s| s.as_str()).collect();
            return fail(
                format!(
                    "role {} was granted scopes it did not ask for: {}",
                    r.name,
                    extra.join(" ")
                ),
                notes([
                    format!("requested: {}", o.scopes.join(" ")),
                    format!("granted:   {}", granted.join(" ")),
                ]),
            );
        }
    }
    let mut r = pass();
    r.info = info;
    r
}

pub async fn token_lifetime(c: &Ctx<'_>) -> CaseResult {
    let Some(max) = c.probe.max_token_lifetime else {
        return skip("no `max_token_lifetime` in the probe");
    };
    let Some(&role) = c.probe.roles.first() else {
        return skip("needs an OAuth role in `as:`");
    };
    let token = match c.ctx.fresh_token(c.si, role).await {
        Ok(t) => t,
        Err(e) => return error(e),
    };
    let claims = Jwt::parse(&token.access).map(|j| j.claims);
    let from_claims = claims.as_ref().and_then(|c| {
        let exp = c.get("exp")?.as_i64()?;
        let iat = c
            .get("iat")
            .and_then(|v| v.as_i64())
            .or_else(|| c.get("nbf").and_then(|v| v.as_i64()))?;
        Some((exp - iat).max(0) as u64)
    });
    let Some(lifetime) = from_claims.or(token.expires_in) else {
        return skip("the token's lifetime is unknown (no exp/iat, no expires_in)");
    };
    if lifetime > max.as_secs() {
        return fail(
            format!(
                "tokens live {lifetime} s, longer than max_token_lifetime ({} s)",
                max.as_secs()
            ),
            notes(["short-lived tokens limit what a stolen one is worth".into()]),
        );
    }
    let mut r = pass();
    r.info.push(format!("token lifetime {lifetime} s"));
    r
}
