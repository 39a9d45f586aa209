//! The `--json` report's document: every result of a run with its typed fields, as plain
//! serializable data. Its JSON Schema is generated from these types (`authspec schema
//! results`), so the schema cannot drift from what is written. The SARIF and HTML
//! reports are written from the same document, so every report shows the same fields.
//! Built by `document::of`, which sanitizes and redacts every string it copies.

use schemars::JsonSchema;
use serde::Serialize;

use super::run::{Report, RunProblem};
use super::xml_text;
use crate::model::Location;
use crate::results::{
    Actual, CheckError, CheckResult, ErrorKind, Evidence, Finding, FindingKind, HarnessError,
    LeakLine, Outcome, Problem, RequestInfo, Severity, Summary, TransportKind,
};

/// Bumped when a field changes meaning or goes away; new fields do not bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// One run of authspec: its counts, every check's result, and why it stopped short.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RunDocument {
    /// The version of this document's shape (`1`).
    pub schema_version: u32,
    pub tool: Tool,
    pub summary: Counts,
    /// Every reported check, in plan order.
    pub results: Vec<ResultEntry>,
    /// Why the run did not run (or finish) every check: an invalid suite or command line,
    /// a signal, a harness failure.
    pub problems: Vec<RunProblemEntry>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Tool {
    /// `authspec`.
    pub name: String,
    pub version: String,
}

/// How many checks ended each way, and the exit code that means.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Counts {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub skipped: usize,
    /// The process's exit code: 0 all passed, 1 a finding, 2 invalid input (see
    /// `problems`), 3 no finding but an error, 129/130/143 stopped by a signal.
    pub exit_code: u8,
    /// Wall time of the run, in seconds.
    pub duration_seconds: f64,
}

/// One check.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ResultEntry {
    /// Stable across runs: `scenarios/orders.yaml#access[2].deny.reader`.
    pub id: String,
    /// The suite's name.
    pub suite: String,
    /// The suite file, as given on the command line.
    pub file: String,
    /// `DELETE /orders/1 as reader: deny`.
    pub name: String,
    /// Where the suite wrote the check, when it did (server-wide findings have none).
    pub location: Option<SourceLocation>,
    /// The suite's tags and the entry's own, without `@`.
    pub tags: Vec<String>,
    pub duration_seconds: f64,
    pub outcome: OutcomeEntry,
    /// What a reader must know even when it passed (a weakened suite setting).
    pub warnings: Vec<String>,
    /// Measurements (the request a rate limit began at).
    pub info: Vec<String>,
}

/// How the check ended.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OutcomeEntry {
    /// The guarantee holds.
    Pass,
    /// A security expectation does not hold: a finding.
    Fail { finding: FindingEntry },
    /// The check could not be judged: never a pass, never a finding.
    Error { error: ErrorEntry },
    /// Not run, and why.
    Skipped { reason: String },
}

/// `file:line:column` in a suite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SourceLocation {
    pub file: String,
    /// 1-based.
    pub line: u64,
    /// 1-based.
    pub column: u64,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct FindingEntry {
    pub kind: FindingKind,
    /// Stable rule id: `access.deny`, `leak.stack_trace`, `tokens.alg_none`.
    pub rule: String,
    /// Every CWE the rule enforces, the main one first.
    pub cwe: Vec<u16>,
    /// `API8:2023 Security Misconfiguration`.
    pub owasp: Option<String>,
    pub severity: Severity,
    /// The one line a reader sees first.
    pub message: String,
    pub evidence: EvidenceEntry,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ErrorEntry {
    pub kind: ErrorKindEntry,
    /// The harness failure behind `harness` and `suite_unavailable`.
    pub cause: Option<HarnessEntry>,
    pub message: String,
    pub evidence: EvidenceEntry,
}

#[derive(Clone, Copy, Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKindEntry {
    /// The harness could not make a request or read what it needed.
    Harness,
    /// A refusal by a role whose credentials were never shown to work.
    VacuousDeny,
    /// A probe or upstream check saw nothing it could judge.
    Vacuous,
    /// The suite's SUT or stub upstreams did not start.
    SuiteUnavailable,
    /// A planning bug.
    Internal,
}

/// Why the harness failed, typed.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct HarnessEntry {
    pub kind: HarnessKind,
    /// For `transport`: what failed on the wire.
    pub transport: Option<TransportKindEntry>,
    /// For `auth_server`: the OAuth `error` code and description.
    pub oauth_error: Option<String>,
    pub oauth_error_description: Option<String>,
    /// For `token`: the role and the server it asked.
    pub role: Option<String>,
    pub server: Option<String>,
    /// The whole reason, as the console prints it.
    pub text: String,
}

#[derive(Clone, Copy, Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HarnessKind {
    Transport,
    AuthServer,
    OAuth,
    Token,
    Request,
    SutExited,
    SutNotReady,
    Io,
    Setup,
    BodyTooLarge,
}

#[derive(Clone, Copy, Debug, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransportKindEntry {
    ConnectRefused,
    Dns,
    Tls,
    Timeout,
    Build,
    Decode,
    Other,
}

/// What a finding or an error shows as proof. Every field is optional.
#[derive(Clone, Debug, Default, Serialize, JsonSchema)]
pub struct EvidenceEntry {
    pub notes: Vec<String>,
    pub request: Option<RequestEntry>,
    /// Every expectation that did not hold, in the order checked.
    pub problems: Vec<ProblemEntry>,
    pub expected: Option<String>,
    pub actual: Option<ActualEntry>,
    /// The suite entry that made the check.
    pub location: Option<SourceLocation>,
    /// Where the evidence itself sits (a line of a log), when known.
    pub evidence_location: Option<SourceLocation>,
    pub hint: Option<String>,
    pub leaks: Vec<LeakEntry>,
    /// The detail block as every report prints it.
    pub text: String,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RequestEntry {
    pub method: String,
    pub url: String,
    /// The role it was sent as.
    pub role: Option<String>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemEntry {
    /// A mismatch, in a line.
    Text { text: String },
    /// A leak in the response.
    Leak { leak: LeakEntry },
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct ActualEntry {
    /// `403 Forbidden`.
    pub status: String,
    /// The start of the redacted body.
    pub excerpt: Option<String>,
    pub headers: Vec<HeaderEntry>,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct HeaderEntry {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct LeakEntry {
    /// `stack_trace`, `secret_canary`.
    pub detector: String,
    /// `leak.stack_trace`.
    pub rule: String,
    pub cwe: u16,
    pub owasp: String,
    /// `Java stack trace`.
    pub what: String,
    /// Redacted and shortened.
    pub excerpt: String,
    /// Whose response it was when not the check's own.
    pub whose: Option<String>,
}

/// A reason the run stopped short.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct RunProblemEntry {
    /// `suite s.yaml:3:7`, `command line: --tags`, `interrupted`.
    pub name: String,
    /// `authspec.invalid_suite`, `authspec.invalid_command_line`, `authspec.interrupted`,
    /// `authspec.harness`.
    pub kind: String,
    pub message: String,
    pub detail: String,
}

/// The JSON Schema of `RunDocument`.
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(RunDocument)
}

/// The document of `report`: every string sanitized (no control characters), then
/// redacted.
pub fn of(report: &Report<'_>) -> RunDocument {
    let c = Clean(report.redactor);
    let s = Summary::of(report.results);
    RunDocument {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "authspec".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        summary: Counts {
            total: s.total(),
            passed: s.passed,
            failed: s.failed,
            errors: s.errors,
            skipped: s.skipped,
            exit_code: report.exit_code,
            duration_seconds: report.elapsed.as_secs_f64(),
        },
        results: report
            .results
            .iter()
            .map(|r| result(r, report, c))
            .collect(),
        problems: report.problems.iter().map(|p| problem(p, c)).collect(),
    }
}

/// Sanitize, then redact (as the JUnit writer does).
#[derive(Clone, Copy)]
struct Clean<'a>(&'a crate::redact::Redactor);

impl Clean<'_> {
    fn s(self, s: &str) -> String {
        self.0.redact(&xml_text(s))
    }

    fn opt(self, s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| self.s(s))
    }

    fn all(self, v: &[String]) -> Vec<String> {
        v.iter().map(|s| self.s(s)).collect()
    }

    fn location(self, l: &Location) -> SourceLocation {
        SourceLocation {
            file: self.s(&l.file),
            line: l.line,
            column: l.column,
        }
    }
}

fn result(r: &CheckResult, report: &Report<'_>, c: Clean<'_>) -> ResultEntry {
    let outcome = match &r.outcome {
        Outcome::Pass => OutcomeEntry::Pass,
        Outcome::Fail(f) => OutcomeEntry::Fail {
            finding: finding(f, c),
        },
        Outcome::Error(e) => OutcomeEntry::Error { error: error(e, c) },
        Outcome::Skipped(reason) => OutcomeEntry::Skipped {
            reason: c.s(reason),
        },
    };
    ResultEntry {
        id: c.s(&r.id),
        suite: c.s(&r.suite),
        file: c.s(&r.file),
        name: c.s(&r.name),
        location: report.cases.location(r).map(|l| c.location(&l)),
        tags: c.all(report.cases.tags(r)),
        duration_seconds: r.duration.as_secs_f64(),
        outcome,
        warnings: c.all(&r.warnings),
        info: c.all(&r.info),
    }
}

fn finding(f: &Finding, c: Clean<'_>) -> FindingEntry {
    FindingEntry {
        kind: f.kind,
        rule: c.s(f.rule.as_str()),
        cwe: f.cwe.clone(),
        owasp: f.owasp.map(|o| c.s(o)),
        severity: f.severity,
        message: c.s(&f.message),
        evidence: evidence(&f.evidence, c),
    }
}

fn error(e: &CheckError, c: Clean<'_>) -> ErrorEntry {
    let (kind, cause) = match &e.kind {
        ErrorKind::Harness(h) => (ErrorKindEntry::Harness, Some(harness(h, c))),
        ErrorKind::SuiteUnavailable(h) => (ErrorKindEntry::SuiteUnavailable, Some(harness(h, c))),
        ErrorKind::VacuousDeny => (ErrorKindEntry::VacuousDeny, None),
        ErrorKind::Vacuous => (ErrorKindEntry::Vacuous, None),
        ErrorKind::Internal => (ErrorKindEntry::Internal, None),
    };
    ErrorEntry {
        kind,
        cause,
        message: c.s(&e.message),
        evidence: evidence(&e.evidence, c),
    }
}

fn harness(h: &HarnessError, c: Clean<'_>) -> HarnessEntry {
    let mut entry = HarnessEntry {
        kind: HarnessKind::Setup,
        transport: None,
        oauth_error: None,
        oauth_error_description: None,
        role: None,
        server: None,
        text: c.s(&h.to_string()),
    };
    entry.kind = match h {
        HarnessError::Transport(t) => {
            entry.transport = Some(match t.kind {
                TransportKind::ConnectRefused => TransportKindEntry::ConnectRefused,
                TransportKind::Dns => TransportKindEntry::Dns,
                TransportKind::Tls { .. } => TransportKindEntry::Tls,
                TransportKind::Timeout { .. } => TransportKindEntry::Timeout,
                TransportKind::Build => TransportKindEntry::Build,
                TransportKind::Decode => TransportKindEntry::Decode,
                TransportKind::Other => TransportKindEntry::Other,
            });
            HarnessKind::Transport
        }
        HarnessError::AuthServer {
            error,
            error_description,
            ..
        } => {
            entry.oauth_error = c.opt(error);
            entry.oauth_error_description = c.opt(error_description);
            HarnessKind::AuthServer
        }
        HarnessError::OAuth { .. } => HarnessKind::OAuth,
        HarnessError::Token { role, server, .. } => {
            entry.role = Some(c.s(role));
            entry.server = Some(c.s(server));
            HarnessKind::Token
        }
        HarnessError::Request { .. } => HarnessKind::Request,
        HarnessError::SutExited { .. } => HarnessKind::SutExited,
        HarnessError::SutNotReady { .. } => HarnessKind::SutNotReady,
        HarnessError::Io { .. } => HarnessKind::Io,
        HarnessError::Setup { .. } => HarnessKind::Setup,
        HarnessError::BodyTooLarge { .. } => HarnessKind::BodyTooLarge,
    };
    entry
}

fn evidence(e: &Evidence, c: Clean<'_>) -> EvidenceEntry {
    EvidenceEntry {
        notes: c.all(&e.notes),
        request: e.request.as_ref().map(|r| request(r, c)),
        problems: e
            .problems
            .iter()
            .map(|p| match p {
                Problem::Text(t) => ProblemEntry::Text { text: c.s(t) },
                Problem::Leak(l) => ProblemEntry::Leak { leak: leak(l, c) },
            })
            .collect(),
        expected: c.opt(&e.expected),
        actual: e.actual.as_ref().map(|a| actual(a, c)),
        location: e.location.as_ref().map(|l| c.location(l)),
        evidence_location: e.evidence_location.as_ref().map(|l| c.location(l)),
        hint: c.opt(&e.hint),
        leaks: e.leaks.iter().map(|l| leak(l, c)).collect(),
        text: c.s(&e.text()),
    }
}

fn request(r: &RequestInfo, c: Clean<'_>) -> RequestEntry {
    RequestEntry {
        method: c.s(&r.method),
        url: c.s(&r.url),
        role: c.opt(&r.role),
    }
}

fn actual(a: &Actual, c: Clean<'_>) -> ActualEntry {
    ActualEntry {
        status: c.s(&a.status),
        excerpt: c.opt(&a.excerpt),
        headers: a
            .headers
            .iter()
            .map(|(k, v)| HeaderEntry {
                name: c.s(k),
                value: c.s(v),
            })
            .collect(),
    }
}

fn leak(l: &LeakLine, c: Clean<'_>) -> LeakEntry {
    LeakEntry {
        detector: c.s(l.detector),
        rule: c.s(l.rule.as_str()),
        cwe: l.cwe,
        owasp: c.s(l.owasp),
        what: c.s(&l.what),
        excerpt: c.s(&l.excerpt),
        whose: c.opt(&l.whose),
    }
}

fn problem(p: &RunProblem, c: Clean<'_>) -> RunProblemEntry {
    RunProblemEntry {
        name: c.s(&p.name),
        kind: p.kind.to_string(),
        message: c.s(&p.message),
        detail: c.s(&p.detail),
    }
}
