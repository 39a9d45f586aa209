//! One case's result as a probe returns it, and the step that files its failure under
//! the case it answers: the case's rule (id, CWE, OWASP item, severity) and the suite
//! location of the probe entry, set in one place for every probe.

use super::verdict::rule;
use crate::model::{Location, ProbeCase};
use crate::results::{Evidence, LeakLine, Outcome, RuleId};

/// One case's result: the outcome, warnings, and information worth reporting.
pub struct CaseResult {
    pub outcome: Outcome,
    pub warnings: Vec<String>,
    pub info: Vec<String>,
}

impl CaseResult {
    pub fn of(outcome: Outcome) -> Self {
        Self {
            outcome,
            warnings: Vec::new(),
            info: Vec::new(),
        }
    }

    /// Adds the leaks of a response this case relied on (`whose`, e.g. "the positive
    /// control"): a pass becomes a failure, a failure lists them too.
    pub fn with_leaks(mut self, whose: &str, leaks: &[LeakLine]) -> Self {
        let Some(first) = leaks.first() else {
            return self;
        };
        match &mut self.outcome {
            Outcome::Fail(f) => {
                // The failure is about another response: each leak says whose it is.
                f.evidence.leaks.extend(leaks.iter().map(|l| LeakLine {
                    whose: Some(whose.to_string()),
                    ..l.clone()
                }));
            }
            Outcome::Error(_) => {}
            _ => {
                self.outcome = super::failure(
                    format!("the response to {whose} leaks {first}"),
                    Evidence {
                        leaks: leaks.to_vec(),
                        ..Evidence::default()
                    },
                );
            }
        }
        self
    }

    /// The failure as a finding of `case` (its rule id, kind, CWE, OWASP item and
    /// severity), and every failure or error pointed at the probe entry `at`. Every
    /// failure a probe reports is one of the case it answers.
    pub(super) fn filed_under(mut self, case: ProbeCase, at: &Location) -> Self {
        match &mut self.outcome {
            Outcome::Fail(f) => {
                let rule = rule(case);
                f.kind = rule.kind;
                f.rule = RuleId::fixed(rule.id);
                f.cwe = rule.cwe.to_vec();
                f.owasp = rule.owasp;
                f.severity = rule.severity;
                f.evidence.location.get_or_insert_with(|| at.clone());
            }
            Outcome::Error(e) => {
                e.evidence.location.get_or_insert_with(|| at.clone());
            }
            Outcome::Pass | Outcome::Skipped(_) => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::probes::verdict::{failure, vacuous};
    use crate::model::{HeadersCase, TokensCase};
    use crate::results::{CheckError, ErrorKind, FindingKind};

    fn at() -> Location {
        Location {
            file: "s.yaml".into(),
            line: 4,
            column: 9,
        }
    }

    #[test]
    fn a_failure_is_filed_under_its_case() {
        let case = ProbeCase::Headers {
            request: 1,
            case: HeadersCase::Cors,
        };
        let r = CaseResult::of(failure("reflected", Evidence::default())).filed_under(case, &at());
        let Outcome::Fail(f) = r.outcome else {
            panic!("not a failure")
        };
        assert_eq!(f.rule.as_str(), "headers.cors");
        assert_eq!(f.kind, FindingKind::ProbeCase);
        assert_eq!(f.cwe, vec![942]);
        assert_eq!(f.owasp, Some("API8:2023 Security Misconfiguration"));
        assert_eq!(f.message, "reflected");
        assert_eq!(f.evidence.location, Some(at()));

        let token = ProbeCase::Tokens(TokensCase::mutation("kid_injection").unwrap());
        assert_eq!(rule(token).id, "tokens.kid_injection");
        assert_eq!(rule(token).cwe, &[22, 89, 347]);
    }

    #[test]
    fn errors_keep_their_kind_and_passes_are_left_as_they_are() {
        let case = ProbeCase::Tokens(TokensCase::Fuzz);
        let r = CaseResult::of(vacuous("vacuous: no control")).filed_under(case, &at());
        let Outcome::Error(CheckError {
            kind: ErrorKind::Vacuous,
            evidence,
            ..
        }) = r.outcome
        else {
            panic!("not a vacuous error")
        };
        assert_eq!(evidence.location, Some(at()));
        let r = CaseResult::of(Outcome::Pass).filed_under(case, &at());
        assert_eq!(r.outcome, Outcome::Pass);
    }
}
