//! `expired` without a signing key: a fresh genuine token is replayed once it has
//! expired, and again past the verifier's leeway when it was still accepted; only
//! acceptance past the leeway is a finding. Bounded by `max_wait`: skipped when the
//! token outlives it, and an error when the token was accepted after `exp` but the
//! leeway outlasts `max_wait` (an API that never checks `exp` must not pass); both say
//! which `max_wait` would judge it.

use std::time::Duration;

use super::answer::{Seen, outcome, refused};
use super::probe::now;
use crate::engine::probes::{CaseResult, harness, vacuous};
use crate::engine::request::context::Context;
use crate::jose::Jwt;
use crate::model::{Credential, TokensProbe};
use crate::results::Outcome;

/// Waits for a fresh genuine token to expire (bounded by `max_wait`), then replays it.
pub async fn by_waiting(ctx: &Context, si: usize, probe: &TokensProbe, cached: &str) -> CaseResult {
    let suite = &ctx.suites[si].suite;
    let (token, expires_at) = match &suite.role(probe.role).credential {
        Credential::OAuth2(_) => match ctx.fresh_token(si, probe.role).await {
            Ok(t) => {
                let exp = Jwt::parse(&t.access)
                    .and_then(|j| j.claims.get("exp").and_then(|e| e.as_i64()))
                    .or_else(|| t.expires_in.map(|s| now() + s as i64));
                (t.access, exp)
            }
            Err(e) => return CaseResult::of(harness(e.to_string(), e)),
        },
        Credential::Login(_) => match ctx.fresh_login(si, probe.role).await {
            Ok(t) => (t.value, t.exp),
            Err(e) => return CaseResult::of(harness(e.to_string(), e)),
        },
        _ => {
            let exp = Jwt::parse(cached).and_then(|j| j.claims.get("exp").and_then(|e| e.as_i64()));
            (cached.to_string(), exp)
        }
    };
    let Some(exp) = expires_at else {
        return CaseResult::of(Outcome::Skipped(
            "the token's expiry is unknown (no `exp`, no `expires_in`)".into(),
        ));
    };
    let started = now();
    let leeway = probe.leeway.as_secs() as i64;
    // From the start of the case: past `exp` and the leeway, with the 2 s margin of each
    // replay.
    let judging_wait = (exp + leeway + 2 - started).max(0);
    let wait = (exp - started + 2).max(0) as u64;
    if wait > probe.max_wait.as_secs() {
        return CaseResult::of(Outcome::Skipped(format!(
            "the token is valid for another {wait} s, longer than max_wait ({} s); \
             `max_wait: {judging_wait}s` would judge it",
            probe.max_wait.as_secs()
        )));
    }
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let first = match refused(ctx, si, probe, &token).await {
        Ok(None) => {
            let mut r = CaseResult::of(Outcome::Pass);
            r.info
                .push(format!("waited {wait} s for the token to expire"));
            return r;
        }
        Ok(Some(got)) => got,
        Err(e) => {
            return CaseResult::of(harness(format!("the replay could not be made: {e}"), e));
        }
    };
    // Many verifiers allow clock skew (60 s is common): only acceptance past it is a
    // finding. Within max_wait, wait past the leeway and replay again.
    let until = exp + leeway + 2;
    let more = (until - now()).max(0) as u64;
    if wait + more > probe.max_wait.as_secs() {
        // Accepted after `exp` and not replayed past the leeway: an API that never checks
        // `exp` looks just like this, so it cannot pass.
        return CaseResult::of(vacuous(format!(
            "expired could not be judged: the expired token was still accepted {} s after \
             `exp` ({first}), within the {leeway} s leeway, and max_wait ({} s) is too \
             short to replay it past the leeway; `max_wait: {judging_wait}s` would judge it",
            now() - exp,
            probe.max_wait.as_secs()
        )));
    }
    tokio::time::sleep(Duration::from_secs(more)).await;
    let mut r = match refused(ctx, si, probe, &token).await {
        Ok(None) => {
            let mut r = CaseResult::of(Outcome::Pass);
            r.warnings.push(format!("the expired token was still accepted just after `exp` ({first}), but not past a {leeway} s leeway"));
            r
        }
        Ok(Some(got)) => outcome(
            probe,
            suite,
            "expired",
            &[Seen {
                label: format!("expired {} s ago, past a {leeway} s leeway", now() - exp),
                got: Ok(got),
            }],
            &[],
        ),
        Err(e) => CaseResult::of(harness(format!("the replay could not be made: {e}"), e)),
    };
    r.info.push(format!(
        "waited {} s for the token to expire and its leeway to pass",
        wait + more
    ));
    r
}
