//! Probes: each runs the cases the plan selected (and whatever they depend on, such as a
//! positive control) and returns one result per selected case, keyed by the case.

mod case_result;
mod dispatch;
mod enumeration;
mod headers;
mod oauth;
mod rate_limit;
mod tls;
mod tokens;
mod verdict;
mod webhooks;

pub use case_result::CaseResult;
pub use dispatch::run;
use verdict::{failure, harness, refused, seen, vacuous};
