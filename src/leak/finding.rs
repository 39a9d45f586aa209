//! What a detector sees and what it reports.

/// One response, as a detector reads it.
pub struct Response<'a> {
    /// Lower-case names.
    pub headers: &'a [(String, String)],
    pub body: &'a str,
    /// Every credential and token of this run. They are reported by the canary detector;
    /// other detectors use this to avoid double reports (e.g. a JWT that is one of them).
    pub run_secrets: &'a [String],
    /// Hosts the run talks to (the target, the request's host): an API naming its own
    /// address in a self-link discloses nothing.
    pub own_hosts: &'a [String],
}

/// One leak found in a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    /// The detector's id, e.g. `stack_trace`.
    pub detector: &'static str,
    /// What was found, e.g. `Java stack trace`.
    pub what: String,
    /// The matched text (the engine redacts and shortens it before it leaves).
    pub evidence: String,
    pub cwe: u16,
    /// OWASP API Security Top 10 (2023) category, e.g. `API8:2023 Security Misconfiguration`.
    pub owasp: &'static str,
}

/// What a detector's finding is about: the one response, or the server behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A leak in this response (a stack trace in its body): it fails the check that
    /// received it.
    Response,
    /// A property of the whole server (a version banner it sends on every response): the
    /// engine reports it once per origin as its own check, and no other check fails for it.
    Server,
}

pub trait Detector: Send + Sync {
    /// Stable id, used by `leakage: { ignore: [id] }`.
    fn id(&self) -> &'static str;
    fn scan(&self, response: &Response<'_>) -> Vec<Leak>;
    /// What its findings judge; most detectors judge the response.
    fn scope(&self) -> Scope {
        Scope::Response
    }
}
