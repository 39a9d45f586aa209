//! The authorization code grant with PKCE (S256, always), completed headlessly: redirects
//! are followed with a cookie jar, and wherever the server answers with an HTML form the
//! role's `login.fields` are filled in (hidden and default values kept) and submitted,
//! until the redirect to `redirect_uri` carries the code. Bounded in steps; when it gets
//! stuck, the error names the page.

use aws_lc_rs::digest::{SHA256, digest};
use reqwest::Url;

use super::Endpoints;
use super::form::forms;
use crate::engine::request::context::Context;
use crate::engine::request::cookies::Jar;
use crate::engine::request::http::{Exchange, HttpClient};
use crate::jose::b64;
use crate::model::{AuthServer, OAuth2Role};
use crate::results::HarnessError;

const MAX_STEPS: usize = 20;

/// A PKCE verifier and its S256 challenge (RFC 7636 §4.1-4.2).
pub fn pkce() -> (String, String) {
    let mut bytes = [0u8; 32];
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    let verifier = b64(&bytes);
    let challenge = b64(digest(&SHA256, verifier.as_bytes()).as_ref());
    (verifier, challenge)
}

fn random_state() -> String {
    let mut bytes = [0u8; 16];
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    b64(&bytes)
}

/// The code from the authorization endpoint, obtained by walking the login pages.
pub async fn code(
    ctx: &Context,
    server: &AuthServer,
    endpoints: &Endpoints,
    role: &OAuth2Role,
    redirect_uri: &str,
    login: &[(String, String)],
    pkce: Option<(&str, &str)>,
) -> Result<String, HarnessError> {
    let state = random_state();
    let url = authorization_url(server, endpoints, role, redirect_uri, &state, pkce)?;
    // A browser's session: the login pages' cookies, and no role's.
    let browser = &ctx.http;
    let jar = Jar::default();
    let visit = async |request: reqwest::RequestBuilder| {
        let ex = browser.send(jar.add_to(request)?).await?;
        jar.keep(&ex);
        Ok::<_, HarnessError>(ex)
    };
    let mut ex = visit(browser.request(reqwest::Method::GET, url.as_str())).await?;
    for _ in 0..MAX_STEPS {
        if (300..400).contains(&ex.status) {
            let location = ex
                .header("location")
                .ok_or_else(|| stuck(&ex, "a redirect without Location"))?;
            let next = ex
                .url
                .join(location)
                .map_err(|e| HarnessError::oauth(format!("bad redirect {location:?}: {e}")))?;
            if next.as_str().starts_with(redirect_uri) {
                return read_code(&next, &state);
            }
            ex = visit(browser.request(reqwest::Method::GET, next.as_str())).await?;
            continue;
        }
        if !(200..300).contains(&ex.status) {
            return Err(stuck(&ex, &format!("status {}", ex.status_line())));
        }
        let request = submit(browser, &ex, &url, login)?;
        ex = visit(request).await?;
    }
    Err(stuck(
        &ex,
        &format!("no redirect to the redirect_uri after {MAX_STEPS} steps"),
    ))
}

/// The authorization request: response type, client, redirect, state, PKCE, scopes.
fn authorization_url(
    server: &AuthServer,
    endpoints: &Endpoints,
    role: &OAuth2Role,
    redirect_uri: &str,
    state: &str,
    pkce: Option<(&str, &str)>,
) -> Result<Url, HarnessError> {
    let authorize = endpoints.authorization_endpoint.clone().ok_or_else(|| {
        HarnessError::oauth(format!(
            "auth server {} has no authorization endpoint",
            server.name
        ))
    })?;
    let mut url = Url::parse(&authorize)
        .map_err(|e| HarnessError::oauth(format!("authorization endpoint: {e}")))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", &server.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state);
        if let Some((challenge, method)) = pkce {
            q.append_pair("code_challenge", challenge)
                .append_pair("code_challenge_method", method);
        }
        if !role.scopes.is_empty() {
            q.append_pair("scope", &role.scopes.join(" "));
        }
        // OIDC Core §11: without consent a provider drops `offline_access`, and with it
        // the refresh token.
        if role.scopes.iter().any(|s| s == "offline_access") {
            q.append_pair("prompt", "consent");
        }
        if let Some(r) = &role.resource {
            q.append_pair("resource", r);
        }
        if let Some(a) = &role.audience {
            q.append_pair("audience", a);
        }
    }
    Ok(url)
}

/// The page's login (or consent) form, filled with the role's login fields.
fn submit(
    browser: &HttpClient,
    ex: &Exchange,
    url: &Url,
    login: &[(String, String)],
) -> Result<reqwest::RequestBuilder, HarnessError> {
    let found = forms(&ex.body);
    let Some(form) = found.iter().find(|f| f.has_password).or(found.first()) else {
        return Err(stuck(ex, "a page with no form and no redirect"));
    };
    let action = match &form.action {
        Some(a) => ex
            .url
            .join(a)
            .map_err(|e| HarnessError::oauth(format!("bad form action {a:?}: {e}")))?,
        None => ex.url.clone(),
    };
    // Credentials go only where the authorization server lives, only into fields the
    // form has, and never into a URL.
    let same_origin = action.origin() == url.origin();
    let mut fields = form.fields.clone();
    for (name, value) in login {
        if let Some(f) = fields.iter_mut().find(|(k, _)| k == name) {
            if !same_origin {
                let other = action.origin().ascii_serialization();
                return Err(stuck(
                    ex,
                    &format!("the login form posts to another origin ({other})"),
                ));
            }
            if form.method != "POST" {
                return Err(stuck(
                    ex,
                    "the login form would send credentials in the URL (method GET)",
                ));
            }
            f.1 = value.clone();
        }
    }
    Ok(if form.method == "POST" {
        browser
            .request(reqwest::Method::POST, action.as_str())
            .form(&fields)
    } else {
        browser
            .request(reqwest::Method::GET, action.as_str())
            .query(&fields)
    })
}

fn stuck(ex: &Exchange, why: &str) -> HarnessError {
    HarnessError::oauth(format!("the login got stuck at {}: {why}", ex.url))
}

fn read_code(redirect: &Url, state: &str) -> Result<String, HarnessError> {
    let get = |k: &str| {
        redirect
            .query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    if let Some(error) = get("error") {
        let desc = get("error_description")
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        return Err(HarnessError::AuthServer {
            text: format!("the authorization server refused: {error}{desc}"),
            error_description: get("error_description"),
            error: Some(error),
        });
    }
    if get("state").as_deref() != Some(state) {
        return Err(HarnessError::oauth(
            "the redirect's state does not match the one sent (CSRF protection)",
        ));
    }
    get("code")
        .ok_or_else(|| HarnessError::oauth("the redirect to the redirect_uri carries no code"))
}
