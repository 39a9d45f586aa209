//! Results: what the engine says about each check, as data. Reporters only format these;
//! every string in them has passed through redaction before it leaves the engine.

mod error;
mod evidence;
mod finding;
mod limit;
mod outcome;
mod redact;
pub mod rule;

pub use error::{CheckError, ErrorKind, HarnessError, TransportError, TransportKind};
pub use evidence::{Actual, Evidence, LeakLine, Problem, RequestInfo};
pub use finding::{Finding, FindingKind, RuleId, Severity};
pub use limit::BodyLimit;
pub use outcome::{CheckResult, Outcome, Summary, WaivedFinding};
pub use rule::Rule;
