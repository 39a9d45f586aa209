//! Plan: expands suites into concrete checks, each with a stable id and a readable name.
//! Matrices expand here; probe families will too.

use crate::model::{Location, RoleId, Suite, Verdict};

#[derive(Clone, Debug)]
pub struct Check {
    /// Stable across runs: `file#access[2].deny.reader`.
    pub id: String,
    /// Readable: `DELETE /orders/1 as reader: deny`.
    pub name: String,
    pub suite: usize,
    pub kind: CheckKind,
}

#[derive(Clone, Debug)]
pub enum CheckKind {
    Access {
        entry: usize,
        role: RoleId,
        verdict: Verdict,
        location: Location,
    },
    Scenario {
        index: usize,
    },
}

impl Check {
    pub fn is_deny(&self) -> bool {
        matches!(
            self.kind,
            CheckKind::Access {
                verdict: Verdict::Deny,
                ..
            }
        )
    }
}

/// Every check of every suite, in suite order, keeping those whose name contains
/// `filter`.
pub fn plan(suites: &[Suite], filter: Option<&str>) -> Vec<Check> {
    let mut checks = Vec::new();
    for (si, suite) in suites.iter().enumerate() {
        for (ei, entry) in suite.access.iter().enumerate() {
            let cells = entry
                .allow
                .iter()
                .map(|c| (Verdict::Allow, c))
                .chain(entry.deny.iter().map(|c| (Verdict::Deny, c)));
            for (verdict, (role, location)) in cells {
                let role_name = &suite.role(*role).name;
                checks.push(Check {
                    id: format!(
                        "{}#access[{ei}].{}.{role_name}",
                        suite.file,
                        verdict.as_str()
                    ),
                    name: format!(
                        "{} as {role_name}: {}",
                        entry.request.line(),
                        verdict.as_str()
                    ),
                    suite: si,
                    kind: CheckKind::Access {
                        entry: ei,
                        role: *role,
                        verdict,
                        location: location.clone(),
                    },
                });
            }
        }
        for (i, scenario) in suite.scenarios.iter().enumerate() {
            checks.push(Check {
                id: format!("{}#scenarios[{i}]", suite.file),
                name: scenario.name.clone(),
                suite: si,
                kind: CheckKind::Scenario { index: i },
            });
        }
    }
    if let Some(f) = filter {
        checks.retain(|c| c.name.contains(f));
    }
    checks
}
