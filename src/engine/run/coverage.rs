//! The OpenAPI checks the engine judges without a request: an operation whose request
//! could not be built (an error naming what is missing), and `openapi coverage`, judged
//! after every other check against the suite's `coverage.min`.

use std::collections::HashMap;

use super::assemble::result;
use crate::engine::request::context::Context;
use crate::model::Suite;
use crate::openapi::Coverage;
use crate::plan::{Check, CheckKind};
use crate::results::{CheckError, CheckResult, ErrorKind, Evidence, HarnessError, Outcome};

/// The error of a spec operation that could not be built.
pub fn unbuilt(suite: &Suite, operation: usize) -> Outcome {
    let op = suite
        .openapi
        .as_ref()
        .and_then(|o| o.operations.get(operation));
    let why = op
        .and_then(|o| o.unbuilt.clone())
        .unwrap_or_else(|| "internal error: no such operation".into());
    let line = op.map(|o| o.line()).unwrap_or_default();
    Outcome::Error(CheckError::new(
        ErrorKind::Harness(HarnessError::Request {
            reason: why.clone(),
        }),
        format!("cannot build a request for {line} from the spec: {why}"),
        Evidence {
            location: suite.openapi.as_ref().map(|o| o.location.clone()),
            ..Evidence::default()
        },
    ))
}

/// The coverage of every suite's OpenAPI document, on the outcomes so far (by plan
/// index), and every planned `openapi coverage` check judged on it. A shard of several
/// sees only its own checks: it says so, and `authspec merge` judges the check on every
/// shard's coverage.
pub fn judge(
    ctx: &Context,
    checks: &[Check],
    outcomes: &HashMap<usize, Outcome>,
    sharded: bool,
) -> (Vec<(usize, CheckResult)>, Vec<Coverage>) {
    let all: Vec<(usize, Coverage)> = ctx
        .suites
        .iter()
        .enumerate()
        .filter_map(|(si, run)| {
            crate::openapi::coverage(si, &run.suite, checks, |j| outcomes.get(&j)).map(|c| (si, c))
        })
        .collect();
    let mut out = Vec::new();
    for (i, check) in checks.iter().enumerate() {
        if !matches!(check.kind, CheckKind::Coverage) {
            continue;
        }
        let Some((_, coverage)) = all.iter().find(|(si, _)| *si == check.suite) else {
            continue;
        };
        let suite = &ctx.suites[check.suite].suite;
        let location = suite.openapi.as_ref().map(|o| o.location.clone());
        let (outcome, info) = if sharded {
            let why = "judged by `authspec merge` over every shard: one shard sees only its \
                       own checks";
            (Outcome::Skipped(why.into()), vec![coverage.headline()])
        } else {
            coverage.verdict(location)
        };
        let r = CheckResult {
            info,
            ..result(check, suite, outcome, std::time::Duration::ZERO)
        };
        out.push((i, r));
    }
    (out, all.into_iter().map(|(_, c)| c).collect())
}
