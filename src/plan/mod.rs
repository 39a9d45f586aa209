//! Plan: expands suites into concrete checks, each with a stable id, a readable name and
//! its tags, and keeps those the user selected. Matrices expand here; probe families will
//! too.

mod tags;

pub use tags::{TagExpr, TagExprError};

use crate::model::{Location, Probe, RoleId, Suite, Verdict};

#[derive(Clone, Debug)]
pub struct Check {
    /// Stable across runs: `file#access[2].deny.reader`.
    pub id: String,
    /// Readable: `DELETE /orders/1 as reader: deny`.
    pub name: String,
    pub suite: usize,
    pub kind: CheckKind,
    /// The suite's tags and the entry's own, without `@`.
    pub tags: Vec<String>,
    /// Judged after the role proofs: deny cells, and scenarios with a deny step.
    pub deferred: bool,
    /// Not selected, but run (and not reported) because a selected deny depends on it as
    /// its positive control.
    pub support: bool,
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
    /// A service log rule, checked after every request of the run.
    Log {
        index: usize,
        rule: LogCheck,
    },
    /// One case of a probe; all cases of a probe run together, in order.
    Probe {
        probe: usize,
        case: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogCheck {
    NoSecrets,
    Records,
}

/// What the user asked to run.
#[derive(Default)]
pub struct Selection<'a> {
    /// Checks whose name contains this text.
    pub filter: Option<&'a str>,
    /// Checks whose tags satisfy this expression.
    pub tags: Option<&'a TagExpr>,
}

impl Selection<'_> {
    fn keeps(&self, check: &Check) -> bool {
        self.filter.is_none_or(|f| check.name.contains(f))
            && self.tags.is_none_or(|t| t.matches(&check.tags))
    }
}

/// Every selected check of every suite, in suite order.
pub fn plan(suites: &[Suite], selection: &Selection<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    for (si, suite) in suites.iter().enumerate() {
        let tags_with =
            |own: &[String]| -> Vec<String> { suite.tags.iter().chain(own).cloned().collect() };
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
                    tags: tags_with(&entry.tags),
                    deferred: verdict == Verdict::Deny,
                    support: false,
                });
            }
        }
        for (pi, probe) in suite.probes.iter().enumerate() {
            let own = suite.probe_tags.get(pi).map_or(&[][..], Vec::as_slice);
            for (case, name) in probe_cases(suite, probe).into_iter().enumerate() {
                checks.push(Check {
                    id: format!("{}#probes[{pi}].{case}", suite.file),
                    name,
                    suite: si,
                    kind: CheckKind::Probe { probe: pi, case },
                    tags: tags_with(own),
                    deferred: false,
                    support: false,
                });
            }
        }
        for (li, log) in suite.logs.iter().enumerate() {
            let mut rules = Vec::new();
            if log.no_secrets {
                rules.push((LogCheck::NoSecrets, "no secrets".to_string()));
            }
            if !log.must_record.is_empty() {
                let texts: Vec<String> = log.must_record.iter().map(|t| format!("{t:?}")).collect();
                rules.push((LogCheck::Records, format!("records {}", texts.join(", "))));
            }
            for (rule, what) in rules {
                checks.push(Check {
                    id: format!(
                        "{}#logs[{li}].{}",
                        suite.file,
                        if rule == LogCheck::NoSecrets {
                            "no_secrets"
                        } else {
                            "records"
                        }
                    ),
                    name: format!("log {}: {what}", log.shown),
                    suite: si,
                    kind: CheckKind::Log { index: li, rule },
                    tags: suite.tags.clone(),
                    deferred: false,
                    support: false,
                });
            }
        }
        for (i, scenario) in suite.scenarios.iter().enumerate() {
            checks.push(Check {
                id: format!("{}#scenarios[{i}]", suite.file),
                name: scenario.name.clone(),
                suite: si,
                kind: CheckKind::Scenario { index: i },
                tags: tags_with(&scenario.tags),
                deferred: scenario.has_deny(),
                support: false,
            });
        }
    }
    let (mut selected, rest): (Vec<Check>, Vec<Check>) =
        checks.into_iter().partition(|c| selection.keeps(c));
    // A deny only counts for a proven role: keep the allow cells that would prove the
    // roles of selected denies, as unreported support checks.
    let needs: Vec<(usize, RoleId)> = selected
        .iter()
        .filter(|c| c.deferred)
        .flat_map(|c| deny_roles(&suites[c.suite], c))
        .collect();
    selected.extend(rest.into_iter().filter_map(|mut c| match c.kind {
        CheckKind::Access {
            role,
            verdict: Verdict::Allow,
            ..
        } if needs.contains(&(c.suite, role)) => {
            c.support = true;
            Some(c)
        }
        _ => None,
    }));
    selected
}

fn deny_roles(suite: &Suite, c: &Check) -> Vec<(usize, RoleId)> {
    match &c.kind {
        CheckKind::Access {
            role,
            verdict: Verdict::Deny,
            ..
        } => vec![(c.suite, *role)],
        CheckKind::Scenario { index } => suite.scenarios[*index]
            .steps
            .iter()
            .filter(|s| s.expect.access == Some(Verdict::Deny))
            .map(|s| (c.suite, s.role))
            .collect(),
        _ => Vec::new(),
    }
}

/// The checks a probe expands into: each case's name.
pub fn probe_cases(suite: &Suite, probe: &Probe) -> Vec<String> {
    match probe {
        Probe::RateLimit(p) => vec![format!(
            "rate_limit {} as {}",
            p.request.line(),
            suite.role(p.role).name
        )],
        Probe::Webhooks(p) => WEBHOOK_CASES
            .iter()
            .filter(|c| {
                **c != "stale_timestamp_refused"
                    || crate::webhook::scheme(p.scheme, &p.header).has_timestamp()
            })
            .map(|c| format!("webhooks {} ({}): {c}", p.request.line(), p.scheme.name()))
            .collect(),
        Probe::Tokens(p) => p
            .mutations
            .iter()
            .map(String::as_str)
            .chain(p.fuzz.map(|_| "fuzz"))
            .map(|m| {
                format!(
                    "tokens {} as {}: {m}",
                    p.request.line(),
                    suite.role(p.role).name
                )
            })
            .collect(),
        Probe::OAuth(p) => p
            .checks
            .iter()
            .map(|c| format!("oauth {}: {c}", suite.auth_servers[p.server].name))
            .collect(),
        Probe::Tls(p) => p
            .urls
            .iter()
            .flat_map(|u| {
                let at = crate::model::host_port(u);
                crate::model::TLS_CHECKS
                    .iter()
                    .map(move |c| format!("tls {at}: {c}"))
            })
            .chain(p.plain_http.iter().map(|u| {
                format!(
                    "tls {}: {}",
                    crate::model::host_port(u),
                    crate::model::PLAIN_HTTP_CHECK
                )
            }))
            .collect(),
        Probe::Headers(p) => p
            .requests
            .iter()
            .flat_map(|r| {
                HEADER_CASES.iter().map(move |c| {
                    format!("headers {} as {}: {c}", r.line(), suite.role(p.role).name)
                })
            })
            .collect(),
    }
}

pub const WEBHOOK_CASES: [&str; 6] = [
    "valid_signature_accepted",
    "unsigned_refused",
    "wrong_secret_refused",
    "tampered_body_refused",
    "stale_timestamp_refused",
    "replay_refused",
];

pub const HEADER_CASES: [&str; 4] = ["nosniff", "framing", "no_store_with_tokens", "cors"];
