//! `fuzz`: random edits of the genuine token's header and claims, each of which must be
//! refused; the smallest accepted one is reported with the seed that finds it again.

use super::answer::refused;
use crate::engine::probes::{CaseResult, failure};
use crate::engine::request::context::Context;
use crate::jose::Jwt;
use crate::model::TokensProbe;
use crate::results::{Evidence, Outcome, Problem, RequestInfo};

/// Random edits of the genuine token, each of which must be refused; the smallest
/// accepted one is reported with the seed that finds it again.
pub async fn fuzz(
    ctx: &Context,
    si: usize,
    probe: &TokensProbe,
    jwt: Option<&Jwt>,
    cases: u32,
) -> CaseResult {
    let Some(jwt) = jwt else {
        return CaseResult::of(Outcome::Skipped("the token is opaque (not a JWT)".into()));
    };
    let role = &ctx.suites[si].suite.role(probe.role).name;
    let seed = ctx.seed;
    let (found, tried) = crate::mutation::fuzz::run(jwt, cases, seed, |token: String| async move {
        ctx.redactor
            .add_quiet(&format!("{role}.mutated_token"), &token);
        matches!(refused(ctx, si, probe, &token).await, Ok(Some(got)) if got.accepted())
    })
    .await;
    let replay = format!("seed {seed} (replay with --seed {seed})");
    let mut r = match found {
        None => CaseResult::of(Outcome::Pass),
        Some(f) => CaseResult::of(failure(
            format!(
                "the API accepted a token whose signature no longer matches: {:?}",
                f.edits
            ),
            Evidence {
                request: Some(RequestInfo::new(&probe.request.line(), Some(role))),
                problems: vec![Problem::Text(format!(
                    "smallest accepted edit: {:?}",
                    f.edits
                ))],
                expected: Some("every doctored token refused".into()),
                hint: Some(replay.clone()),
                ..Evidence::default()
            },
        )),
    };
    r.info.push(format!("{tried} random edits tried; {replay}"));
    r
}
