//! Coverage of a spec's operations after a run: each operation with the checks that
//! touched it, from the spec's own cells and the suite's `access:` and `scenarios:`
//! alike, matched by method and path template (`/orders/1` is `/orders/{orderId}`; a
//! literal segment wins over a template). A check touches an operation when it was
//! judged (passed or failed): one that ended in an error or was skipped tested nothing.

use crate::model::Location;
use crate::model::{OpenApi, Request, Suite};
use crate::plan::{Check, CheckKind};
use crate::results::{Evidence, Finding, Outcome, rule};

/// One suite's spec, operation by operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub suite: String,
    pub file: String,
    pub spec: String,
    pub operations: Vec<OperationCoverage>,
    /// `coverage.min`, in percent.
    pub min: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OperationCoverage {
    /// `GET /orders/{orderId}`.
    pub operation: String,
    pub excluded: bool,
    /// Why the spec's request for it could not be built.
    pub unbuilt: Option<String>,
    /// The names of the judged checks that sent it.
    pub checks: Vec<String>,
}

impl OperationCoverage {
    pub fn covered(&self) -> bool {
        !self.checks.is_empty()
    }
}

impl Coverage {
    pub fn covered(&self) -> usize {
        self.operations.iter().filter(|o| o.covered()).count()
    }

    /// Covered operations in percent of all (100 for a spec without operations).
    pub fn percent(&self) -> f64 {
        match self.operations.len() {
            0 => 100.0,
            n => self.covered() as f64 * 100.0 / n as f64,
        }
    }

    /// Whether `coverage.min` (if any) is reached.
    pub fn enough(&self) -> bool {
        self.min.is_none_or(|min| self.percent() + 1e-9 >= min)
    }

    /// The `openapi coverage` check's outcome and its info lines: a finding listing what
    /// no check touched when `coverage.min` is not reached. `location` is the suite's
    /// `openapi:`. A run judges it on its results, `authspec merge` on the shards'.
    pub fn verdict(&self, location: Option<Location>) -> (Outcome, Vec<String>) {
        let missing: Vec<String> = self
            .uncovered()
            .into_iter()
            .map(|m| format!("not covered: {m}"))
            .collect();
        let mut info = vec![self.headline()];
        info.extend(missing.iter().cloned());
        if self.enough() {
            return (Outcome::Pass, info);
        }
        let finding = Finding::of(
            &rule::OPENAPI_COVERAGE,
            format!(
                "{}, below the minimum of {}%",
                self.headline(),
                self.min.unwrap_or(0.0)
            ),
            Evidence {
                notes: missing,
                location,
                ..Evidence::default()
            },
        );
        (Outcome::Fail(finding), info)
    }

    /// `5 of 7 operations covered (71.4%)`.
    pub fn headline(&self) -> String {
        format!(
            "{} of {} operations covered ({:.1}%)",
            self.covered(),
            self.operations.len(),
            self.percent()
        )
    }

    /// One line per operation not covered, saying why where it can.
    pub fn uncovered(&self) -> Vec<String> {
        self.operations
            .iter()
            .filter(|o| !o.covered())
            .map(|o| match (&o.unbuilt, o.excluded) {
                (_, true) => format!("{} (excluded)", o.operation),
                (Some(why), _) => format!("{} (not built: {why})", o.operation),
                (None, false) => o.operation.clone(),
            })
            .collect()
    }
}

/// The coverage of suite `si` (if it has `openapi:`); `outcome` gives a planned check's
/// result by its index in `checks`, if it has one.
pub fn coverage<'a>(
    si: usize,
    suite: &Suite,
    checks: &[Check],
    outcome: impl Fn(usize) -> Option<&'a Outcome>,
) -> Option<Coverage> {
    let spec = suite.openapi.as_ref()?;
    let mut operations: Vec<OperationCoverage> = spec
        .operations
        .iter()
        .map(|o| OperationCoverage {
            operation: o.line(),
            excluded: o.excluded,
            unbuilt: o.unbuilt.clone(),
            checks: Vec::new(),
        })
        .collect();
    for (ci, check) in checks.iter().enumerate() {
        let judged = match outcome(ci) {
            Some(o @ (Outcome::Pass | Outcome::Fail(_))) if check.suite == si => o,
            _ => continue,
        };
        for request in requests(suite, check, judged) {
            if let Some(op) = best(spec, request) {
                let name = check.name(suite);
                if !operations[op].checks.iter().any(|c| *c == name) {
                    operations[op].checks.push(name.into_owned());
                }
            }
        }
    }
    Some(Coverage {
        suite: suite.name.clone(),
        file: suite.file.to_string(),
        spec: spec.spec.clone(),
        operations,
        min: spec.coverage_min,
    })
}

/// The requests a check sent (probes test other things, and count for none). A scenario
/// stops at the step that failed: the steps after it were never sent.
fn requests<'s>(suite: &'s Suite, check: &Check, outcome: &Outcome) -> Vec<&'s Request> {
    match &check.kind {
        CheckKind::Access { entry, .. } => suite
            .access
            .get(*entry)
            .map(|e| &e.request)
            .into_iter()
            .collect(),
        CheckKind::Scenario { index } => {
            let Some(scenario) = suite.scenarios.get(*index) else {
                return Vec::new();
            };
            let failed_at = match outcome {
                Outcome::Fail(f) => f.evidence.location.as_ref().and_then(|at| {
                    scenario
                        .steps
                        .iter()
                        .position(|st| st.request.location == *at)
                }),
                _ => None,
            };
            let sent = failed_at.map_or(scenario.steps.len(), |i| i + 1);
            scenario.steps[..sent]
                .iter()
                .map(|st| &st.request)
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The operation `request` is, by method and path: the template with the most literal
/// text among those that match.
fn best(spec: &OpenApi, request: &Request) -> Option<usize> {
    let path = request.path.split(['?', '#']).next().unwrap_or_default();
    spec.operations
        .iter()
        .enumerate()
        .filter(|(_, o)| o.method.eq_ignore_ascii_case(request.method))
        .filter_map(|(i, o)| matches_template(&o.path, path).map(|score| (i, score)))
        .max_by_key(|(_, score)| *score)
        .map(|(i, _)| i)
}

/// Whether `path` fills `template` (`/orders/{orderId}`), and how much literal text of
/// the template it matched (a concrete path beats a templated one).
pub fn matches_template(template: &str, path: &str) -> Option<usize> {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut score = 0;
    for (t, p) in t.iter().zip(&p) {
        score += segment(t, p)?;
    }
    Some(score)
}

/// A template segment (`{id}`, `{id}.json`, `{name}.{ext}`, `orders`) against a path
/// segment: each `{…}` fills at least one character; the score is the literal text.
fn segment(template: &str, path: &str) -> Option<usize> {
    let Some(open) = template.find('{') else {
        return (template == path).then_some(template.len());
    };
    let close = template[open..].find('}')? + open;
    let (prefix, rest) = (&template[..open], &template[close + 1..]);
    let after = path.strip_prefix(prefix)?;
    after
        .char_indices()
        .skip(1)
        .map(|(i, _)| i)
        .chain([after.len()])
        .filter(|&i| i > 0)
        .find_map(|i| segment(rest, &after[i..]))
        .map(|score| prefix.len() + score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_fills_a_template_and_a_literal_wins() {
        assert_eq!(matches_template("/orders/{orderId}", "/orders/1"), Some(6));
        assert_eq!(
            matches_template("/orders/{orderId}", "/orders/{{id}}"),
            Some(6)
        );
        assert_eq!(matches_template("/orders/mine", "/orders/mine"), Some(10));
        assert_eq!(matches_template("/orders/{id}", "/orders"), None);
        assert_eq!(matches_template("/orders/{id}", "/orders/"), None);
        assert_eq!(
            matches_template("/files/{name}.json", "/files/a.json"),
            Some(10)
        );
        assert_eq!(matches_template("/files/{name}.json", "/files/a.xml"), None);
        assert_eq!(
            matches_template("/files/{name}.{ext}", "/files/a.tar.gz"),
            Some(6)
        );
        assert_eq!(matches_template("/files/{name}.{ext}", "/files/a."), None);
        assert_eq!(matches_template("/health", "/healthz"), None);
    }
}
