//! Scans every response a check receives with the suite's leak detectors and the secret
//! canaries (every credential of the run, in any encoding), and turns what they find
//! into leak lines with redacted evidence. The scan needs the whole body: on a body cut
//! at `--max-body` a leak in what was read is still a finding, but finding none proves
//! nothing, and is said so.

use crate::engine::request::context::Context;
use crate::engine::request::excerpt;
use crate::engine::request::http::Exchange;
use crate::leak::{Leak, Response, Scope, detectors};
use crate::results::{HarnessError, LeakLine, RuleId};

pub const CANARY: &str = "secret_canary";

/// Every detector id a suite may name in `leakage: { ignore: […] }`.
pub fn detector_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = detectors::all().iter().map(|d| d.id()).collect();
    ids.push(CANARY);
    ids
}

impl Context {
    /// Whether the leak scan of `ex` saw only part of its body (a body beyond
    /// `--max-body`, in a suite whose leak scan is on).
    pub fn scan_is_partial(&self, si: usize, ex: &Exchange) -> bool {
        ex.truncated.is_some() && self.suites[si].suite.leakage.enabled
    }

    /// `ex`, for a probe to judge. A probe reads each response's leaks through `leaks`,
    /// so a cut body whose part read leaks nothing is an error here, before the probe
    /// could take it for clean; one that leaks is passed on, and the probe reports the
    /// leak (a finding however much was read).
    pub fn scannable(&self, si: usize, ex: Exchange) -> Result<Exchange, HarnessError> {
        // Not recorded: the probe scans `ex` again, and a response counts once.
        if self.scan_is_partial(si, &ex) && self.scan(si, &ex, &[], false).is_empty() {
            return Err(too_large(&ex, &["the leak scan"]));
        }
        Ok(ex)
    }

    /// Every leak in `ex` that is the check's own, as data. `delivered` are values the
    /// response deliberately delivers (a key the API issues): those are not
    /// well-known-format findings. What server-scope detectors find (a version banner) is
    /// recorded for its origin's own check instead (`host_wide.rs`), never returned here.
    pub fn leak_lines(&self, si: usize, ex: &Exchange, delivered: &[String]) -> Vec<LeakLine> {
        self.scan(si, ex, delivered, true)
    }

    /// `leak_lines`, recording server-scope hits only when `record` (once per response).
    fn scan(&self, si: usize, ex: &Exchange, delivered: &[String], record: bool) -> Vec<LeakLine> {
        let settings = &self.suites[si].suite.leakage;
        if !settings.enabled {
            return Vec::new();
        }
        let secrets = self.redactor.raw_values();
        let with_delivered: Vec<String>;
        let run_secrets: &[String] = if delivered.is_empty() {
            &secrets
        } else {
            with_delivered = secrets.iter().chain(delivered).cloned().collect();
            &with_delivered
        };
        let own_hosts: Vec<String> = [ex.url.host_str(), self.suites[si].base_host.as_deref()]
            .into_iter()
            .flatten()
            .map(str::to_string)
            .collect();
        let response = Response {
            headers: &ex.headers,
            body: &ex.body,
            run_secrets,
            own_hosts: &own_hosts,
        };
        let mut found: Vec<Leak> = Vec::new();
        let mut server_wide: Vec<Leak> = Vec::new();
        for d in self.detectors.iter().filter(|d| settings.runs(d.id())) {
            match d.scope() {
                Scope::Response => found.extend(d.scan(&response)),
                Scope::Server if record => server_wide.extend(d.scan(&response)),
                Scope::Server => {}
            }
        }
        if !server_wide.is_empty() {
            let lines = server_wide.into_iter().map(|l| self.line(l)).collect();
            self.host_wide.record(si, ex, lines);
        }
        if settings.runs(CANARY) {
            // Headers and body apart: the body is not copied to be read once more.
            let mut headers =
                String::with_capacity(ex.headers.iter().map(|(k, v)| k.len() + v.len() + 3).sum());
            for (k, v) in &ex.headers {
                headers.extend([k.as_str(), ": ", v.as_str(), "\n"]);
            }
            let mut labels = self.redactor.occurrences(&headers);
            for label in self.redactor.occurrences(&ex.body) {
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
            for label in labels {
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
        found.into_iter().map(|l| self.line(l)).collect()
    }

    /// `l` as a report line, its evidence redacted and cut short.
    fn line(&self, l: Leak) -> LeakLine {
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
    }
}

/// The error of a check that could not judge `ex`, cut at `--max-body`: `needs` are what
/// needed all of it (`the leak scan`, `` `json` ``).
pub fn too_large(ex: &Exchange, needs: &[&str]) -> HarnessError {
    HarnessError::BodyTooLarge {
        request: ex.request_line.clone(),
        limit: ex.truncated.unwrap_or_default(),
        needs: and_list(needs),
    }
}

/// A note for a finding on a cut body: what it could not check beyond the cut.
pub fn cut_note(ex: &Exchange, needs: &[&str]) -> Option<String> {
    let limit = ex.truncated?;
    (!needs.is_empty()).then(|| {
        let (list, were) = (
            and_list(needs),
            if needs.len() > 1 { "were" } else { "was" },
        );
        format!(
            "the body is larger than --max-body ({limit}); only its first {limit} was read, \
             so {list} {were} not judged in full"
        )
    })
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::and_list;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(&["the leak scan"]), "the leak scan");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
