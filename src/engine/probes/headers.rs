//! Runs probe `headers` (cases: `model::HeadersCase`): each request with a selected case
//! is sent once, as the role, with an `Origin` of a site that is not the API's, and its
//! response judged per case. `*` on a credentialed endpoint is a warning, not a failure:
//! browsers send no bearer token cross-origin by themselves.

use super::{CaseResult, failure, harness, seen};
use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::{Credential, HeadersCase, HeadersProbe};
use crate::results::{Evidence, LeakLine, Outcome, RequestInfo};

const PROBE_ORIGIN: &str = "https://authspec-probe.invalid";
const TOKEN_FIELDS: [&str; 6] = [
    "\"access_token\"",
    "\"refresh_token\"",
    "\"id_token\"",
    "\"api_key\"",
    "\"client_secret\"",
    "\"session",
];

/// The selected `(request, case)` pairs; a request is sent once, and only when one of its
/// cases is selected.
pub async fn run(
    ctx: &Context,
    si: usize,
    probe: &HeadersProbe,
    cases: &[(usize, HeadersCase)],
) -> Vec<((usize, HeadersCase), CaseResult)> {
    let credentialed = !matches!(
        ctx.suites[si].suite.role(probe.role).credential,
        Credential::None
    );
    let mut out = Vec::new();
    for (ri, request) in probe.requests.iter().enumerate() {
        let wanted: Vec<HeadersCase> = cases
            .iter()
            .filter(|(r, _)| *r == ri)
            .map(|(_, c)| *c)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        match ctx
            .send_with(si, probe.role, request, ("Origin", PROBE_ORIGIN))
            .await
        {
            Err(e) => {
                for case in wanted {
                    out.push((
                        (ri, case),
                        CaseResult::of(harness(
                            format!("the request could not be made: {e}"),
                            e.clone(),
                        )),
                    ));
                }
            }
            Ok(ex) => {
                let carries_token = TOKEN_FIELDS.iter().any(|f| ex.body.contains(f))
                    || !ctx.redactor.occurrences(&ex.body).is_empty();
                // The response is scanned like every other; a leak fails the first selected
                // case, whose own verdict is kept in the message.
                let leaks = ctx.leak_lines(si, &ex, &[]);
                for (i, case) in wanted.into_iter().enumerate() {
                    let result = match case {
                        HeadersCase::Nosniff => nosniff(&ex),
                        HeadersCase::Framing => framing(&ex),
                        HeadersCase::NoStoreWithTokens => no_store(&ex, carries_token),
                        HeadersCase::Cors => cors(&ex, credentialed),
                    };
                    let result = match i {
                        0 => with_leaks(result, case, &ex, &leaks),
                        _ => result,
                    };
                    out.push(((ri, case), result));
                }
            }
        }
    }
    out
}

/// `result` failed by the response's leaks, if any, its own verdict kept in the message.
fn with_leaks(
    result: CaseResult,
    case: HeadersCase,
    ex: &Exchange,
    leaks: &[LeakLine],
) -> CaseResult {
    let Some(leak) = leaks.first() else {
        return result;
    };
    let verdict = match &result.outcome {
        Outcome::Pass if case == HeadersCase::Nosniff => "nosniff is set".to_string(),
        Outcome::Pass => format!("{} passes", case.name()),
        Outcome::Fail(f) => f.message.clone(),
        Outcome::Error(e) => e.message.clone(),
        Outcome::Skipped(r) => r.clone(),
    };
    CaseResult {
        outcome: failure(
            format!("{verdict}; and the response leaks {leak}"),
            Evidence {
                request: Some(RequestInfo::new(&ex.request_line, None)),
                leaks: leaks.to_vec(),
                ..Evidence::default()
            },
        ),
        ..result
    }
}

/// A failed case: the request, what was expected, and the status with every response
/// header, the evidence a reader checks first.
fn fail(ex: &Exchange, message: String, expected: &str) -> CaseResult {
    let mut evidence = seen(ex, expected);
    if let Some(actual) = &mut evidence.actual {
        actual.headers = ex.headers.clone();
    }
    CaseResult::of(failure(message, evidence))
}

fn nosniff(ex: &Exchange) -> CaseResult {
    match ex.header("x-content-type-options") {
        Some(v) if v.trim().eq_ignore_ascii_case("nosniff") => CaseResult::of(Outcome::Pass),
        other => fail(
            ex,
            format!("X-Content-Type-Options is {}", shown(other)),
            "X-Content-Type-Options: nosniff",
        ),
    }
}

fn framing(ex: &Exchange) -> CaseResult {
    let xfo = ex
        .header("x-frame-options")
        .map(|v| v.trim().to_ascii_uppercase());
    let csp = ex
        .header("content-security-policy")
        .is_some_and(|v| v.contains("frame-ancestors"));
    if csp || matches!(xfo.as_deref(), Some("DENY" | "SAMEORIGIN")) {
        CaseResult::of(Outcome::Pass)
    } else {
        fail(
            ex,
            format!(
                "no framing protection (X-Frame-Options is {})",
                shown(xfo.as_deref())
            ),
            "X-Frame-Options: DENY or SAMEORIGIN, or CSP frame-ancestors",
        )
    }
}

fn no_store(ex: &Exchange, carries_token: bool) -> CaseResult {
    if !carries_token {
        let mut r = CaseResult::of(Outcome::Pass);
        r.info.push("no token in this response".into());
        return r;
    }
    match ex.header("cache-control") {
        Some(v) if v.to_ascii_lowercase().contains("no-store") => CaseResult::of(Outcome::Pass),
        other => fail(
            ex,
            format!(
                "a response carrying a token has Cache-Control {}",
                shown(other)
            ),
            "Cache-Control: no-store",
        ),
    }
}

fn cors(ex: &Exchange, credentialed: bool) -> CaseResult {
    let origin = ex.header("access-control-allow-origin").map(str::trim);
    let with_credentials = ex
        .header("access-control-allow-credentials")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    match origin {
        Some(o) if o == PROBE_ORIGIN && with_credentials => fail(
            ex,
            "any Origin is reflected with Access-Control-Allow-Credentials: true: every website can read this response with the user's credentials".into(),
            "an allow-list of origins",
        ),
        // "Credentialed" in the CORS sense: cookies or HTTP auth, announced by
        // Access-Control-Allow-Credentials.
        Some("*") if with_credentials => fail(
            ex,
            "a wildcard origin together with Access-Control-Allow-Credentials: true".into(),
            "an allow-list of origins",
        ),
        // Browsers attach no bearer token or API key to a cross-origin request on their
        // own, so `*` alone exposes nothing credentialed; say so, do not fail.
        Some("*") if credentialed => {
            let mut r = CaseResult::of(Outcome::Pass);
            r.warnings.push("any origin may read this response (`*`); fine for bearer tokens, not for cookies".into());
            r
        }
        Some(o) if o == PROBE_ORIGIN => {
            let mut r = CaseResult::of(Outcome::Pass);
            r.warnings.push("any Origin is reflected (without credentials)".into());
            r
        }
        _ => CaseResult::of(Outcome::Pass),
    }
}

fn shown(v: Option<&str>) -> String {
    v.map_or_else(|| "absent".to_string(), |v| format!("`{v}`"))
}
