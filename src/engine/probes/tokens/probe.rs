//! Runs probe `tokens` (cases: `model::TokensCase`): the role's genuine token must be
//! accepted on the request (the positive control, first); each selected mutation's
//! doctored tokens must be refused. A mutation that does not apply is skipped with the
//! reason. Header-injection mutations point at a JWKS and a certificate served here on
//! 127.0.0.1, and the report says whether the API fetched them.

use std::time::{SystemTime, UNIX_EPOCH};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::answer::{Seen, outcome, refused};
use super::{expired, fuzz::fuzz, weak_secret};
use crate::engine::probes::{CaseResult, harness, vacuous};
use crate::engine::request::context::Context;
use crate::jose::{Jwt, SigningKey};
use crate::model::{Credential, TokensCase, TokensProbe};
use crate::mutation::{Attacker, Input, Plan, catalogue};
use crate::results::{CheckError, ErrorKind, Evidence, HarnessError, Outcome};

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Every selected case could not be judged, for one reason.
fn error_all(
    cases: &[TokensCase],
    message: String,
    cause: HarnessError,
) -> Vec<(TokensCase, CaseResult)> {
    cases
        .iter()
        .map(|c| (*c, CaseResult::of(harness(message.clone(), cause.clone()))))
        .collect()
}

/// The selected cases, after the positive control.
pub async fn run(
    ctx: &Context,
    si: usize,
    probe: &TokensProbe,
    cases: &[TokensCase],
) -> Vec<(TokensCase, CaseResult)> {
    if cases.is_empty() {
        return Vec::new();
    }
    let suite = &ctx.suites[si].suite;
    let role = suite.role(probe.role);
    let token = match &role.credential {
        Credential::Bearer(s) => s.expose().to_string(),
        Credential::OAuth2(_) => match ctx.access_token(si, probe.role).await {
            Ok(t) => t,
            Err(e) => return error_all(cases, e.to_string(), e),
        },
        // Doctored tokens go as bearer tokens: a login role must send its token so.
        Credential::Login(l) if l.send.is_bearer() => match ctx.login_token(si, probe.role).await {
            Ok(t) => t.value,
            Err(e) => return error_all(cases, e.to_string(), e),
        },
        _ => {
            let why = format!("role {} has no bearer token to mutate", role.name);
            return error_all(cases, why.clone(), HarnessError::request(why));
        }
    };
    // The positive control: without it, every refusal proves nothing. Sent exactly as
    // the doctored tokens are (the token alone, no cookie of the role's jar), so a
    // session cookie cannot pass the control while the mutations go without it.
    let control_leaks = match ctx
        .send_with_token(si, probe.role, &probe.request, &token)
        .await
    {
        Ok(ex) if (200..300).contains(&ex.status) => ctx.leak_lines(si, &ex, &[]),
        Ok(ex) => {
            let why = format!(
                "vacuous: the genuine token was not accepted on {} ({}), so refusals prove nothing",
                probe.request.line(),
                ex.status_line()
            );
            return cases
                .iter()
                .map(|c| (*c, CaseResult::of(vacuous(why.clone()))))
                .collect();
        }
        Err(e) => {
            return error_all(
                cases,
                format!("the positive control could not be made: {e}"),
                e,
            );
        }
    };
    let server = MockServer::start().await;
    let attacker = match Attacker::generate(&server.uri()) {
        Ok(a) => a,
        Err(e) => {
            let why = format!("cannot prepare attacker keys: {e}");
            return error_all(cases, why, HarnessError::setup(e));
        }
    };
    Mock::given(method("GET"))
        .and(path("/jwks.json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "keys": [attacker.jwk.clone()] })),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/cert.pem"))
        .respond_with(ResponseTemplate::new(200).set_body_string(attacker.cert_pem.clone()))
        .mount(&server)
        .await;
    let issuer_keys = issuer_keys(ctx, si, probe).await;
    let jwt = Jwt::parse(&token);
    // Read and proven while loading; read again here, an error if that ever differs.
    let signing_key = match probe
        .signing_key
        .as_ref()
        .map(|k| SigningKey::parse(k.expose()))
    {
        None => None,
        Some(Ok(k)) => Some(k),
        Some(Err(why)) => return error_all(cases, why.clone(), HarnessError::setup(why)),
    };
    let input = Input {
        token: &token,
        jwt: jwt.as_ref(),
        signing_key: signing_key.as_ref(),
        issuer_keys: &issuer_keys,
        attacker: &attacker,
        wordlist: &probe.wordlist.0,
        now: now(),
    };
    let catalogue = catalogue();
    let mut out = Vec::new();
    for &case in cases {
        let name = match case {
            TokensCase::Fuzz => {
                let result = match probe.fuzz {
                    Some(edits) => fuzz(ctx, si, probe, jwt.as_ref(), edits).await,
                    None => CaseResult::of(Outcome::Skipped("the probe sets no `fuzz:`".into())),
                };
                out.push((case, result));
                continue;
            }
            TokensCase::Mutation(name) => name,
        };
        let Some(m) = catalogue.iter().find(|m| m.name() == name) else {
            out.push((
                case,
                // The model's mutation list and the catalogue disagree: a bug, not a pass.
                CaseResult::of(Outcome::Error(CheckError::new(
                    ErrorKind::Internal,
                    format!("unknown mutation {name}"),
                    Evidence::default(),
                ))),
            ));
            continue;
        };
        let result = match m.plan(&input) {
            Plan::Skip(reason) => CaseResult::of(Outcome::Skipped(reason)),
            Plan::Error(why) => CaseResult::of(harness(why.clone(), HarnessError::setup(why))),
            Plan::Send(variants) if variants.is_empty() => {
                CaseResult::of(Outcome::Skipped("no doctored token could be built".into()))
            }
            Plan::Send(variants) => {
                let mut accepted = Vec::new();
                let mut problems = Vec::new();
                for v in &variants {
                    ctx.redactor
                        .add_quiet(&format!("{}.mutated_token", role.name), &v.token);
                    let got = match refused(ctx, si, probe, &v.token).await {
                        Ok(None) => continue,
                        Ok(Some(answer)) => Ok(answer),
                        Err(e) => Err(e),
                    };
                    let accepted_it = got.as_ref().is_ok_and(|a| a.accepted());
                    let seen = Seen {
                        label: v.label.clone(),
                        got,
                    };
                    if accepted_it {
                        accepted.push(seen);
                    } else {
                        problems.push(seen);
                    }
                }
                let mut r = outcome(probe, suite, name, &accepted, &problems);
                if matches!(name, "jku_injection" | "x5u_injection") {
                    let fetched = server.received_requests().await.unwrap_or_default();
                    let what = if name == "jku_injection" {
                        "/jwks.json"
                    } else {
                        "/cert.pem"
                    };
                    if fetched.iter().any(|r| r.url.path() == what) {
                        r.info.push(format!(
                            "the API fetched authspec's {what} from the token header"
                        ));
                    } else {
                        r.info.push(format!("the API did not fetch {what}"));
                    }
                }
                r
            }
            Plan::WaitForExpiry => expired::by_waiting(ctx, si, probe, &token).await,
            Plan::Guessed(guess) => weak_secret::judged(ctx, si, probe, guess).await,
            Plan::NotGuessed { tried } => {
                let mut r = CaseResult::of(Outcome::Pass);
                r.info.push(format!(
                    "none of {tried} well-known secrets signs the token"
                ));
                r
            }
        };
        out.push((case, result));
    }
    // The control is no case of its own: its leaks go with the first selected case.
    if let Some((_, first)) = out.first_mut() {
        let taken = std::mem::replace(first, CaseResult::of(Outcome::Pass));
        *first = taken.with_leaks("the positive control", &control_leaks);
    }
    out
}

/// The issuer's JWKS keys, for `key_confusion`; empty when unknown.
async fn issuer_keys(ctx: &Context, si: usize, probe: &TokensProbe) -> Vec<serde_json::Value> {
    let Credential::OAuth2(o) = &ctx.suites[si].suite.role(probe.role).credential else {
        return Vec::new();
    };
    let Ok(endpoints) = ctx.endpoints(si, o.server).await else {
        return Vec::new();
    };
    let Some(uri) = endpoints.jwks_uri else {
        return Vec::new();
    };
    match ctx
        .http
        .send(ctx.http.request(reqwest::Method::GET, &uri))
        .await
    {
        Ok(ex) => serde_json::from_str::<serde_json::Value>(&ex.body)
            .ok()
            .and_then(|v| v.get("keys").and_then(|k| k.as_array()).cloned())
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}
