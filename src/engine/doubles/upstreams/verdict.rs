//! Judges what the upstreams received: a step's `expect.upstream` assertions, whether
//! the SUT accepted a certificate (or plain HTTP) it must refuse, and, for the report,
//! whether it refused or never called at all.

use std::time::{Duration, Instant};

use wiremock::Request;

use super::server::Upstreams;
use crate::model::{Backoff, UpstreamExpectation, UpstreamHeader, UpstreamTls, credential_like};
use crate::redact::Redactor;
use crate::tls::Handshake;

fn line(r: &Request) -> String {
    format!("{} {}", r.method, r.url.path())
}

/// Retries with backoff: each gap between the upstream's requests at least 1.25 times the
/// one before, so that scheduling jitter cannot pass constant pauses off as growing ones
/// (exponential backoff doubles them). Fewer than three requests have no gaps to compare:
/// that proves nothing.
fn backoff_problem(name: &str, at: &[Instant]) -> Option<String> {
    let gaps: Vec<Duration> = at.windows(2).map(|w| w[1].duration_since(w[0])).collect();
    let shown = || {
        gaps.iter()
            .map(|g| format!("{} ms", g.as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if gaps.len() < 2 {
        return Some(format!(
            "upstream `{name}` received {} request(s): backoff needs at least 3 to compare the gaps between retries",
            at.len()
        ));
    }
    if gaps
        .windows(2)
        .all(|w| w[1].as_secs_f64() >= 1.25 * w[0].as_secs_f64())
    {
        return None;
    }
    Some(format!(
        "upstream `{name}` was retried without increasing backoff (each pause at least 1.25× the one before): the gaps between its requests were {}",
        shown()
    ))
}

/// The problems with what the upstreams received during one step.
pub fn expectations(
    expect: &[UpstreamExpectation],
    received: &[Vec<Request>],
    arrivals: &[Vec<Instant>],
    ups: &Upstreams,
    redactor: &Redactor,
) -> Vec<String> {
    let mut out = Vec::new();
    for e in expect {
        let name = ups.name(e.upstream);
        let got: &[Request] = received.get(e.upstream).map_or(&[], Vec::as_slice);
        if let Some(Backoff::Increasing) = e.backoff {
            let at = arrivals.get(e.upstream).map_or(&[][..], Vec::as_slice);
            out.extend(backoff_problem(name, at));
        }
        if let Some(count) = e.requests
            && !count.holds(got.len())
        {
            let n = count.described();
            let seen: Vec<String> = got.iter().map(line).collect();
            let seen = if seen.is_empty() {
                String::new()
            } else {
                format!(": {}", seen.join(", "))
            };
            out.push(format!(
                "upstream `{name}` received {} request(s), expected {n}{seen}",
                got.len()
            ));
        }
        let about_requests = e.request.is_some() || !e.headers.is_empty() || e.query_has_no_secret;
        if got.is_empty() && about_requests && e.requests.is_none_or(|c| c.min > 0) {
            out.push(format!(
                "upstream `{name}` received no request, so what it must receive cannot be shown"
            ));
        }
        for (k, r) in got.iter().enumerate() {
            let which = format!("request {} to `{name}` ({})", k + 1, line(r));
            if let Some((m, p)) = &e.request
                && (r.method.as_str() != m || r.url.path() != p)
            {
                out.push(format!("{which} is not `{m} {p}`"));
            }
            for h in &e.headers {
                if let Some(p) = header_problem(h, r) {
                    out.push(format!("{which} {p}"));
                }
            }
            if e.query_has_no_secret
                && let Some(q) = r.url.query()
            {
                let decoded: String = r
                    .url
                    .query_pairs()
                    .map(|(k, v)| format!("{k}={v}&"))
                    .collect();
                let mut found = redactor.occurrences(q);
                for label in redactor.occurrences(&decoded) {
                    if !found.contains(&label) {
                        found.push(label);
                    }
                }
                if !found.is_empty() {
                    out.push(format!(
                        "{which} carries a credential of the run in its query string ({}): keys belong in headers",
                        found.join(", ")
                    ));
                }
            }
        }
    }
    out
}

fn header_problem(rule: &UpstreamHeader, r: &Request) -> Option<String> {
    let value = |name: &str| {
        r.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    match rule {
        UpstreamHeader::Present(name) => value(name)
            .is_none()
            .then(|| format!("has no `{name}` header")),
        UpstreamHeader::Absent(name) => value(name)
            .is_some()
            .then(|| format!("carries `{name}`, which must be absent")),
        UpstreamHeader::Equals(name, want) => match value(name) {
            None => Some(format!("has no `{name}` header")),
            Some(got) if got == *want => None,
            Some(got) => {
                // A credential header's value is never shown, even when it differs.
                if credential_like(name) {
                    Some(format!(
                        "has a different `{name}` ({} characters, not shown)",
                        got.len()
                    ))
                } else {
                    Some(format!("has `{name}: {got}`, expected `{want}`"))
                }
            }
        },
    }
}

/// What upstreams with a bad certificate saw over a whole scenario.
#[derive(Default)]
pub struct Seen {
    pub requests: Vec<Vec<String>>,
    pub handshakes: Vec<Vec<Handshake>>,
}

impl Seen {
    pub fn add(&mut self, received: &[Vec<Request>], handshakes: Vec<Vec<Handshake>>) {
        self.requests.resize(received.len(), Vec::new());
        for (i, r) in received.iter().enumerate() {
            self.requests[i].extend(r.iter().map(line));
        }
        self.handshakes.resize(handshakes.len(), Vec::new());
        for (i, h) in handshakes.into_iter().enumerate() {
            self.handshakes[i].extend(h);
        }
    }
}

/// Problems: the SUT completed a request with an upstream that presented something it
/// must refuse, or sent its request in cleartext to a TLS upstream. Scenario-wide.
pub fn breaches(chosen: &[(usize, UpstreamTls)], seen: &Seen, ups: &Upstreams) -> Vec<String> {
    let mut out = Vec::new();
    for (i, tls) in chosen.iter().filter(|(_, t)| *t != UpstreamTls::Valid) {
        let name = ups.name(*i);
        let requests = seen.requests.get(*i).map_or(&[][..], Vec::as_slice);
        let hs = seen.handshakes.get(*i).map_or(&[][..], Vec::as_slice);
        if !requests.is_empty() {
            out.push(format!(
                "the SUT completed {} request(s) to `{name}` over {}: {} — it must refuse",
                requests.len(),
                tls.described(),
                requests.join(", ")
            ));
        }
        if hs.contains(&Handshake::PlainToTls) {
            out.push(format!(
                "when `{name}` presented {}, the SUT sent its request in plain HTTP instead (a downgrade: the request and its credentials travel unencrypted)",
                tls.described()
            ));
        }
    }
    out
}

/// For a scenario without breaches: per bad upstream, a note on how the SUT refused, or
/// `Err` when it never tried TLS with it (the scenario then shows nothing).
pub fn refusals(
    chosen: &[(usize, UpstreamTls)],
    seen: &Seen,
    ups: &Upstreams,
) -> Result<Vec<String>, Untried> {
    let mut notes = Vec::new();
    for (i, tls) in chosen.iter().filter(|(_, t)| *t != UpstreamTls::Valid) {
        let name = ups.name(*i);
        let hs = seen.handshakes.get(*i).map_or(&[][..], Vec::as_slice);
        let reasons: Vec<String> = hs
            .iter()
            .filter_map(|h| match h {
                Handshake::Aborted(why) => Some(why.clone()),
                Handshake::TlsToPlain => {
                    Some("it started TLS, got plain HTTP, and gave up".to_string())
                }
                // Some clients (Node.js) judge the certificate after the handshake.
                Handshake::Completed => {
                    Some("it completed the handshake, then closed without a request".to_string())
                }
                Handshake::PlainToTls | Handshake::NoAttempt | Handshake::Pending => None,
            })
            .collect();
        if let Some(first) = reasons.first() {
            notes.push(format!(
                "upstream `{name}` presented {}: the SUT refused it ({} connection(s): {first})",
                tls.described(),
                reasons.len()
            ));
            continue;
        }
        let why = if hs.contains(&Handshake::Pending) {
            "a connection never finished its handshake"
        } else if hs.contains(&Handshake::NoAttempt) {
            "it connected but never started TLS"
        } else {
            "it never called it"
        };
        return Err(Untried(format!(
            "upstream `{name}` presented {}, but the SUT never tried it ({why}): this scenario shows nothing about refusing it",
            tls.described()
        )));
    }
    Ok(notes)
}

/// A bad upstream the SUT never tried: the scenario proves nothing about refusing it.
#[derive(Debug)]
pub struct Untried(pub String);
