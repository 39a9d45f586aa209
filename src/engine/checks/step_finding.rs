//! What a failing scenario step is reported as: the problems it found, the one that heads
//! the finding (a canary of the run first, whatever else did not match), and the finding
//! of a step that got no answer within its `within:` bound.

use crate::model::Step;
use crate::results::rule::{self, Rule};
use crate::results::{Actual, Evidence, Finding, Outcome, Problem, RequestInfo};

/// What one step found wrong, and the rule of its headline when that is not a plain
/// expectation.
#[derive(Default)]
pub struct Problems {
    pub list: Vec<Problem>,
    pub headline: Option<&'static Rule>,
}

/// The step asked for an answer within `bound` and got none: a finding, not a harness
/// timeout, since the suite set the bound.
pub fn late(which: &str, bound: std::time::Duration, step: &Step, role: &str) -> Outcome {
    let request = RequestInfo::new(
        &format!("{} {}", step.request.method, step.request.path),
        Some(role),
    );
    let message = format!(
        "{which}: the SUT did not answer within {} s; the request was abandoned",
        bound.as_secs_f64()
    );
    let evidence = Evidence {
        request: Some(request),
        ..Evidence::at(&step.request.location)
    };
    Outcome::Fail(Finding::of(&rule::RESILIENCE_WITHIN, message, evidence))
}

/// The step's finding, when anything was wrong: the first problem is its headline.
pub fn failure(
    problems: Problems,
    which: &str,
    request: RequestInfo,
    actual: Actual,
    step: &Step,
    notes: Vec<String>,
) -> Option<Finding> {
    // A secret of the run in the SUT's answer (an upstream's canary) is the headline: it
    // is the worst thing the step found, whatever else did not match.
    let canary = problems.list.iter().find(|p| {
        matches!(p, Problem::Leak(l) if l.detector == "secret_canary")
            && problems.headline.is_none()
    });
    let first = canary.or(problems.list.first())?;
    let message = format!("{which}: {first}");
    let rule = problems.headline;
    let leak = match first {
        Problem::Leak(l) => Some(l.clone()),
        Problem::Text(_) => None,
    };
    let evidence = Evidence {
        notes,
        request: Some(request),
        problems: problems.list,
        actual: Some(actual),
        ..Evidence::at(&step.request.location)
    };
    Some(match (rule, leak) {
        (Some(rule), _) => Finding::of(rule, message, evidence),
        (None, Some(leak)) => Finding::leak(&leak, message, evidence),
        (None, None) => Finding::of(&rule::SCENARIO_EXPECTATION, message, evidence),
    })
}
