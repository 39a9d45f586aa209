//! Builds one concrete Gherkin scenario into the raw scenario a YAML suite deserializes
//! to, and lowers it with the one lowering; or lowers its probe step. `Given I am` picks
//! the role, request modifiers wait for the next `When I send`, and every `Then` applies
//! to the latest request: the same fields a YAML scenario step has, each at its step's
//! position; `Given the upstream …` steps are the scenario's `upstream_faults`. A probe
//! step is a scenario of its own: its cases are its checks.

use super::expand::Concrete;
use super::matcher::{self, Arg};
use super::steps::{Op, StepDef, Takes};
use super::{expect, probes, request, table, upstream};
use crate::load::lower;
use crate::load::raw::{Pos, RawScenario, RawStep, S};
use crate::load::{LoadContext, SourceFile, SuiteDiagnostic};
use crate::model::{Probe, Role, Scenario};
use crate::redact::Redactor;

/// What the scenarios of one feature share: where references resolve, the roles, and
/// what has been lowered so far.
pub struct FeatureCx<'a> {
    pub source: &'a SourceFile,
    pub ctx: &'a LoadContext,
    pub redactor: &'a Redactor,
    pub demo: bool,
    pub servers: Vec<String>,
    pub roles: Vec<Role>,
    pub probes: Vec<Probe>,
    pub probe_tags: Vec<Vec<String>>,
    pub errors: Vec<SuiteDiagnostic>,
    /// Where the cells of the feature's tables are, found once per table.
    pub tables: table::TablePositions,
    /// The config's `secrets:`, for `${secret:NAME}` in steps.
    pub secrets: Vec<crate::load::secret_command::SecretCommand>,
    /// Variables every scenario may use: `run.id`, and what the config's `setup:` captures.
    pub run_vars: Vec<String>,
    /// The config's stub upstreams, by name, and whether it starts a SUT.
    pub upstreams: Vec<String>,
    pub has_sut: bool,
}

impl FeatureCx<'_> {
    /// A lowering context that knows the feature's roles and auth servers and words its
    /// messages for Gherkin.
    pub fn lowering(&self) -> lower::Cx<'_> {
        let mut cx = lower::Cx::new(self.source, self.ctx, self.redactor);
        cx.role_names = self.roles.iter().map(|r| r.name.clone()).collect();
        cx.server_names = self.servers.clone();
        cx.front = lower::FrontEnd::Gherkin;
        cx.secrets = self.secrets.clone();
        cx.run_vars = self.run_vars.clone();
        cx.upstream_names = self.upstreams.clone();
        cx.has_sut = self.has_sut;
        cx
    }

    /// Runs `f` on a lowering context and keeps the problems it found.
    pub fn lower<T>(&mut self, f: impl FnOnce(&mut lower::Cx<'_>) -> T) -> T {
        let mut cx = self.lowering();
        let out = f(&mut cx);
        let mut errors = std::mem::take(&mut cx.errors);
        drop(cx);
        self.errors.append(&mut errors);
        out
    }
}

/// The raw scenario being built from a scenario's steps.
pub(super) struct State<'a, 'b> {
    pub cx: &'a mut FeatureCx<'b>,
    /// The current role, where the `Given I am` step that named it is written.
    pub role: Option<S<String>>,
    /// Request modifiers waiting for the next `When I send`.
    pub headers: Vec<(S<String>, String)>,
    pub query: Vec<(S<String>, String)>,
    pub steps: Vec<RawStep>,
    /// `Given the upstream "NAME" …`: the scenario's `upstream_faults`.
    pub faults: Vec<(S<String>, crate::load::raw::RawFault)>,
    probes: Vec<Probe>,
}

impl State<'_, '_> {
    pub fn error(
        &mut self,
        step: &gherkin::Step,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let at = position(step);
        let mut d = SuiteDiagnostic::at(self.cx.source, &at, message);
        d.help(help);
        self.cx.errors.push(d);
    }
}

/// Where a step is written (its keyword), the position every raw value it gives takes.
pub(super) fn position(step: &gherkin::Step) -> Pos {
    Pos::new(step.position.line as u64, step.position.col as u64)
}

pub fn scenario(cx: &mut FeatureCx<'_>, c: &Concrete<'_>) -> Option<Scenario> {
    let source = cx.source;
    if let Some((line, col, message)) = &c.problem {
        let d = SuiteDiagnostic::new(source, *line as u64, *col as u64, message.clone());
        cx.errors.push(d);
        return None;
    }
    let before = cx.errors.len();
    let mut st = State {
        cx,
        role: None,
        headers: Vec::new(),
        query: Vec::new(),
        steps: Vec::new(),
        faults: Vec::new(),
        probes: Vec::new(),
    };
    for (i, step) in c.steps.iter().enumerate() {
        let Some((def, args)) = matcher::find(&step.value) else {
            let help = match matcher::suggestions(&step.value).as_slice() {
                [] => "run `authspec steps` for the whole catalogue".to_string(),
                s => format!(
                    "did you mean {}? Run `authspec steps` for the whole catalogue",
                    s.iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            };
            let message = format!("unknown step `{} {}`", step.keyword.trim(), step.value);
            st.error(step, message, help);
            continue;
        };
        if i < c.background && matches!(def.op, Op::Probe(_)) {
            st.error(
                step,
                "a probe step cannot be in a Background",
                "every scenario would run the probe again: give it a scenario of its own",
            );
            continue;
        }
        apply(&mut st, step, def, &args);
    }
    let problems = leftovers(&st, c, st.cx.errors.len() == before);
    st.cx.errors.extend(problems);
    if !st.probes.is_empty() {
        if st.cx.errors.len() == before {
            let n = st.probes.len();
            st.cx.probes.append(&mut st.probes);
            st.cx
                .probe_tags
                .extend(std::iter::repeat_n(c.tags.clone(), n));
        }
        return None;
    }
    if st.steps.is_empty() {
        return None;
    }
    let mut raw = raw_scenario(c, std::mem::take(&mut st.steps));
    raw.upstream_faults = super::upstream::faults(std::mem::take(&mut st.faults));
    // Lowered even after a step's problem, so that every problem is reported at once.
    let lowered = st.cx.lower(|cx| lower::scenario(cx, &raw));
    lowered.filter(|_| st.cx.errors.len() == before)
}

fn raw_scenario(c: &Concrete<'_>, steps: Vec<RawStep>) -> RawScenario {
    RawScenario {
        name: S::new(c.name.clone(), Pos::new(c.line as u64, c.col as u64)),
        tags: c.tags.clone(),
        steps: Some(steps),
        as_role: None,
        request: None,
        json: None,
        form: None,
        body: None,
        headers: None,
        query: None,
        expect: None,
        capture: None,
        upstream_tls: None,
        upstream_faults: None,
    }
}

/// What is wrong with the scenario as a whole once its steps are applied; `clean` when
/// no step reported a problem.
fn leftovers(st: &State<'_, '_>, c: &Concrete<'_>, clean: bool) -> Vec<SuiteDiagnostic> {
    let at = |message: &str, help: &str| {
        let mut d = SuiteDiagnostic::new(st.cx.source, c.line as u64, c.col as u64, message);
        d.help(help);
        d
    };
    let mut problems = Vec::new();
    if !st.probes.is_empty() && !st.faults.is_empty() {
        problems.push(at(
            "this scenario runs a probe and makes an upstream misbehave",
            "an upstream fault applies to the requests of a scenario: give the probe a scenario of its own",
        ));
    }
    if !st.probes.is_empty() && !st.steps.is_empty() {
        problems.push(at(
            "this scenario both sends requests and runs a probe",
            "a probe's cases are its checks: give the probe step a scenario of its own",
        ));
    }
    if st.steps.is_empty() && st.probes.is_empty() && clean {
        problems.push(at(
            "this scenario sends no request",
            "add `When I send \"METHOD /path\"`, or a probe step",
        ));
    }
    if !st.headers.is_empty() || !st.query.is_empty() {
        problems.push(at(
            "a request header or query step is not followed by `When I send`",
            "request modifiers apply to the next request",
        ));
    }
    problems
}

pub(super) fn text(args: &[Arg], i: usize) -> String {
    match args.get(i) {
        Some(Arg::Text(t)) => t.clone(),
        _ => String::new(),
    }
}

/// Nothing a step is given may be silently ignored, and nothing it needs may be missing.
fn takes_what_it_gets(st: &mut State<'_, '_>, step: &gherkin::Step, takes: Takes) -> bool {
    let problem = match (takes, step.docstring.is_some(), step.table.is_some()) {
        (Takes::DocString, false, _) => Some((
            "this step needs a doc string",
            "put the text between \"\"\" lines under the step".to_string(),
        )),
        (Takes::Pairs, _, false) => Some((
            "this step needs a data table",
            "add one `| name | value |` row per entry under the step (no header row)".into(),
        )),
        (Takes::Keys(keys), _, false) => Some((
            "this step needs a data table",
            format!(
                "add `| key | value |` rows under the step (no header row); keys: {}",
                keys.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
            ),
        )),
        (Takes::Nothing | Takes::Pairs | Takes::Keys(_), true, _) => Some((
            "this step takes no doc string",
            "doc strings go with `I send \"…\" with JSON:`, `with body:` or `the upstream \"…\" answers N with:`".into(),
        )),
        (Takes::Nothing | Takes::DocString, _, true) => Some((
            "this step takes no data table",
            "run `authspec steps` for the steps and what they take".into(),
        )),
        _ => None,
    };
    match problem {
        Some((message, help)) => {
            st.error(step, message, help);
            false
        }
        None => true,
    }
}

fn apply(st: &mut State<'_, '_>, step: &gherkin::Step, def: &StepDef, args: &[Arg]) {
    if !takes_what_it_gets(st, step, def.takes) {
        return;
    }
    match def.op {
        Op::Role => request::role(st, step, text(args, 0)),
        Op::Anonymous => request::anonymous(st, step),
        Op::RequestHeader | Op::QueryParam => {
            let name = S::new(text(args, 0), position(step));
            request::modify(st, def.op == Op::RequestHeader, vec![(name, text(args, 1))]);
        }
        Op::RequestHeaders | Op::QueryParams => {
            let Some(t) = &step.table else { return };
            if let Some(rows) = table::pairs(st.cx.source, t, &mut st.cx.tables, &mut st.cx.errors)
            {
                let entries = rows
                    .into_iter()
                    .map(|r| (r.key.spanned(), r.value.text))
                    .collect();
                request::modify(st, def.op == Op::RequestHeaders, entries);
            }
        }
        Op::Send | Op::SendJson | Op::SendBody => request::send(st, step, def.op, &text(args, 0)),
        Op::Fault(kind) => upstream::fault(st, step, kind, args),
        Op::Within | Op::UpstreamReceived | Op::UpstreamReceivedBetween | Op::UpstreamBackoff => {
            upstream::expect(st, step, def.op, args)
        }
        Op::Probe(kind) => {
            let Some(t) = &step.table else { return };
            let Some(rows) = table::pairs(st.cx.source, t, &mut st.cx.tables, &mut st.cx.errors)
            else {
                return;
            };
            let index = st.cx.probes.len() + st.probes.len();
            let at = position(step);
            match probes::lower(st.cx, index, kind, &rows, (at.line, at.column)) {
                Ok(p) => st.probes.push(p),
                Err(errors) => st.cx.errors.extend(errors),
            }
        }
        _ => expect::apply(st, step, def.op, args),
    }
}
