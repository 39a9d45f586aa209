//! Runs probe `rate_limit` (case: `model::RateLimitCase`): a burst of requests from one
//! role, or with no credential, must be answered with 429 Too Many Requests, early enough, with a valid
//! `Retry-After`. The burst is bounded in count (`burst`) and in time (`MAX_DURATION`).

use std::time::{Duration, Instant};

use futures::stream::{FuturesUnordered, StreamExt};

use super::{CaseResult, failure, harness};
use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::RateLimitProbe;
use crate::model::template::Vars;
use crate::results::{CheckError, ErrorKind, Evidence, HarnessError, Outcome, RequestInfo};

const MAX_DURATION: Duration = Duration::from_secs(60);
/// Requests in flight at once: a real burst, not one request per round trip, yet few
/// enough that a small server is not knocked over.
const IN_FLIGHT: usize = 8;

pub async fn run(ctx: &Context, si: usize, probe: &RateLimitProbe) -> CaseResult {
    let started = Instant::now();
    let vars = Vars::new();
    let send = || async {
        let ex = ctx
            .exchange_as(si, probe.role, &probe.request, &vars)
            .await?;
        ctx.scannable(si, ex)
    };
    let failed = |n: u32, e: HarnessError| {
        CaseResult::of(harness(
            format!("request {n} of the burst could not be made: {e}"),
            e,
        ))
    };
    // Positive control. A role's first request must be accepted: refused, every later
    // answer says more about its credential than about limiting. A burst with no
    // credential (a login with a wrong password) is refused by design, and a 429 tells
    // limiting apart; only a first 429 leaves nothing to count.
    let first = match send().await {
        Ok(ex) => ex,
        Err(e) => return failed(1, e),
    };
    let mut leaks = ctx.leak_lines(si, &first, &[]);
    // Without a role, a refusal (401, 403, 400, 422) is the endpoint judging the
    // request: a server error or "no such route" is not, and counting those as let
    // through would fail a limiter that never saw the burst.
    let control = match probe.role {
        Some(_) => (200..300).contains(&first.status),
        None => first.status != 429 && !unjudged(first.status),
    };
    if !control {
        let why = match probe.role {
            Some(_) => "not a 2xx: a burst of refused requests says nothing about rate limiting",
            None if first.status == 429 => {
                "before the burst began: an endpoint limited already says nothing about when it starts limiting"
            }
            None => "a server error or no such route: the endpoint did not judge the request",
        };
        let message = format!("the first request of the burst got {}, {why}", first.status);
        return unjudged_answer(&first, message);
    }
    let mut sent = 1u32;
    let mut done = 1u32;
    let mut passed = 1u32;
    let mut limited: Option<(u32, Option<String>)> = None;
    let mut in_flight = FuturesUnordered::new();
    loop {
        while limited.is_none()
            && sent < probe.burst
            && in_flight.len() < IN_FLIGHT
            && started.elapsed() < MAX_DURATION
        {
            sent += 1;
            in_flight.push(send());
        }
        let Some(answer) = in_flight.next().await else {
            break;
        };
        let ex: Exchange = match answer {
            Ok(ex) => ex,
            Err(e) => return failed(done + 1, e),
        };
        done += 1;
        if ex.status >= 500 {
            // The server failed under the burst: what it let through is not known.
            let message = format!(
                "request {done} of the burst got {}: a server error says nothing about rate \
                 limiting",
                ex.status_line()
            );
            return unjudged_answer(&ex, message);
        }
        if ex.status != 429 {
            passed += 1;
        } else if limited.is_none() {
            leaks.extend(ctx.leak_lines(si, &ex, &[]));
            limited = Some((0, ex.header("retry-after").map(str::to_string)));
        }
    }
    // Answers arrive out of order; the requests the server let through before limiting
    // are counted instead (in flight ones included), which does not depend on timing.
    let limited = limited.map(|(_, retry_after)| (passed + 1, retry_after));
    let sent = done;
    let elapsed = started.elapsed().as_secs_f64().max(0.001);
    let rate = format!(
        "{sent} requests in {elapsed:.2} s ({:.0} req/s)",
        f64::from(sent) / elapsed
    );
    let role = probe
        .role
        .map(|r| ctx.suites[si].suite.role(r).name.as_str());
    // The burst's request, why the answer falls short (`note`), and what leaked.
    let evidence = |note: &str| Evidence {
        notes: vec![note.to_string()],
        request: Some(RequestInfo::new(&probe.request.line(), role)),
        leaks: leaks.clone(),
        ..Evidence::default()
    };
    let (outcome, info) = match limited {
        None => {
            let why = if sent < probe.burst {
                " (stopped at the time bound)"
            } else {
                ""
            };
            let message =
                format!("no 429 after {sent} requests{why}: the endpoint is not rate limited");
            (failure(message, evidence(&rate)), rate)
        }
        Some((at, _)) if at > probe.expect_within => {
            let message = format!(
                "limiting began only at request {at}, expected by request {}",
                probe.expect_within
            );
            (
                failure(message, evidence(&rate)),
                format!("429 at request {at}; {rate}"),
            )
        }
        Some((at, retry_after)) => {
            let info = format!("429 at request {at}; {rate}");
            match retry_after {
                Some(v) if valid_retry_after(&v) => (Outcome::Pass, info),
                _ if !probe.retry_after_required => (Outcome::Pass, info),
                Some(v) => (
                    failure(
                        format!("429 at request {at}, but `Retry-After: {v}` is not valid"),
                        evidence("Retry-After is delay-seconds or an HTTP-date (RFC 9110 §10.2.3)"),
                    ),
                    info,
                ),
                None => (
                    failure(
                        format!("429 at request {at}, without a Retry-After header"),
                        evidence("clients cannot know when to retry; RFC 6585 §4"),
                    ),
                    info,
                ),
            }
        }
    };
    let outcome = match (outcome, leaks.first()) {
        (Outcome::Pass, Some(leak)) => failure(
            format!("the response leaks {leak}"),
            Evidence {
                leaks: leaks.clone(),
                ..Evidence::default()
            },
        ),
        (o, _) => o,
    };
    CaseResult {
        outcome,
        warnings: Vec::new(),
        info: vec![info],
    }
}

/// delay-seconds, or an IMF-fixdate such as `Wed, 21 Oct 2015 07:28:00 GMT`.
fn valid_retry_after(value: &str) -> bool {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let parts: Vec<&str> = v.split(' ').collect();
    matches!(parts.as_slice(), [day, dd, mon, yyyy, time, "GMT"]
        if day.len() == 4 && day.ends_with(',')
            && dd.len() == 2 && dd.bytes().all(|b| b.is_ascii_digit())
            && mon.len() == 3
            && yyyy.len() == 4 && yyyy.bytes().all(|b| b.is_ascii_digit())
            && time.len() == 8 && time.split(':').count() == 3)
}

/// The probe could not judge: `ex` is an answer that says nothing about limiting.
fn unjudged_answer(ex: &Exchange, message: String) -> CaseResult {
    CaseResult::of(Outcome::Error(CheckError::new(
        ErrorKind::Vacuous,
        message,
        Evidence {
            request: Some(RequestInfo::new(&ex.request_line, None)),
            ..Evidence::default()
        },
    )))
}

/// An answer that is not the endpoint judging the request: a server error, no such
/// route or method.
fn unjudged(status: u16) -> bool {
    status >= 500 || matches!(status, 404 | 405)
}

#[cfg(test)]
mod tests {
    use super::valid_retry_after;

    #[test]
    fn retry_after_forms() {
        for ok in ["30", "0", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            assert!(valid_retry_after(ok), "{ok}");
        }
        for bad in ["", "soon", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00"] {
            assert!(!valid_retry_after(bad), "{bad}");
        }
    }
}
