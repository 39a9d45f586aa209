//! What a finding or an error shows as proof: the request, what was expected, what came
//! back, where the suite asked for it and what leaked, as fields. `lines()` is the one
//! rendering every reporter prints, in one canonical order.

use std::fmt;

use super::finding::RuleId;
use crate::model::Location;

/// The fields behind a detail block. Every field is optional: a check shows what it has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Free lines shown first: why a deny proves nothing, how the SUT exited, which log.
    pub notes: Vec<String>,
    pub request: Option<RequestInfo>,
    /// The `  - ` list: every expectation that did not hold, in the order checked.
    pub problems: Vec<Problem>,
    pub expected: Option<String>,
    pub actual: Option<Actual>,
    /// The suite entry that made the check.
    pub location: Option<Location>,
    /// Where the evidence itself sits (a line of a log, a file of the SUT), when known.
    pub evidence_location: Option<Location>,
    /// What the reader might check first (`Is the secret the one the receiver uses?`),
    /// after the locations: advice, not evidence.
    pub hint: Option<String>,
    /// Leaks in the response, listed after everything else.
    pub leaks: Vec<LeakLine>,
}

/// The request a check made, as the report names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestInfo {
    pub method: String,
    /// The URL sent, or the suite's path when the request could not be built.
    pub url: String,
    /// The role it was sent as.
    pub role: Option<String>,
}

/// What came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actual {
    /// `403 Forbidden`.
    pub status: String,
    /// The start of the redacted body.
    pub excerpt: Option<String>,
    /// Response headers that bear on the finding (lower-case names), shown as a
    /// `headers:` block under the status.
    pub headers: Vec<(String, String)>,
}

/// One expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A mismatch, said in a line (`status: expected 200, got 201`).
    Text(String),
    /// A leak in the response, shown as `leak: …`.
    Leak(LeakLine),
}

/// One leak: the detector that found it, the rule it breaks and a redacted excerpt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeakLine {
    /// `stack_trace`, `secret_canary`.
    pub detector: &'static str,
    /// `leak.stack_trace`.
    pub rule: RuleId,
    pub cwe: u16,
    pub owasp: &'static str,
    /// `Java stack trace`.
    pub what: String,
    /// Redacted and shortened.
    pub excerpt: String,
    /// Whose response it was when not the check's own (`reader's proof GET …`).
    pub whose: Option<String>,
}

impl RequestInfo {
    pub fn new(line: &str, role: Option<&str>) -> Self {
        let (method, url) = line.split_once(' ').unwrap_or((line, ""));
        Self {
            method: method.to_string(),
            url: url.to_string(),
            role: role.map(str::to_string),
        }
    }
}

impl fmt::Display for RequestInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.url)?;
        match &self.role {
            Some(role) => write!(f, " (as {role})"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for LeakLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, CWE-{}, OWASP {}): {}",
            self.what, self.detector, self.cwe, self.owasp, self.excerpt
        )?;
        match &self.whose {
            Some(whose) => write!(f, " (in the response to {whose})"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Text(text) => f.write_str(text),
            Problem::Leak(leak) => write!(f, "leak: {leak}"),
        }
    }
}

impl Evidence {
    pub fn at(location: &Location) -> Self {
        Self {
            location: Some(location.clone()),
            ..Self::default()
        }
    }

    /// The detail block: notes, `request:`, problems, `expected:`, `got:`, `body:`,
    /// `headers:`, `--> location`, `evidence:`, the hint, `leaks:`.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.notes.clone();
        if let Some(r) = &self.request {
            out.push(format!("request:  {r}"));
        }
        out.extend(self.problems.iter().map(|p| format!("  - {p}")));
        if let Some(e) = &self.expected {
            out.push(format!("expected: {e}"));
        }
        if let Some(a) = &self.actual {
            out.push(format!("got:      {}", a.status));
            if let Some(body) = &a.excerpt {
                out.push(format!("body:     {body}"));
            }
            if !a.headers.is_empty() {
                out.push("headers:".into());
                out.extend(a.headers.iter().map(|(k, v)| format!("  {k}: {v}")));
            }
        }
        if let Some(l) = &self.location {
            out.push(format!("--> {l}"));
        }
        if let Some(l) = &self.evidence_location {
            out.push(format!("evidence: {l}"));
        }
        out.extend(self.hint.clone());
        if !self.leaks.is_empty() {
            out.push("leaks:".into());
            out.extend(self.leaks.iter().map(|l| format!("  - {l}")));
        }
        out
    }

    /// `lines()` as one text.
    pub fn text(&self) -> String {
        self.lines().join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_canonical_order() {
        let e = Evidence {
            notes: vec!["why".into()],
            request: Some(RequestInfo::new("GET http://h/x", Some("reader"))),
            problems: vec![Problem::Text("status: expected 200, got 201".into())],
            expected: None,
            actual: Some(Actual {
                status: "201 Created".into(),
                excerpt: Some("{}".into()),
                headers: vec![("server".into(), "nginx".into())],
            }),
            location: Some(Location {
                file: "s.yaml".into(),
                line: 3,
                column: 5,
            }),
            evidence_location: None,
            hint: Some("Is the secret right?".into()),
            leaks: Vec::new(),
        };
        assert_eq!(
            e.text(),
            "why\nrequest:  GET http://h/x (as reader)\n  - status: expected 200, got 201\n\
             got:      201 Created\nbody:     {}\nheaders:\n  server: nginx\n--> s.yaml:3:5\n\
             Is the secret right?"
        );
    }
}
