//! Expansion: every suite into its checks. An access matrix gives one check per cell, a
//! probe one per case (the probe says which cases it has), a log rule one per rule, a
//! scenario one. Ids are stable across runs: `file#access[2].deny.reader`,
//! `file#probes[1].3` (the case's position in the probe's case list).

use thin_vec::ThinVec;

use super::check::{Check, CheckKind, LogCheck};
use crate::model::{Probe, ProbeCase, RoleId, Suite, Verdict, host_port};

/// Every check of every suite, in suite order.
pub fn expand(suites: &[Suite]) -> Vec<Check> {
    // The plan is the largest thing a run holds: room is made for it exactly, at once.
    // Grown by doubling, 100,000 checks would hold room for 131,072.
    let rest: Vec<Vec<Check>> = suites
        .iter()
        .enumerate()
        .map(|(si, suite)| {
            let mut rest = Vec::new();
            probes(&mut rest, si, suite);
            logs(&mut rest, si, suite);
            scenarios(&mut rest, si, suite);
            super::openapi::checks(&mut rest, si, suite);
            rest
        })
        .collect();
    let cells: usize = suites
        .iter()
        .flat_map(|s| &s.access)
        .map(|e| e.allow.len() + e.deny.len())
        .sum();
    let mut checks = Vec::with_capacity(cells + rest.iter().map(Vec::len).sum::<usize>());
    for ((si, suite), mut rest) in suites.iter().enumerate().zip(rest) {
        access(&mut checks, si, suite);
        checks.append(&mut rest);
    }
    checks
}

fn tags_with(suite: &Suite, own: &[String]) -> ThinVec<String> {
    suite.tags.iter().chain(own).cloned().collect()
}

fn access(checks: &mut Vec<Check>, si: usize, suite: &Suite) {
    for (ei, entry) in suite.access.iter().enumerate() {
        let cells = (entry
            .allow
            .iter()
            .enumerate()
            .map(|(n, c)| (Verdict::Allow, n, c)))
        .chain(
            entry
                .deny
                .iter()
                .enumerate()
                .map(|(n, c)| (Verdict::Deny, n, c)),
        );
        for (verdict, cell, (role, _)) in cells {
            let kind = CheckKind::Access {
                entry: ei,
                role: *role,
                verdict,
                cell,
            };
            checks.push(Check::access_cell(si, kind, tags_with(suite, &entry.tags)));
        }
    }
}

fn probes(checks: &mut Vec<Check>, si: usize, suite: &Suite) {
    for (pi, probe) in suite.probes.iter().enumerate() {
        let own = suite.probe_tags.get(pi).map_or(&[][..], Vec::as_slice);
        for (n, case) in cases(probe).into_iter().enumerate() {
            checks.push(Check::labelled(
                format!("{}#probes[{pi}].{n}", suite.file),
                case_name(suite, probe, case),
                si,
                CheckKind::Probe { probe: pi, case },
                tags_with(suite, own),
            ));
        }
    }
}

/// The probe's cases, in report order.
fn cases(probe: &Probe) -> Vec<ProbeCase> {
    match probe {
        Probe::RateLimit(p) => p.cases(),
        Probe::Webhooks(p) => p.cases(crate::webhook::scheme(p.scheme, &p.header).has_timestamp()),
        Probe::Headers(p) => p.cases(),
        Probe::Tokens(p) => p.cases(),
        Probe::OAuth(p) => p.cases(),
        Probe::Tls(p) => p.cases(),
        Probe::Enumeration(p) => p.cases(),
    }
}

/// `webhooks POST /hooks (stripe): unsigned_refused`: what the probe checks, then the case.
fn case_name(suite: &Suite, probe: &Probe, case: ProbeCase) -> String {
    let role = |id: RoleId| &suite.role(id).name;
    let what = match (probe, case) {
        // One case: the probe's name is the check's.
        (Probe::RateLimit(p), _) => {
            return match p.role {
                Some(id) => format!("rate_limit {} as {}", p.request.line(), role(id)),
                None => format!("rate_limit {}", p.request.line()),
            };
        }
        (Probe::Webhooks(p), _) => format!("webhooks {} ({})", p.request.line(), p.scheme.name()),
        (Probe::Headers(p), ProbeCase::Headers { request, .. }) => match p.requests.get(request) {
            Some(r) => format!("headers {} as {}", r.line(), role(p.role)),
            None => "headers".to_string(),
        },
        (Probe::Headers(_), _) => "headers".to_string(),
        (Probe::Tokens(p), _) => format!("tokens {} as {}", p.request.line(), role(p.role)),
        (Probe::OAuth(p), _) => format!("oauth {}", suite.auth_servers[p.server].name),
        (Probe::Tls(p), ProbeCase::Tls(c)) if c.url().is_some() => {
            format!(
                "tls {}",
                c.url()
                    .and_then(|url| p.urls.get(url))
                    .map_or(String::new(), |u| host_port(u))
            )
        }
        (Probe::Tls(p), _) => format!(
            "tls {}",
            p.plain_http.as_deref().map_or(String::new(), host_port)
        ),
        (Probe::Enumeration(p), _) => match p.role {
            Some(id) => format!("enumeration {} as {}", p.unknown.line(), role(id)),
            None => format!("enumeration {}", p.unknown.line()),
        },
    };
    format!("{what}: {}", case.name())
}

fn logs(checks: &mut Vec<Check>, si: usize, suite: &Suite) {
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
            let id = match rule {
                LogCheck::NoSecrets => "no_secrets",
                LogCheck::Records => "records",
            };
            checks.push(Check::labelled(
                format!("{}#logs[{li}].{id}", suite.file),
                format!("log {}: {what}", log.shown),
                si,
                CheckKind::Log { index: li, rule },
                suite.tags.clone(),
            ));
        }
    }
}

fn scenarios(checks: &mut Vec<Check>, si: usize, suite: &Suite) {
    for (i, scenario) in suite.scenarios.iter().enumerate() {
        let mut check = Check::labelled(
            format!("{}#scenarios[{i}]", suite.file),
            scenario.name.clone(),
            si,
            CheckKind::Scenario { index: i },
            tags_with(suite, &scenario.tags),
        );
        check.deferred = scenario.has_deny();
        checks.push(check);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::load::{LoadContext, LoadOptions, load_paths};
    use crate::model::{HeadersCase, TlsCase, TlsCheck, TokensCase, WebhookCase};
    use crate::redact::Redactor;

    pub const SUITE: &str = "suite: s
target:
  base_url: https://api.test
roles:
  user:
    bearer: ${env:T}
probes:
  - webhooks: { request: POST /hooks, scheme: github, secret: ${env:S}, payload: { id: e } }
  - webhooks: { request: POST /hooks, scheme: stripe, secret: ${env:S}, payload: { id: e } }
  - headers: { as: user, requests: [GET /a, GET /b] }
  - tls: { urls: [https://a.test, https://b.test:8443], plain_http: http://a.test }
  - tokens: { as: user, request: GET /a, mutations: [alg_none, expired], fuzz: 10 }
  - rate_limit: { as: user, request: GET /a }
";

    pub fn suites() -> Vec<Suite> {
        load(SUITE)
    }

    fn load(text: &str) -> Vec<Suite> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, text).unwrap();
        let env: Vec<(String, String)> = vec![
            ("T".into(), "t-for-the-plan-test".into()),
            ("S".into(), "s-for-the-plan-test".into()),
        ];
        let ctx = LoadContext::new(Arc::new(env), Vec::new());
        let options = LoadOptions {
            ctx: &ctx,
            redactor: &Redactor::new(),
            config: None,
        };
        load_paths(&[path], &options).unwrap()
    }

    fn probe_check(suites: &[Suite], checks: &[Check], id: &str) -> (String, ProbeCase) {
        let c = checks
            .iter()
            .find(|c| c.id(&suites[c.suite]).ends_with(id))
            .unwrap_or_else(|| panic!("no check {id}"));
        let CheckKind::Probe { case, .. } = c.kind else {
            panic!("{id} is no probe check")
        };
        (c.name(&suites[c.suite]).into_owned(), case)
    }

    #[test]
    fn probe_checks_keep_their_ids_and_names() {
        let suites = suites();
        let checks = expand(&suites);
        let expected = [
            (
                "#probes[0].0",
                "webhooks POST /hooks (github): valid_signature_accepted",
                ProbeCase::Webhooks(WebhookCase::ValidSignatureAccepted),
            ),
            // github signs no timestamp: no stale case, replay is fifth.
            (
                "#probes[0].4",
                "webhooks POST /hooks (github): replay_refused",
                ProbeCase::Webhooks(WebhookCase::ReplayRefused),
            ),
            (
                "#probes[1].4",
                "webhooks POST /hooks (stripe): stale_timestamp_refused",
                ProbeCase::Webhooks(WebhookCase::StaleTimestampRefused),
            ),
            (
                "#probes[1].5",
                "webhooks POST /hooks (stripe): replay_refused",
                ProbeCase::Webhooks(WebhookCase::ReplayRefused),
            ),
            (
                "#probes[2].5",
                "headers GET /b as user: framing",
                ProbeCase::Headers {
                    request: 1,
                    case: HeadersCase::Framing,
                },
            ),
            (
                "#probes[3].17",
                "tls b.test:8443: hsts",
                ProbeCase::Tls(TlsCase::Url {
                    url: 1,
                    check: TlsCheck::Hsts,
                }),
            ),
            (
                "#probes[3].18",
                "tls a.test:80: plain_http_refused_or_redirected",
                ProbeCase::Tls(TlsCase::PlainHttp),
            ),
            (
                "#probes[4].1",
                "tokens GET /a as user: expired",
                ProbeCase::Tokens(TokensCase::Mutation("expired")),
            ),
            (
                "#probes[4].2",
                "tokens GET /a as user: fuzz",
                ProbeCase::Tokens(TokensCase::Fuzz),
            ),
            (
                "#probes[5].0",
                "rate_limit GET /a as user",
                ProbeCase::RateLimit(crate::model::RateLimitCase::Limited),
            ),
        ];
        for (id, name, case) in expected {
            assert_eq!(
                probe_check(&suites, &checks, id),
                (name.to_string(), case),
                "{id}"
            );
        }
        let count = |pi: usize| {
            checks
                .iter()
                .filter(|c| matches!(c.kind, CheckKind::Probe { probe, .. } if probe == pi))
                .count()
        };
        assert_eq!((0..6).map(count).collect::<Vec<_>>(), [5, 6, 8, 19, 3, 1]);
    }

    #[test]
    fn access_cells_are_named_and_placed_from_their_entry() {
        let suites = load(
            "suite: s
target:
  base_url: https://api.test
roles:
  user:
    bearer: ${env:T}
  admin:
    bearer: ${env:T}
access:
  - request: GET /orders
    allow: [admin]
    deny: [user]
  - request: DELETE /orders/1
    deny: [user, admin]
",
        );
        let checks = expand(&suites);
        let got: Vec<(String, String, (u64, u64))> = checks
            .iter()
            .map(|c| {
                let suite = &suites[c.suite];
                let at = c.cell_location(suite).unwrap();
                let id = c.id(suite);
                let id = id.rsplit_once('#').unwrap().1.to_string();
                (id, c.name(suite).into_owned(), (at.line, at.column))
            })
            .collect();
        let want = [
            (
                "access[0].allow.admin",
                "GET /orders as admin: allow",
                (11, 13),
            ),
            ("access[0].deny.user", "GET /orders as user: deny", (12, 12)),
            (
                "access[1].deny.user",
                "DELETE /orders/1 as user: deny",
                (14, 12),
            ),
            (
                "access[1].deny.admin",
                "DELETE /orders/1 as admin: deny",
                (14, 18),
            ),
        ];
        let want: Vec<(String, String, (u64, u64))> = want
            .iter()
            .map(|(id, name, at)| (id.to_string(), name.to_string(), *at))
            .collect();
        assert_eq!(got, want);
        assert!(
            checks
                .iter()
                .all(|c| c.id(&suites[0]).starts_with(&*suites[0].file))
        );
        assert_eq!(
            checks.iter().map(|c| c.deferred).collect::<Vec<_>>(),
            [false, true, true, true]
        );
    }

    #[test]
    fn ids_are_unique() {
        let suites = suites();
        let checks = expand(&suites);
        let mut ids: Vec<String> = checks
            .iter()
            .map(|c| c.id(&suites[c.suite]).into_owned())
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
