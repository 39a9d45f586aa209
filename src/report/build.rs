//! Builds a run's `RunDocument` from its results: every string copied is sanitized (no
//! control characters, as in the JUnit file) and then redacted; harness errors keep
//! their kind and typed fields.

use super::document::*;
use super::run::{CaseMeta, Report, RunProblem, location_of};
use super::xml_clean;
use crate::model::Location;
use crate::redact::Redactor;
use crate::results::{
    Actual, CheckError, CheckResult, ErrorKind, Evidence, Finding, HarnessError, LeakLine, Outcome,
    Problem, RequestInfo, Summary, TransportKind, WaivedFinding,
};

/// The document of `report`: every string sanitized (no control characters), then
/// redacted.
pub fn of(report: &Report<'_>) -> RunDocument {
    let results = report
        .results
        .iter()
        .map(|r| entry(r, None, report.redactor))
        .collect();
    with_entries(report, Results::Kept(results), Summary::of(report.results))
}

/// The document of `report`, whose results are `results` (entries built as the results
/// arrived, `report.results` unused), counted `s`.
pub fn with_entries(report: &Report<'_>, results: Results, s: Summary) -> RunDocument {
    let c = Clean(report.redactor);
    RunDocument {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "authspec".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        run: RunInfo {
            shard: report.run.shard,
            seed: report.run.seed,
            filter: c.opt(&report.run.filter),
            tags: c.opt(&report.run.tags),
            suites: report
                .run
                .suites
                .iter()
                .map(|s| SuiteEntry {
                    name: c.s(&s.name),
                    file: c.s(&s.file),
                })
                .collect(),
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
        results,
        problems: report.problems.iter().map(|p| problem(p, c)).collect(),
        coverage: report.coverage.iter().map(|v| coverage(v, c)).collect(),
    }
}

fn coverage(v: &crate::openapi::Coverage, c: Clean<'_>) -> CoverageEntry {
    CoverageEntry {
        suite: c.s(&v.suite),
        file: c.s(&v.file),
        spec: c.s(&v.spec),
        covered: v.covered(),
        total: v.operations.len(),
        percent: v.percent(),
        min: v.min,
        operations: v
            .operations
            .iter()
            .map(|o| OperationCoverageEntry {
                operation: c.s(&o.operation),
                covered: o.covered(),
                excluded: o.excluded,
                unbuilt: c.opt(&o.unbuilt),
                checks: c.all(&o.checks),
            })
            .collect(),
    }
}

/// Sanitize, then redact (as the JUnit writer does).
#[derive(Clone, Copy)]
pub(super) struct Clean<'a>(pub(super) &'a crate::redact::Redactor);

impl Clean<'_> {
    fn s(self, s: &str) -> String {
        self.0.redact(&xml_clean(s))
    }

    /// `s`, for a text unique to one check (its id): not remembered by the redactor.
    fn once(self, s: &str) -> String {
        self.0.redact_once(&xml_clean(s))
    }

    fn opt(self, s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| self.s(s))
    }

    pub(super) fn all(self, v: &[String]) -> Vec<String> {
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

/// The report entry of `r`, every string sanitized, then redacted; `meta` says where its
/// check was written (none: a check the run found, or results handed over without their
/// place in the plan).
pub fn entry(r: &CheckResult, meta: Option<&CaseMeta<'_>>, redactor: &Redactor) -> ResultEntry {
    let c = Clean(redactor);
    let outcome = outcome(&r.outcome, r.waived.as_deref(), c);
    ResultEntry {
        id: c.once(&r.id),
        plan_index: meta.and_then(|m| m.plan_index),
        suite: c.s(&r.suite),
        file: c.s(&r.file),
        name: c.s(&r.name),
        location: location_of(meta, r).map(|l| c.location(&l)),
        tags: meta.map_or_else(Vec::new, |m| m.tags.iter().map(|t| c.s(t)).collect()),
        duration_seconds: r.duration.as_secs_f64(),
        outcome,
        warnings: c.all(&r.warnings),
        info: c.all(&r.info),
    }
}

/// A check's outcome as reports show it; `waived`, the finding a waiver accepted.
pub(super) fn outcome(o: &Outcome, waived: Option<&WaivedFinding>, c: Clean<'_>) -> OutcomeEntry {
    match o {
        Outcome::Pass => OutcomeEntry::Pass,
        Outcome::Fail(f) => OutcomeEntry::Fail {
            finding: Box::new(finding(f, c)),
        },
        Outcome::Error(e) => OutcomeEntry::Error {
            error: Box::new(error(e, c)),
        },
        Outcome::Skipped(reason) => OutcomeEntry::Skipped {
            reason: c.s(reason),
            waiver: waived.map(|w| Box::new(waiver(w, c))),
        },
    }
}

fn waiver(w: &WaivedFinding, c: Clean<'_>) -> WaiverEntry {
    WaiverEntry {
        reason: c.s(&w.reason),
        owner: c.s(&w.owner),
        expires: c.s(&w.expires),
        at: c.s(&w.at),
        finding: finding(&w.finding, c),
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
        ErrorKind::Skipped => (ErrorKindEntry::Skipped, None),
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
