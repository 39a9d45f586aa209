//! Host-wide findings: what a server-scope detector (a version banner) says about the
//! server rather than one response. Every scan records its hits here per origin
//! (scheme://host:port of the request URL); after every other check the run reports one
//! check per (origin, detector) that saw anything, with how many responses showed it and
//! one example request. An origin without a hit gets no check at all: a pass would only
//! say a detector ran, which the suite already says. No other check fails for these.

use std::sync::Mutex;
use std::time::Duration;

use crate::engine::request::http::Exchange;
use crate::model::Suite;
use crate::results::{
    CheckResult, Evidence, Finding, FindingKind, LeakLine, Outcome, RequestInfo, Severity,
};

/// The hits of a run, per (origin, detector).
#[derive(Default)]
pub struct HostWide {
    hits: Mutex<Vec<Hit>>,
}

struct Hit {
    origin: String,
    /// `host:port`, as the check is named.
    host: String,
    /// The origin's parts, to find the hit by.
    scheme: String,
    name: String,
    port: u16,
    detector: &'static str,
    /// Distinct leaks seen (by what and excerpt), in the order first seen.
    leaks: Vec<LeakLine>,
    responses: usize,
    /// The example: the least (suite, request line) that showed it, so a concurrent run
    /// names the same one every time.
    example: (usize, String),
}

impl HostWide {
    /// Records the server-scope `leaks` of one response of suite `si`.
    pub fn record(&self, si: usize, ex: &Exchange, leaks: Vec<LeakLine>) {
        if leaks.is_empty() {
            return;
        }
        // Compared by its parts: every response of a run with a banner comes here, and
        // the origin's text is only written for its first.
        let scheme = ex.url.scheme();
        let name = ex.url.host_str().unwrap_or_default();
        let port = ex.url.port_or_known_default().unwrap_or_default();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let mut counted: Vec<&'static str> = Vec::new();
        for leak in leaks {
            let i = match hits.iter().position(|h| {
                h.detector == leak.detector
                    && h.port == port
                    && h.name == name
                    && h.scheme == scheme
            }) {
                Some(i) => i,
                None => {
                    let host = format!("{name}:{port}");
                    hits.push(Hit {
                        origin: format!("{scheme}://{host}"),
                        host,
                        scheme: scheme.to_string(),
                        name: name.to_string(),
                        port,
                        detector: leak.detector,
                        leaks: Vec::new(),
                        responses: 0,
                        example: (si, ex.request_line.clone()),
                    });
                    hits.len() - 1
                }
            };
            let hit = &mut hits[i];
            // A response with two banners (`Server` and `X-Powered-By`) counts once.
            if !counted.contains(&leak.detector) {
                counted.push(leak.detector);
                hit.responses += 1;
            }
            if (si, ex.request_line.as_str()) < (hit.example.0, hit.example.1.as_str()) {
                hit.example = (si, ex.request_line.clone());
            }
            if !hit
                .leaks
                .iter()
                .any(|l| l.what == leak.what && l.excerpt == leak.excerpt)
            {
                hit.leaks.push(leak);
            }
        }
    }

    /// One failing check per (origin, detector) that saw anything, in origin then detector
    /// order; `suites` gives each the suite of its example response.
    pub fn results(&self, suites: &[&Suite]) -> Vec<CheckResult> {
        let mut hits = std::mem::take(&mut *self.hits.lock().unwrap_or_else(|e| e.into_inner()));
        hits.sort_by(|a, b| (&a.origin, a.detector).cmp(&(&b.origin, b.detector)));
        hits.into_iter()
            .filter_map(|h| {
                let suite = suites.get(h.example.0)?;
                Some(check(suite, h))
            })
            .collect()
    }
}

fn check(suite: &Suite, h: Hit) -> CheckResult {
    let first = &h.leaks[0];
    let responses = match h.responses {
        1 => "1 response".to_string(),
        n => format!("{n} responses"),
    };
    let shown: Vec<String> = h
        .leaks
        .iter()
        .map(|l| format!("{} ({})", l.what, l.excerpt))
        .collect();
    let message = format!(
        "the server at {} discloses {} on {responses}",
        h.host,
        shown.join(", ")
    );
    let evidence = Evidence {
        notes: vec![match h.responses {
            1 => format!("1 response from {} showed it, the one below", h.origin),
            _ => format!(
                "{responses} from {} showed it, among them the one below",
                h.origin
            ),
        }],
        request: Some(RequestInfo::new(&h.example.1, None)),
        leaks: h.leaks.clone(),
        ..Evidence::default()
    };
    let finding = Finding {
        kind: FindingKind::Leak,
        rule: first.rule.clone(),
        cwe: vec![first.cwe],
        owasp: Some(first.owasp),
        severity: Severity::Medium,
        message,
        evidence: Box::new(evidence),
    };
    CheckResult {
        id: format!("{}#leakage[{}].{}", suite.file, h.host, h.detector),
        suite: suite.name.as_str().into(),
        file: suite.file.clone(),
        name: format!("leakage {}: {}", h.host, h.detector),
        outcome: Outcome::Fail(finding),
        duration: Duration::ZERO,
        warnings: Vec::new(),
        info: Vec::new(),
        waived: None,
    }
}
