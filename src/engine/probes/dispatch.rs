//! Runs one probe entry: the cases the plan selected go to the probe's own code, and
//! every result comes back keyed by its case, each failure filed under its case's rule
//! and pointed at the probe entry in the suite.

use super::case_result::CaseResult;
use super::{enumeration, headers, oauth, rate_limit, tls, tokens, webhooks};
use crate::engine::request::context::Context;
use crate::model::{Probe, ProbeCase};

/// Runs the `cases` of probe `pi` of suite `si`: a result for each, keyed by its case, and
/// each failure filed under its case's rule
/// and every failure or error pointed at the probe entry.
pub async fn run(
    ctx: &Context,
    si: usize,
    pi: usize,
    cases: &[ProbeCase],
) -> Vec<(ProbeCase, CaseResult)> {
    let results = run_cases(ctx, si, pi, cases).await;
    let at = ctx.suites[si].suite.probes[pi].location();
    results
        .into_iter()
        .map(|(case, r)| (case, r.filed_under(case, at)))
        .collect()
}

async fn run_cases(
    ctx: &Context,
    si: usize,
    pi: usize,
    cases: &[ProbeCase],
) -> Vec<(ProbeCase, CaseResult)> {
    match &ctx.suites[si].suite.probes[pi] {
        Probe::RateLimit(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::RateLimit(c) => Some(c),
                _ => None,
            });
            let mut out = Vec::new();
            // One case: the burst runs only when it is asked for.
            if let Some(&case) = wanted.first() {
                out.push((
                    ProbeCase::RateLimit(case),
                    rate_limit::run(ctx, si, p).await,
                ));
            }
            out
        }
        Probe::Webhooks(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Webhooks(c) => Some(c),
                _ => None,
            });
            keyed(
                webhooks::run(ctx, si, p, &wanted).await,
                ProbeCase::Webhooks,
            )
        }
        Probe::Headers(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Headers { request, case } => Some((request, case)),
                _ => None,
            });
            keyed(
                headers::run(ctx, si, p, &wanted).await,
                |(request, case)| ProbeCase::Headers { request, case },
            )
        }
        Probe::Tokens(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Tokens(c) => Some(c),
                _ => None,
            });
            keyed(tokens::run(ctx, si, p, &wanted).await, ProbeCase::Tokens)
        }
        Probe::OAuth(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::OAuth(c) => Some(c),
                _ => None,
            });
            keyed(oauth::run(ctx, si, p, &wanted).await, ProbeCase::OAuth)
        }
        Probe::Tls(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Tls(c) => Some(c),
                _ => None,
            });
            keyed(tls::run(ctx, si, p, &wanted).await, ProbeCase::Tls)
        }
        Probe::Enumeration(p) => {
            let wanted = only(cases, |c| match c {
                ProbeCase::Enumeration(c) => Some(c),
                _ => None,
            });
            keyed(
                enumeration::run(ctx, si, p, &wanted).await,
                ProbeCase::Enumeration,
            )
        }
    }
}

/// The cases of one probe kind, in plan order. A case of another kind cannot be planned
/// for this probe; were it, the executor reports it unanswered.
fn only<C>(cases: &[ProbeCase], of: impl Fn(ProbeCase) -> Option<C>) -> Vec<C> {
    cases.iter().copied().filter_map(of).collect()
}

fn keyed<C>(
    results: Vec<(C, CaseResult)>,
    key: impl Fn(C) -> ProbeCase,
) -> Vec<(ProbeCase, CaseResult)> {
    results.into_iter().map(|(c, r)| (key(c), r)).collect()
}
