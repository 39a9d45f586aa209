//! Lowers `auth_servers:` and `oauth2:` roles: endpoints by discovery or explicit URL,
//! client credentials by reference only, grants and scopes.

use super::context::Cx;
use crate::load::raw::{RawAuthServer, RawOAuth2, S, SpannedMap};
use crate::load::suggest::did_you_mean;
use crate::model::{AuthServer, ClientAuth, Grant, OAuth2Role};

pub fn auth_servers(
    cx: &mut Cx<'_>,
    raw: Option<&SpannedMap<RawAuthServer>>,
    demo: bool,
) -> Vec<AuthServer> {
    let Some(raw) = raw else { return Vec::new() };
    cx.server_names = raw.0.iter().map(|(k, _)| k.value.clone()).collect();
    raw.0
        .iter()
        .filter_map(|(name, s)| auth_server(cx, name, s, demo))
        .collect()
}

fn url(cx: &mut Cx<'_>, field: &Option<S<String>>, path: &str) -> Option<Option<String>> {
    let Some(f) = field else { return Some(None) };
    match cx.interpolate(&f.value) {
        Ok(v) if reqwest::Url::parse(&v).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) => {
            Some(Some(v.trim_end_matches('/').to_string()))
        }
        Ok(_) => {
            cx.error(
                &f.at,
                format!("`{path}` is not an http(s) URL: `{}`", f.value),
            );
            None
        }
        Err(e) => {
            cx.reference_error(&f.at, path, e);
            None
        }
    }
}

fn auth_server(
    cx: &mut Cx<'_>,
    name: &S<String>,
    raw: &RawAuthServer,
    demo: bool,
) -> Option<AuthServer> {
    let n = &name.value;
    let issuer = url(cx, &raw.issuer, &format!("auth_servers.{n}.issuer"))?;
    let token_endpoint = url(
        cx,
        &raw.token_endpoint,
        &format!("auth_servers.{n}.token_endpoint"),
    )?;
    let jwks_uri = url(cx, &raw.jwks_uri, &format!("auth_servers.{n}.jwks_uri"))?;
    let authorization_endpoint = url(
        cx,
        &raw.authorization_endpoint,
        &format!("auth_servers.{n}.authorization_endpoint"),
    )?;
    let introspection_endpoint = url(
        cx,
        &raw.introspection_endpoint,
        &format!("auth_servers.{n}.introspection_endpoint"),
    )?;
    let revocation_endpoint = url(
        cx,
        &raw.revocation_endpoint,
        &format!("auth_servers.{n}.revocation_endpoint"),
    )?;
    if issuer.is_none() && token_endpoint.is_none() {
        cx.error(
            &name.at,
            format!("auth server `{n}` needs `issuer:` or `token_endpoint:`"),
        )
        .help("`issuer:` uses OIDC discovery (/.well-known/openid-configuration)");
        return None;
    }
    let client_id = match cx.interpolate(&raw.client_id.value) {
        Ok(v) => v,
        Err(e) => {
            cx.reference_error(&raw.client_id.at, &format!("auth_servers.{n}.client_id"), e);
            return None;
        }
    };
    let client_secret = match &raw.client_secret {
        Some(s) => Some(super::secret::secret_at(
            cx,
            s,
            &format!("auth_servers.{n}.client_secret"),
            format!("{n}.client_secret"),
            demo,
        )?),
        None => None,
    };
    let client_auth = match raw.client_auth.as_ref().map(|s| (s, s.value.as_str())) {
        None | Some((_, "client_secret_basic")) => ClientAuth::Basic,
        Some((_, "client_secret_post")) => ClientAuth::Post,
        Some((s, other)) => {
            cx.error(&s.at, format!("unknown client authentication `{other}`"))
                .help("`client_secret_basic` (default) or `client_secret_post`");
            return None;
        }
    };
    Some(AuthServer {
        name: n.clone(),
        issuer,
        token_endpoint,
        jwks_uri,
        authorization_endpoint,
        introspection_endpoint,
        revocation_endpoint,
        client_id,
        client_secret,
        client_auth,
    })
}

fn authorization_code(cx: &mut Cx<'_>, role: &str, raw: &RawOAuth2) -> Option<Grant> {
    let Some(uri) = &raw.redirect_uri else {
        cx.error(
            &raw.grant.at,
            format!("role `{role}`: `authorization_code` needs `redirect_uri:`"),
        )
        .help("the redirect URI registered for the client, e.g. `${env:REDIRECT_URI}`");
        return None;
    };
    let redirect_uri = match cx.interpolate(&uri.value) {
        Ok(v) => v,
        Err(e) => {
            cx.reference_error(&uri.at, &format!("roles.{role}.oauth2.redirect_uri"), e);
            return None;
        }
    };
    let mut login = Vec::new();
    for (name, value) in raw.login.iter().flat_map(|l| &l.fields.0) {
        let path = format!("roles.{role}.oauth2.login.fields.{}", name.value);
        let label = format!("{role}.login.{}", name.value);
        let lower = name.value.to_ascii_lowercase();
        let secret_like = ["pass", "secret", "pin", "otp", "token", "code"]
            .iter()
            .any(|s| lower.contains(s));
        // A user name may be written out; a password never.
        // A password is a secret (reference only, redacted, a canary); a user name is
        // resolved but not registered, or every response naming the user would "leak".
        let value = if secret_like {
            super::secret::secret_at(cx, value, &path, label, false)?
        } else {
            match cx.interpolate(&value.value) {
                Ok(v) => crate::model::Secret::new(label, v),
                Err(e) => {
                    cx.reference_error(&value.at, &path, e);
                    return None;
                }
            }
        };
        login.push((name.value.clone(), value));
    }
    Some(Grant::AuthorizationCode {
        redirect_uri,
        login,
    })
}

pub fn oauth2_role(cx: &mut Cx<'_>, role: &str, raw: &RawOAuth2) -> Option<OAuth2Role> {
    let server = match cx.server_names.iter().position(|s| *s == raw.server.value) {
        Some(i) => Some(i),
        None => {
            let known = cx.server_names.clone();
            let mut help = match did_you_mean(&raw.server.value, known.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? "),
                None => String::new(),
            };
            help.push_str(&format!("auth servers: {}", known.join(", ")));
            cx.error(
                &raw.server.at,
                format!("unknown auth server `{}`", raw.server.value),
            )
            .help(help);
            None
        }
    };
    let grant = match raw.grant.value.as_str() {
        "client_credentials" => Some(Grant::ClientCredentials),
        "authorization_code" => authorization_code(cx, role, raw),
        other => {
            cx.error(&raw.grant.at, format!("unknown grant `{other}`"))
                .help("`client_credentials` or `authorization_code`");
            None
        }
    };
    let mut text = |f: &Option<S<String>>, what: &str| match f {
        None => Some(None),
        Some(v) => match cx.interpolate(&v.value) {
            Ok(x) => Some(Some(x)),
            Err(e) => {
                cx.reference_error(&v.at, &format!("roles.{role}.oauth2.{what}"), e);
                None
            }
        },
    };
    let resource = text(&raw.resource, "resource")?;
    let audience = text(&raw.audience, "audience")?;
    Some(OAuth2Role {
        server: server?,
        grant: grant?,
        scopes: raw.scopes.clone(),
        resource,
        audience,
    })
}
