//! Scans every response a check receives with the suite's leak detectors and the secret
//! canaries (every credential of the run, in any encoding), and turns what they find
//! into leak lines with redacted evidence.

use crate::engine::request::context::Context;
use crate::engine::request::excerpt;
use crate::engine::request::http::Exchange;
use crate::leak::{Leak, Response, detectors};
use crate::results::{LeakLine, RuleId};

pub const CANARY: &str = "secret_canary";

/// Every detector id a suite may name in `leakage: { ignore: […] }`.
pub fn detector_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = detectors::all().iter().map(|d| d.id()).collect();
    ids.push(CANARY);
    ids
}

impl Context {
    /// Every leak in `ex`, as data. `delivered` are values the response deliberately
    /// delivers (a key the API issues): those are not well-known-format findings.
    pub fn leak_lines(&self, si: usize, ex: &Exchange, delivered: &[String]) -> Vec<LeakLine> {
        let settings = &self.suites[si].suite.leakage;
        if !settings.enabled {
            return Vec::new();
        }
        let mut run_secrets = self.redactor.raw_values();
        run_secrets.extend_from_slice(delivered);
        let base = reqwest::Url::parse(&self.suites[si].base_url).ok();
        let own_hosts: Vec<String> = [Some(&ex.url), base.as_ref()]
            .into_iter()
            .flatten()
            .filter_map(|u| u.host_str().map(str::to_string))
            .collect();
        let response = Response {
            headers: &ex.headers,
            body: &ex.body,
            run_secrets: &run_secrets,
            own_hosts: &own_hosts,
        };
        let mut found: Vec<Leak> = self
            .detectors
            .iter()
            .filter(|d| settings.runs(d.id()))
            .flat_map(|d| d.scan(&response))
            .collect();
        if settings.runs(CANARY) {
            let headers: String = ex
                .headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}\n"))
                .collect();
            let everything = format!("{headers}\n{}", ex.body);
            for label in self.redactor.occurrences(&everything) {
                // `upstreams.NAME.body`: what an upstream marked internal answered.
                let what = if label.starts_with("upstreams.") {
                    "an internal upstream's answer"
                } else {
                    "a credential of this run"
                };
                found.push(Leak {
                    detector: CANARY,
                    what: format!("{what} ({label})"),
                    evidence: crate::redact::marker(&label),
                    cwe: 200,
                    owasp: "API8:2023 Security Misconfiguration",
                });
            }
        }
        found
            .into_iter()
            .map(|l| {
                let shown = self.redactor.redact(&l.evidence);
                LeakLine {
                    detector: l.detector,
                    rule: RuleId::leak(l.detector),
                    cwe: l.cwe,
                    owasp: l.owasp,
                    what: l.what,
                    excerpt: excerpt::around(&shown, 0, 100),
                    whose: None,
                }
            })
            .collect()
    }
}
