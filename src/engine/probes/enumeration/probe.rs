//! Runs probe `enumeration` (cases: `model::EnumerationCase`): one request of each
//! variant, compared by status, normalised body and telling headers; `timing` then sends
//! `tries` more of each, interleaved. Every finding shows both answers, redacted.

use std::collections::{BTreeMap, BTreeSet};

use super::normalise::Echo;
use super::timing;
use crate::engine::probes::{CaseResult, failure, harness, vacuous};
use crate::engine::request::context::Context;
use crate::engine::request::excerpt;
use crate::engine::request::http::Exchange;
use crate::model::template::Vars;
use crate::model::{EnumerationCase, EnumerationProbe, Request};
use crate::results::{Evidence, HarnessError, LeakLine, Outcome, Problem, RequestInfo};

/// The variants by the names the suite gives them.
pub const UNKNOWN: &str = "unknown";
pub const WRONG_SECRET: &str = "wrong_secret";

/// Sends one variant as the probe's role (or with no credential).
pub async fn send(
    ctx: &Context,
    si: usize,
    probe: &EnumerationProbe,
    request: &Request,
) -> Result<Exchange, HarnessError> {
    let ex = ctx
        .exchange_as(si, probe.role, request, &Vars::new())
        .await?;
    ctx.scannable(si, ex)
}

/// One variant's answer, as findings show it.
struct Answer {
    name: &'static str,
    ex: Exchange,
    /// The body as normalised for comparison.
    body: String,
}

impl Answer {
    fn line(&self, ctx: &Context) -> String {
        let shown = ctx.redactor.redact(&self.ex.body);
        format!(
            "{} → {}: {}",
            self.name,
            self.ex.status_line(),
            self.ex.body_excerpt(&shown)
        )
    }
}

pub async fn run(
    ctx: &Context,
    si: usize,
    probe: &EnumerationProbe,
    cases: &[EnumerationCase],
) -> Vec<(EnumerationCase, CaseResult)> {
    if cases.is_empty() {
        return Vec::new();
    }
    let all = |r: &dyn Fn() -> CaseResult| cases.iter().map(|c| (*c, r())).collect();
    let mut answers = Vec::new();
    for (name, request) in [
        (UNKNOWN, &probe.unknown),
        (WRONG_SECRET, &probe.wrong_secret),
    ] {
        match send(ctx, si, probe, request).await {
            Ok(ex) => answers.push((name, ex)),
            Err(e) => {
                let why = format!("the {name} request could not be made: {e}");
                return all(&|| CaseResult::of(harness(why.clone(), e.clone())));
            }
        }
    }
    let (Some((_, w)), Some((_, u))) = (answers.pop(), answers.pop()) else {
        return Vec::new();
    };
    // Both answered "no such route": the probe is not talking to a login.
    if u.status == w.status && matches!(u.status, 404 | 405) && u.body == w.body {
        let why = format!(
            "vacuous: both variants were answered {}: is `{}` the endpoint that checks \
             the credentials?",
            u.status_line(),
            probe.unknown.line()
        );
        return all(&|| CaseResult::of(vacuous(why.clone())));
    }
    // A server error or a rate limit answers for the server, not for the account: alike,
    // they hide a difference; different, they make one up.
    if let Some((name, ex)) = [(UNKNOWN, &u), (WRONG_SECRET, &w)]
        .into_iter()
        .find(|(_, ex)| ex.status == 429 || ex.status >= 500)
    {
        let why = format!(
            "cannot compare: the {name} request was answered {}, which says nothing about \
             the account (retry when the endpoint answers, and below its rate limit)",
            ex.status_line()
        );
        return all(&|| CaseResult::of(vacuous(why.clone())));
    }
    let leaks: Vec<LeakLine> = [(UNKNOWN, &u), (WRONG_SECRET, &w)]
        .into_iter()
        .flat_map(|(name, ex)| {
            ctx.leak_lines(si, ex, &[])
                .into_iter()
                .map(move |l| LeakLine {
                    whose: Some(format!("the {name} answer")),
                    ..l
                })
        })
        .collect();
    let echo = Echo::of(&[&probe.unknown, &probe.wrong_secret], &ctx.suites[si].vars);
    let pair = Pair {
        ctx,
        probe,
        role: probe
            .role
            .map(|id| ctx.suites[si].suite.role(id).name.as_str()),
        u: Answer {
            name: UNKNOWN,
            body: echo.normalised(&u.body),
            ex: u,
        },
        w: Answer {
            name: WRONG_SECRET,
            body: echo.normalised(&w.body),
            ex: w,
        },
    };
    let mut out = Vec::new();
    for &case in cases {
        let r = match case {
            EnumerationCase::SameStatus => same_status(&pair),
            EnumerationCase::SameBody => same_body(&pair),
            EnumerationCase::SameHeaders => same_headers(&pair, &echo),
            EnumerationCase::Timing => timing::run(ctx, si, probe).await,
        };
        out.push((case, r));
    }
    // The answers' leaks go with the first selected case, as a probe's control's do.
    if let Some((_, first)) = out.first_mut() {
        let taken = std::mem::replace(first, CaseResult::of(Outcome::Pass));
        *first = taken.with_leaks("the enumeration requests", &leaks);
    }
    out
}

/// What a finding of the probe is made from: the two answers and who asked.
struct Pair<'a> {
    ctx: &'a Context,
    probe: &'a EnumerationProbe,
    role: Option<&'a str>,
    u: Answer,
    w: Answer,
}

impl Pair<'_> {
    /// Both answers (status and excerpt, redacted), then `more`.
    fn evidence(&self, expected: &str, more: Vec<Problem>) -> Evidence {
        Evidence {
            request: Some(RequestInfo::new(&self.probe.unknown.line(), self.role)),
            problems: [self.u.line(self.ctx), self.w.line(self.ctx)]
                .into_iter()
                .map(Problem::Text)
                .chain(more)
                .collect(),
            expected: Some(expected.to_string()),
            ..Evidence::default()
        }
    }
}

fn same_status(p: &Pair<'_>) -> CaseResult {
    let (u, w) = (&p.u, &p.w);
    if u.ex.status == w.ex.status {
        return CaseResult::of(Outcome::Pass);
    }
    CaseResult::of(failure(
        format!(
            "an unknown account is answered {}, a wrong secret {}: the status tells \
             whether an account exists",
            u.ex.status_line(),
            w.ex.status_line()
        ),
        p.evidence("the same status for both", Vec::new()),
    ))
}

fn same_body(p: &Pair<'_>) -> CaseResult {
    let (u, w) = (&p.u, &p.w);
    if let Some(limit) = u.ex.truncated.or(w.ex.truncated) {
        let why = format!("a body was cut at --max-body ({limit}): the bodies cannot be compared");
        return CaseResult::of(harness(why.clone(), HarnessError::request(why)));
    }
    if u.body == w.body {
        return CaseResult::of(Outcome::Pass);
    }
    let at = u
        .body
        .char_indices()
        .zip(w.body.chars())
        .find(|((_, a), b)| a != b)
        .map_or(u.body.len().min(w.body.len()), |((i, _), _)| i);
    let differs = |a: &Answer| {
        let shown = p.ctx.redactor.redact(&a.body);
        let at = at.min(shown.len());
        let at = (0..=at)
            .rev()
            .find(|i| shown.is_char_boundary(*i))
            .unwrap_or(0);
        format!(
            "{}, normalised: {}",
            a.name,
            excerpt::around(&shown, at, 80)
        )
    };
    CaseResult::of(failure(
        "an unknown account and a wrong secret get different bodies (inputs echoed back and \
         volatile values aside): the message tells whether an account exists",
        p.evidence(
            "the same body for both, once inputs echoed back and volatile values are normalised",
            vec![Problem::Text(differs(u)), Problem::Text(differs(w))],
        ),
    ))
}

fn same_headers(p: &Pair<'_>, echo: &Echo) -> CaseResult {
    let (u, w) = (&p.u, &p.w);
    let hu = echo.headers(&u.ex.headers);
    let hw = echo.headers(&w.ex.headers);
    if hu == hw {
        return CaseResult::of(Outcome::Pass);
    }
    let names: BTreeSet<&String> = hu.keys().chain(hw.keys()).collect();
    let shown = |h: &BTreeMap<String, BTreeSet<String>>, name: &str| match h.get(name) {
        None => "(absent)".to_string(),
        Some(v) => p
            .ctx
            .redactor
            .redact(&v.iter().cloned().collect::<Vec<_>>().join(", ")),
    };
    let differing: Vec<Problem> = names
        .into_iter()
        .filter(|n| hu.get(*n) != hw.get(*n))
        .map(|n| {
            Problem::Text(format!(
                "header {n}: {UNKNOWN} {} / {WRONG_SECRET} {}",
                shown(&hu, n),
                shown(&hw, n)
            ))
        })
        .collect();
    let first = match differing.first() {
        Some(Problem::Text(t)) => t.clone(),
        _ => String::new(),
    };
    CaseResult::of(failure(
        format!(
            "an unknown account and a wrong secret get different headers ({first}): they \
             tell whether an account exists"
        ),
        p.evidence(
            "the same headers for both (Date, Content-Length, request ids, cookie values, \
             ETag and timing headers aside)",
            differing,
        ),
    ))
}
