//! The `--json` report's document: every result of a run with its typed fields, as plain
//! serializable data. Its JSON Schema is generated from these types (`authspec schema
//! results`), so the schema cannot drift from what is written. The SARIF and HTML
//! reports are written from the same document, so every report shows the same fields.
//! Built by `build::of`, which sanitizes and redacts every string it copies.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::results::{FindingKind, Severity};

pub use super::build::{entry, of, with_entries};
pub use super::entries::Results;
pub use super::spill::Spill;

/// Bumped when a field changes meaning or goes away; new fields do not bump it.
pub const SCHEMA_VERSION: u32 = 1;

/// One run of authspec: its counts, every check's result, and why it stopped short.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RunDocument {
    /// The version of this document's shape (`1`).
    pub schema_version: u32,
    pub tool: Tool,
    /// What was run: the suites, the selection and the shard, so `authspec merge` can
    /// tell the shards of one run from documents of different runs.
    pub run: RunInfo,
    pub summary: Counts,
    /// Every reported check, in plan order (a run's spilled to a temporary file).
    #[schemars(with = "Vec<ResultEntry>")]
    pub results: Results,
    /// Why the run did not run (or finish) every check: an invalid suite or command line,
    /// a signal, a harness failure.
    pub problems: Vec<RunProblemEntry>,
    /// Per suite with `openapi:`: every operation of its document and the checks that
    /// touched it.
    pub coverage: Vec<CoverageEntry>,
}

/// The coverage of one suite's OpenAPI document.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct CoverageEntry {
    pub suite: String,
    pub file: String,
    /// The document as the suite names it (`openapi.yaml`, `${env:SPEC_URL}`).
    pub spec: String,
    pub covered: usize,
    pub total: usize,
    /// Covered operations in percent of all.
    pub percent: f64,
    /// `coverage.min`, in percent, when the suite sets one.
    pub min: Option<f64>,
    pub operations: Vec<OperationCoverageEntry>,
}

/// One operation of an OpenAPI document.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct OperationCoverageEntry {
    /// `GET /orders/{orderId}`.
    pub operation: String,
    pub covered: bool,
    /// Listed under `openapi.exclude`: never sent by the spec's cells.
    pub excluded: bool,
    /// Why its request could not be built from the spec, if it could not.
    pub unbuilt: Option<String>,
    /// The names of the judged checks (passed or failed) that sent it.
    pub checks: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    /// `authspec`.
    pub name: String,
    pub version: String,
}

/// What a run was asked to run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RunInfo {
    /// `--shard I/N`, when the run was one shard of a larger one.
    pub shard: Option<ShardEntry>,
    /// `--seed`, when given.
    pub seed: Option<u64>,
    /// `--filter`, when given.
    pub filter: Option<String>,
    /// `--tags`, when given.
    pub tags: Option<String>,
    /// Every suite loaded, in order (empty when the suites did not load).
    pub suites: Vec<SuiteEntry>,
}

/// Shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ShardEntry {
    pub index: u32,
    pub count: u32,
}

/// A suite of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SuiteEntry {
    pub name: String,
    /// The suite file, as given on the command line.
    pub file: String,
}

/// How many checks ended each way, and the exit code that means.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ResultEntry {
    /// Stable across runs: `scenarios/orders.yaml#access[2].deny.reader`.
    pub id: String,
    /// The check's place in the plan of the whole run (all shards together); `authspec
    /// merge` puts the shards' results back in this order. None for a host-wide check
    /// (once per origin and detector, found by the run rather than planned), which
    /// follows every planned check.
    pub plan_index: Option<usize>,
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

/// How the check ended. The payloads are boxed: at 100,000 checks that mostly pass, an
/// entry holds no room for a finding it does not have.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OutcomeEntry {
    /// The guarantee holds.
    Pass,
    /// A security expectation does not hold: a finding.
    Fail { finding: Box<FindingEntry> },
    /// The check could not be judged: never a pass, never a finding.
    Error { error: Box<ErrorEntry> },
    /// Not run, and why; or a finding a waiver accepted (`waiver`).
    Skipped {
        reason: String,
        waiver: Option<Box<WaiverEntry>>,
    },
}

/// A finding a waiver (`--waivers`) accepted: still a finding, reported as skipped.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct WaiverEntry {
    pub reason: String,
    pub owner: String,
    /// The last day (UTC) the waiver holds, `YYYY-MM-DD`.
    pub expires: String,
    /// `file:line:column` of the waiver.
    pub at: String,
    /// The finding it accepted.
    pub finding: FindingEntry,
}

/// `file:line:column` in a suite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceLocation {
    pub file: String,
    /// 1-based.
    pub line: u64,
    /// 1-based.
    pub column: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
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

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ErrorEntry {
    pub kind: ErrorKindEntry,
    /// The harness failure behind `harness` and `suite_unavailable`.
    pub cause: Option<HarnessEntry>,
    pub message: String,
    pub evidence: EvidenceEntry,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema)]
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
    /// A skipped case under `--fail-on-skip` / `fail_on_skip: true`.
    Skipped,
}

/// Why the harness failed, typed.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
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

#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema)]
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

#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
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

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RequestEntry {
    pub method: String,
    pub url: String,
    /// The role it was sent as.
    pub role: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemEntry {
    /// A mismatch, in a line.
    Text { text: String },
    /// A leak in the response.
    Leak { leak: LeakEntry },
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ActualEntry {
    /// `403 Forbidden`.
    pub status: String,
    /// The start of the redacted body.
    pub excerpt: Option<String>,
    pub headers: Vec<HeaderEntry>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct HeaderEntry {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
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
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RunProblemEntry {
    /// `suite s.yaml:3:7`, `command line: --tags`, `interrupted`.
    pub name: String,
    /// `authspec.invalid_suite`, `authspec.invalid_command_line`, `authspec.interrupted`,
    /// `authspec.harness`; for `authspec merge`, `authspec.invalid_report`.
    pub kind: String,
    pub message: String,
    pub detail: String,
}

/// The JSON Schema of `RunDocument`.
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(RunDocument)
}
