//! What a stub upstream answers: its routes, or, during a scenario that stages a fault,
//! the fault's answer (delayed, failing, a sequence, malformed, huge). Every request's
//! arrival time is logged, so a step can judge the backoff between a SUT's retries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use wiremock::{Request, Respond, ResponseTemplate};

use crate::model::{Body, FaultAnswer, Malformed, Route, UpstreamFault};

/// Shared between the mock server's responder and the run.
#[derive(Default)]
pub struct StubState {
    fault: Mutex<Option<UpstreamFault>>,
    /// Requests answered since the fault was staged (for `sequence`).
    served: AtomicUsize,
    arrivals: Mutex<Vec<Instant>>,
}

impl StubState {
    /// Stages `fault` (or none) for the requests from now on.
    pub fn stage(&self, fault: Option<UpstreamFault>) {
        if let Ok(mut f) = self.fault.lock() {
            *f = fault;
        }
        self.served.store(0, Ordering::SeqCst);
    }

    pub fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().map(|a| a.clone()).unwrap_or_default()
    }
}

pub struct Stub {
    pub routes: Vec<Route>,
    pub state: Arc<StubState>,
}

impl Respond for Stub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if let Ok(mut a) = self.state.arrivals.lock() {
            a.push(Instant::now());
        }
        let route = self.routes.iter().find(|r| matches(r, request));
        let fault = self.state.fault.lock().ok().and_then(|f| f.clone());
        let served = self.state.served.fetch_add(1, Ordering::SeqCst);
        let usual = || route.map_or_else(not_found, usual);
        // No connection outlives its answer: a SUT's pooled connection must not carry a
        // request past a switch of certificate or fault.
        let template = match fault {
            None | Some(UpstreamFault::Reset | UpstreamFault::SlowBody(_)) => usual(),
            Some(UpstreamFault::Delay(d)) => usual().set_delay(d),
            Some(UpstreamFault::Respond(a)) => answer(&a, route),
            Some(UpstreamFault::Sequence(s)) => match s.get(served) {
                Some(a) => answer(a, route),
                None => usual(),
            },
            Some(UpstreamFault::Malformed(kind)) => malformed(kind, route),
            Some(UpstreamFault::HugeBody(n)) => huge(n),
        };
        template.insert_header("connection", "close")
    }
}

fn matches(route: &Route, r: &Request) -> bool {
    r.method.as_str().eq_ignore_ascii_case(&route.method)
        && r.url.path() == route.path
        && route
            .query
            .iter()
            .all(|(k, v)| r.url.query_pairs().any(|(qk, qv)| qk == *k && qv == *v))
}

fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404)
}

fn with_body(mut t: ResponseTemplate, body: Option<&Body>) -> ResponseTemplate {
    t = match body {
        Some(Body::Json(j)) => t.set_body_json(j),
        Some(Body::Text(s)) => t.set_body_string(s.clone()),
        // Stubs answer JSON or text only; the loader never makes a form answer.
        Some(Body::Form(_)) | None => t,
    };
    t
}

fn usual(route: &Route) -> ResponseTemplate {
    let mut t = ResponseTemplate::new(route.status);
    for (k, v) in &route.headers {
        t = t.insert_header(k.as_str(), v.as_str());
    }
    with_body(t, route.body.as_ref())
}

/// A fault's answer; without a body of its own, the route's (for the route's status) or
/// a small JSON error naming the status.
fn answer(a: &FaultAnswer, route: Option<&Route>) -> ResponseTemplate {
    let mut t = ResponseTemplate::new(a.status);
    for (k, v) in &a.headers {
        t = t.insert_header(k.as_str(), v.as_str());
    }
    match (&a.body, route) {
        (Some(b), _) => with_body(t, Some(b)),
        (None, Some(r)) if r.status == a.status => {
            for (k, v) in &r.headers {
                t = t.insert_header(k.as_str(), v.as_str());
            }
            with_body(t, r.body.as_ref())
        }
        (None, _) => {
            t.set_body_json(serde_json::json!({ "error": format!("status {}", a.status) }))
        }
    }
}

fn malformed(kind: Malformed, route: Option<&Route>) -> ResponseTemplate {
    let body = match kind {
        Malformed::Truncated => {
            let whole = match route.and_then(|r| r.body.as_ref()) {
                Some(Body::Json(j)) => j.to_string(),
                Some(Body::Text(t)) => t.clone(),
                Some(Body::Form(_)) | None => r#"{"id":"ch_1","status":"succeeded"}"#.to_string(),
            };
            let mut cut = whole.len() / 2;
            while !whole.is_char_boundary(cut) {
                cut -= 1;
            }
            whole[..cut].to_string()
        }
        Malformed::NotJson => "<html><body><h1>502 Bad Gateway</h1></body></html>".to_string(),
    };
    let status = route.map_or(200, |r| r.status);
    ResponseTemplate::new(status).set_body_raw(body.into_bytes(), "application/json")
}

/// `{"data":"xxxx…"}` of `n` bytes (at least the wrapper's).
fn huge(n: u64) -> ResponseTemplate {
    let wrapper = r#"{"data":""}"#.len();
    let fill = usize::try_from(n)
        .unwrap_or(usize::MAX)
        .saturating_sub(wrapper);
    let mut body = Vec::with_capacity(fill + wrapper);
    body.extend_from_slice(br#"{"data":""#);
    body.resize(body.len() + fill, b'x');
    body.extend_from_slice(br#""}"#);
    ResponseTemplate::new(200).set_body_raw(body, "application/json")
}
