//! Access semantics, shared by access-matrix cells and scenario steps. Allow passes on any
//! 2xx. Deny passes on a policy refusal status, but only for a role whose credentials are
//! proven to work in this run (a passing allow, or its `proof:` request): otherwise the
//! refusal may just mean the credential is broken, and the check is an error ("vacuous
//! deny"). The proof must hold at the time of the deny: a refusal judged after the `exp`
//! of the role's JWT is an error too (the schedule also runs each role's proof again after
//! its last deny). Fail closed: never count an unproven refusal as a pass.

use crate::engine::checks::expect::one_of;
use crate::engine::checks::leaks::{cut_note, too_large};
use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::jose::Jwt;
use crate::model::template::Vars;
use crate::model::{Credential, Location, Policy, Role, RoleId, Verdict};
use crate::results::rule::{self, Rule};
use crate::results::{
    Actual, CheckError, ErrorKind, Evidence, Finding, LeakLine, Outcome, RequestInfo,
};

/// Whether a role's credentials were shown to work, and if not, why we think not.
#[derive(Clone, Debug)]
pub enum Proof {
    Proven,
    /// Proven by a `proof:` request whose response leaks: these leaks fail the denies
    /// that rely on it, since no test case of its own reports the proof.
    ProvenLeaking(Vec<LeakLine>),
    Unproven(String),
}

impl Proof {
    /// Leaks of the proof request, to report with a deny that relies on it.
    pub fn leaks(&self) -> &[LeakLine] {
        match self {
            Proof::ProvenLeaking(leaks) => leaks,
            _ => &[],
        }
    }

    pub fn missing(role: &Role) -> Self {
        Proof::Unproven(format!(
            "no allow for {} passed in this run and it has no `proof:` request",
            role.name
        ))
    }
}

/// How one response measures against an allow or deny expectation.
pub enum Judgement {
    Pass,
    /// A finding of `rule`: (one-line message, what was expected).
    Fail(&'static Rule, String, String),
    /// The refusal proves nothing: (one-line message, why).
    Vacuous(String, String),
}

pub fn judge(
    verdict: Verdict,
    ex: &Exchange,
    policy: &Policy,
    role: &Role,
    proof: &Proof,
) -> Judgement {
    let success = (200..300).contains(&ex.status);
    let denied = &policy.deny_status;
    match verdict {
        Verdict::Allow if success => Judgement::Pass,
        Verdict::Allow => Judgement::Fail(
            &rule::ACCESS_ALLOW,
            format!("allow expected (2xx), got {}", ex.status_line()),
            "allowed (2xx)".into(),
        ),
        Verdict::Deny if success => Judgement::Fail(
            &rule::ACCESS_DENY,
            format!(
                "deny expected ({}), got {}: the request was accepted",
                one_of(denied),
                ex.status_line()
            ),
            format!("refused ({})", one_of(denied)),
        ),
        Verdict::Deny if !denied.contains(&ex.status) => Judgement::Fail(
            &rule::ACCESS_DENY,
            format!(
                "deny expected ({}), got {}",
                one_of(denied),
                ex.status_line()
            ),
            format!("refused ({})", one_of(denied)),
        ),
        Verdict::Deny => match (proof, expired(role)) {
            (_, Some(exp)) => Judgement::Vacuous(
                format!(
                    "vacuous deny: {}'s token expired at {}",
                    role.name,
                    rfc3339(exp)
                ),
                format!(
                    "this refusal ({}) came after the token's `exp`, so it may only mean the \
                     token expired; give the role a token that outlives the run.",
                    ex.status_line()
                ),
            ),
            (Proof::Unproven(why), None) if role.needs_proof() => Judgement::Vacuous(
                format!("vacuous deny: role {} was never authenticated", role.name),
                format!(
                    "{why}, so this refusal ({}) proves nothing: it may only mean the \
                     credential itself is broken.",
                    ex.status_line()
                ),
            ),
            _ => Judgement::Pass,
        },
    }
}

/// The `exp` of the role's own JWT (a `bearer:` credential), when it has passed.
fn expired(role: &Role) -> Option<i64> {
    let Credential::Bearer(token) = &role.credential else {
        return None;
    };
    let exp = Jwt::parse(token.expose())?.claims.get("exp")?.as_i64()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs() as i64;
    (now >= exp).then_some(exp)
}

/// `2026-12-02T04:05:06Z`.
fn rfc3339(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!(
            "{}T{:02}:{:02}:{:02}Z",
            t.date(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => format!("{unix} (Unix time)"),
    }
}

pub struct Cell<'a> {
    pub suite: usize,
    pub entry: usize,
    pub role: RoleId,
    pub verdict: Verdict,
    pub location: &'a Location,
}

pub async fn run(ctx: &Context, cell: &Cell<'_>, proof: &Proof) -> Outcome {
    let suite = &ctx.suites[cell.suite].suite;
    let entry = &suite.access[cell.entry];
    let role = suite.role(cell.role);
    let ex = match ctx
        .exchange(cell.suite, cell.role, &entry.request, &Vars::new())
        .await
    {
        Ok(ex) => ex,
        Err(e) => {
            let evidence = Evidence {
                request: Some(RequestInfo::new(&entry.request.line(), Some(&role.name))),
                ..Evidence::at(cell.location)
            };
            let message = format!("the request could not be made: {e}");
            return Outcome::Error(CheckError::new(ErrorKind::Harness(e), message, evidence));
        }
    };
    let mut leaks = ctx.leak_lines(cell.suite, &ex, &[]);
    if cell.verdict == Verdict::Deny {
        leaks.extend(proof.leaks().iter().cloned());
    }
    // A body beyond --max-body: the status is still judged, and a leak in what was read
    // is still a finding; only "no leak" cannot be said.
    let partial = ctx.scan_is_partial(cell.suite, &ex);
    let notes: Vec<String> = partial
        .then(|| cut_note(&ex, &["the leak scan"]))
        .flatten()
        .into_iter()
        .collect();
    let request = Some(RequestInfo::new(&ex.request_line, Some(&role.name)));
    let evidence = |expected: String| Evidence {
        notes: notes.clone(),
        request: request.clone(),
        expected: Some(expected),
        actual: Some(actual(ctx, &ex)),
        leaks: leaks.clone(),
        ..Evidence::at(cell.location)
    };
    match judge(cell.verdict, &ex, &suite.policy, role, proof) {
        Judgement::Pass => match leaks.first() {
            None if partial => {
                let e = too_large(&ex, &["the leak scan"]);
                let evidence = Evidence {
                    request: request.clone(),
                    actual: Some(actual(ctx, &ex)),
                    ..Evidence::at(cell.location)
                };
                let message = e.to_string();
                Outcome::Error(CheckError::new(ErrorKind::Harness(e), message, evidence))
            }
            None => Outcome::Pass,
            Some(first) => Outcome::Fail(Finding::leak(
                first,
                format!("the access rule held, but the response leaks {first}"),
                evidence(format!("{} and no leak", cell.verdict.as_str())),
            )),
        },
        Judgement::Fail(rule, message, expected) => {
            Outcome::Fail(Finding::of(rule, message, evidence(expected)))
        }
        Judgement::Vacuous(message, why) => Outcome::Error(CheckError::new(
            ErrorKind::VacuousDeny,
            message,
            Evidence {
                notes: std::iter::once(why).chain(notes).collect(),
                request,
                leaks,
                ..Evidence::at(cell.location)
            },
        )),
    }
}

/// The status line and the start of the redacted body.
pub fn actual(ctx: &Context, ex: &Exchange) -> Actual {
    actual_shown(ex, &ctx.redactor.redact(&ex.body))
}

/// `actual` with the body already redacted (`shown`): redacting a body of many MiB
/// once is enough.
pub fn actual_shown(ex: &Exchange, shown: &str) -> Actual {
    Actual {
        status: ex.status_line(),
        excerpt: Some(ex.body_excerpt(shown)),
        headers: Vec::new(),
    }
}

/// Runs a role's `proof:` request: any 2xx proves its credentials.
pub async fn prove(ctx: &Context, suite: usize, role: RoleId) -> Proof {
    let r = ctx.suites[suite].suite.role(role);
    let Some(request) = &r.proof else {
        return Proof::missing(r);
    };
    match ctx.send(suite, role, request, &Vars::new()).await {
        Ok(ex) if (200..300).contains(&ex.status) => {
            let leaks = ctx.leak_lines(suite, &ex, &[]);
            if leaks.is_empty() {
                Proof::Proven
            } else {
                let whose = format!("{}'s proof {}", r.name, ex.request_line);
                let of = |l: LeakLine| LeakLine {
                    whose: Some(whose.clone()),
                    ..l
                };
                Proof::ProvenLeaking(leaks.into_iter().map(of).collect())
            }
        }
        Ok(ex) => Proof::Unproven(format!(
            "no allow for {} passed in this run and its proof `{}` answered {}",
            r.name,
            request.line(),
            ex.status_line()
        )),
        Err(e) => Proof::Unproven(format!(
            "its proof `{}` could not be made: {e}",
            request.line()
        )),
    }
}
