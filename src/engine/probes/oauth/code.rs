//! The authorization code grant: PKCE is required (RFC 9700 §2.1.1), a wrong verifier and
//! the `plain` method are refused, a code works once (RFC 6749 §4.1.2), and only the
//! exact registered redirect URI receives codes (RFC 9700 §4.1). CWE-287, CWE-601;
//! OWASP API2:2023.

use super::{
    CaseResult, Ctx, error, error_in, fail, notes, pass, refused, seen, server_refused, skip,
};
use crate::engine::auth::oauth::authorize::{code, pkce};
use crate::engine::auth::oauth::token::{Auth, Params, form, parse, post};
use crate::model::{Grant, OAuth2Role};
use crate::results::HarnessError;

struct Flow {
    role: OAuth2Role,
    redirect_uri: String,
    login: Vec<(String, String)>,
}

fn flow(c: &Ctx<'_>) -> Option<Flow> {
    let (_, role) = c.role(true)?;
    let Grant::AuthorizationCode {
        redirect_uri,
        login,
    } = &role.grant
    else {
        return None;
    };
    Some(Flow {
        role: role.clone(),
        redirect_uri: redirect_uri.clone(),
        login: login
            .iter()
            .map(|(k, v)| (k.clone(), v.expose().to_string()))
            .collect(),
    })
}

const NO_CODE_ROLE: &str = "needs an authorization_code role in `as:`";

async fn get_code(
    c: &Ctx<'_>,
    f: &Flow,
    pkce: Option<(&str, &str)>,
    redirect: &str,
) -> Result<String, HarnessError> {
    code(
        c.ctx,
        c.server,
        &c.endpoints,
        &f.role,
        redirect,
        &f.login,
        pkce,
    )
    .await
}

async fn exchange(
    c: &Ctx<'_>,
    f: &Flow,
    code: String,
    verifier: Option<String>,
) -> Result<crate::engine::request::http::Exchange, HarnessError> {
    let params = Params::Code {
        code,
        redirect_uri: f.redirect_uri.clone(),
        verifier,
    };
    let ex = post(
        c.ctx,
        c.server,
        &c.endpoints,
        form(&f.role, params),
        Auth::AsConfigured,
    )
    .await?;
    if let Ok(t) = parse(&ex, None) {
        c.ctx.redactor.add("oauth.probe_access_token", &t.access);
        if let Some(r) = &t.refresh {
            c.ctx.redactor.add("oauth.probe_refresh_token", r);
        }
    }
    Ok(ex)
}

/// The outcome of exchanging a code that must not yield a token.
fn expect_refusal(
    result: Result<crate::engine::request::http::Exchange, HarnessError>,
    what: &str,
) -> CaseResult {
    match result {
        Ok(ex) if refused(ex.status) => pass(),
        Ok(ex) if (200..300).contains(&ex.status) => fail(
            format!("a token was issued {what}"),
            seen(&ex, "refused (4xx)"),
        ),
        Ok(ex) => fail(
            format!(
                "a code exchange {what} was not refused with a 4xx: {}",
                ex.status_line()
            ),
            seen(&ex, "refused (4xx)"),
        ),
        Err(e) => error(e),
    }
}

/// The positive control of the refusal checks: a correct request (S256, the registered
/// redirect URI) must get a code, or a refusal proves nothing.
async fn control(c: &Ctx<'_>, f: &Flow) -> Result<(), CaseResult> {
    let (_, challenge) = pkce();
    get_code(c, f, Some((&challenge, "S256")), &f.redirect_uri)
        .await
        .map(|_| ())
        .map_err(|e| {
            CaseResult::of(crate::engine::probes::vacuous(format!(
                "vacuous: a correct authorization request got no code either ({e})"
            )))
        })
}

pub async fn pkce_required(c: &Ctx<'_>) -> CaseResult {
    let Some(f) = flow(c) else {
        return skip(NO_CODE_ROLE);
    };
    if let Err(r) = control(c, &f).await {
        return r;
    }
    match get_code(c, &f, None, &f.redirect_uri).await {
        // Refused at the authorization endpoint: PKCE is required.
        Err(_) => pass(),
        Ok(code) => expect_refusal(
            exchange(c, &f, code, None).await,
            "for a code requested without PKCE",
        ),
    }
}

pub async fn wrong_verifier_refused(c: &Ctx<'_>) -> CaseResult {
    let Some(f) = flow(c) else {
        return skip(NO_CODE_ROLE);
    };
    let (_, challenge) = pkce();
    let (other_verifier, _) = pkce();
    match get_code(c, &f, Some((&challenge, "S256")), &f.redirect_uri).await {
        Err(e) => error_in(format!("no code could be obtained: {e}"), e),
        Ok(code) => expect_refusal(
            exchange(c, &f, code, Some(other_verifier)).await,
            "for a wrong code_verifier",
        ),
    }
}

pub async fn plain_refused(c: &Ctx<'_>) -> CaseResult {
    let Some(f) = flow(c) else {
        return skip(NO_CODE_ROLE);
    };
    if let Err(r) = control(c, &f).await {
        return r;
    }
    let (verifier, _) = pkce();
    match get_code(c, &f, Some((&verifier, "plain")), &f.redirect_uri).await {
        Err(_) => pass(),
        Ok(code) => expect_refusal(
            exchange(c, &f, code, Some(verifier)).await,
            "with the PKCE `plain` method",
        ),
    }
}

pub async fn reuse_refused(c: &Ctx<'_>) -> CaseResult {
    let Some(f) = flow(c) else {
        return skip(NO_CODE_ROLE);
    };
    let (verifier, challenge) = pkce();
    let code = match get_code(c, &f, Some((&challenge, "S256")), &f.redirect_uri).await {
        Ok(code) => code,
        Err(e) => return error_in(format!("no code could be obtained: {e}"), e),
    };
    match exchange(c, &f, code.clone(), Some(verifier.clone())).await {
        Ok(ex) if (200..300).contains(&ex.status) => {}
        Ok(ex) => {
            return error(server_refused(format!(
                "the first exchange of the code was refused: {}",
                ex.status_line()
            )));
        }
        Err(e) => return error(e),
    }
    expect_refusal(
        exchange(c, &f, code, Some(verifier)).await,
        "for a code that was already used",
    )
}

pub async fn redirect_uri_exact(c: &Ctx<'_>) -> CaseResult {
    let Some(f) = flow(c) else {
        return skip(NO_CODE_ROLE);
    };
    if let Err(r) = control(c, &f).await {
        return r;
    }
    let (_, challenge) = pkce();
    let forged = format!(
        "{}/authspec-elsewhere",
        f.redirect_uri.trim_end_matches('/')
    );
    match get_code(c, &f, Some((&challenge, "S256")), &forged).await {
        Err(_) => pass(),
        Ok(_) => fail(
            "the server sent a code to a redirect URI that is not the registered one",
            notes([
                format!("registered: {}", f.redirect_uri),
                format!("forged:     {forged}"),
            ]),
        ),
    }
}
