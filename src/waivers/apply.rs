//! Applying waivers to results: a failing check whose finding a live waiver matches is
//! skipped with the waiver's reason and owner (the finding kept beside it, for the reports
//! that show it as suppressed); one an expired waiver matches still fails,
//! with a warning that the waiver ran out. Errors are never waived: a check that could not
//! run proves nothing, and a waiver accepts a known finding, not an unknown.

use time::Date;

use super::file::{Waiver, Waivers};
use crate::results::{CheckResult, Outcome, WaivedFinding};

/// What a waiver did to a result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waived {
    /// The finding is accepted: reported as skipped.
    Accepted(usize),
    /// The waiver ran out: the finding counts again.
    Expired(usize),
}

/// Which waivers applied during a run, to warn about those that matched nothing.
#[derive(Debug, Default)]
pub struct Applied {
    used: Vec<bool>,
}

impl Applied {
    /// None of `waivers` used yet.
    pub fn none(waivers: &Waivers) -> Self {
        Self {
            used: vec![false; waivers.list.len()],
        }
    }

    /// Records what `Waivers::apply` did to a result.
    pub fn record(&mut self, waived: Option<Waived>) {
        if let Some(Waived::Accepted(i) | Waived::Expired(i)) = waived
            && let Some(used) = self.used.get_mut(i)
        {
            *used = true;
        }
    }
}

impl Waivers {
    /// Applies the first matching waiver to `result`, as of `today` (UTC).
    pub fn apply(&self, result: &mut CheckResult, today: Date) -> Option<Waived> {
        let Outcome::Fail(finding) = &result.outcome else {
            return None;
        };
        let i = self
            .list
            .iter()
            .position(|w| w.matches(finding.rule.as_str(), &result.name))?;
        let w = &self.list[i];
        if today > w.expires {
            result.warnings.push(format!(
                "the waiver at {} ({}) expired on {}: this finding fails the run again",
                w.at,
                what(w),
                w.expires
            ));
            return Some(Waived::Expired(i));
        }
        let reason = format!(
            "waived until {} by {}: {} ({}; finding: {})",
            w.expires, w.owner, w.reason, w.at, finding.message
        );
        let Outcome::Fail(finding) =
            std::mem::replace(&mut result.outcome, Outcome::Skipped(reason))
        else {
            return None;
        };
        result.waived = Some(Box::new(WaivedFinding {
            finding,
            reason: w.reason.clone(),
            owner: w.owner.clone(),
            expires: w.expires.to_string(),
            at: w.at.clone(),
        }));
        Some(Waived::Accepted(i))
    }

    /// One warning per waiver no finding of the run matched.
    pub fn unused(&self, applied: &Applied) -> Vec<String> {
        self.list
            .iter()
            .zip(&applied.used)
            .filter(|(_, used)| !**used)
            .map(|(w, _)| {
                format!(
                    "the waiver at {} ({}) matched no finding of this run: remove it if it is fixed",
                    w.at,
                    what(w)
                )
            })
            .collect()
    }
}

fn what(w: &Waiver) -> String {
    match (&w.rule, &w.check) {
        (Some(r), Some(c)) => format!("rule {r}, check {c:?}"),
        (Some(r), None) => format!("rule {r}"),
        (None, Some(c)) => format!("check {c:?}"),
        (None, None) => String::new(),
    }
}
