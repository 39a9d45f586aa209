//! Compiles one concrete Gherkin scenario into a model scenario, or into probes. `Given I
//! am` picks the role, request modifiers wait for the next `When I send`, and every `Then`
//! applies to the latest request: the same operations a YAML scenario step has. A probe
//! step is a scenario of its own: its cases are its checks.

use super::expand::Concrete;
use super::matcher::{self, Arg};
use super::steps::{Op, StepDef, Takes};
use super::{expect, probes, table};
use crate::load::lower;
use crate::load::raw::SpannedMap;
use crate::load::suggest::unknown_role_help;
use crate::load::{LoadContext, SourceFile, SuiteDiagnostic, request_line};
use crate::model::template::variables;
use crate::model::{Body, Credential, Expectation, Probe, Request, Role, RoleId, Scenario, Step};
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
}

impl FeatureCx<'_> {
    /// A lowering context that knows the feature's roles and auth servers, for what a
    /// step lowers as YAML would (a probe's table, request headers).
    pub fn lowering(&self) -> lower::Cx<'_> {
        let mut cx = lower::Cx::new(self.source, self.ctx, self.redactor);
        cx.role_names = self.roles.iter().map(|r| r.name.clone()).collect();
        cx.server_names = self.servers.clone();
        cx
    }
}

pub(super) struct State<'a, 'b> {
    pub cx: &'a mut FeatureCx<'b>,
    role: Option<RoleId>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    pub steps: Vec<Step>,
    pub captured: Vec<String>,
    probes: Vec<Probe>,
}

impl State<'_, '_> {
    pub fn error(
        &mut self,
        step: &gherkin::Step,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let (line, col) = position(step);
        let mut d = SuiteDiagnostic::new(self.cx.source, line, col, message);
        d.help(help);
        self.cx.errors.push(d);
    }
}

fn position(step: &gherkin::Step) -> (u64, u64) {
    (step.position.line as u64, step.position.col as u64)
}

pub fn scenario(cx: &mut FeatureCx<'_>, c: &Concrete) -> Option<Scenario> {
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
        captured: Vec::new(),
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
    if st.cx.errors.len() > before {
        return None;
    }
    if !st.probes.is_empty() {
        let n = st.probes.len();
        st.cx.probes.append(&mut st.probes);
        st.cx
            .probe_tags
            .extend(std::iter::repeat_n(c.tags.clone(), n));
        return None;
    }
    Some(Scenario {
        name: c.name.clone(),
        steps: st.steps,
        location: source.location(c.line as u64, c.col as u64),
        tags: c.tags.clone(),
        upstream_tls: Vec::new(),
    })
}

/// What is wrong with the scenario as a whole once its steps are applied; `clean` when
/// no step reported a problem.
fn leftovers(st: &State<'_, '_>, c: &Concrete, clean: bool) -> Vec<SuiteDiagnostic> {
    let at = |message: &str, help: &str| {
        let mut d = SuiteDiagnostic::new(st.cx.source, c.line as u64, c.col as u64, message);
        d.help(help);
        d
    };
    let mut problems = Vec::new();
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
            "doc strings go with `I send \"…\" with JSON:` or `with body:`".into(),
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
        Op::Role => {
            let name = text(args, 0);
            match st.cx.roles.iter().position(|r| r.name == name) {
                Some(i) => st.role = Some(RoleId(i)),
                None => {
                    let known: Vec<String> = st.cx.roles.iter().map(|r| r.name.clone()).collect();
                    let help = unknown_role_help(&name, &known);
                    st.error(step, format!("unknown role `{name}`"), help);
                }
            }
        }
        Op::Anonymous => anonymous(st, step),
        Op::RequestHeader | Op::QueryParam => {
            let (line, col) = position(step);
            let name = table::Cell {
                text: text(args, 0),
                line,
                col,
            };
            modify(st, def.op == Op::RequestHeader, vec![(name, text(args, 1))]);
        }
        Op::RequestHeaders | Op::QueryParams => {
            let Some(t) = &step.table else { return };
            if let Some(rows) = table::pairs(st.cx.source, t, &mut st.cx.errors) {
                let entries = rows.into_iter().map(|r| (r.key, r.value.text)).collect();
                modify(st, def.op == Op::RequestHeaders, entries);
            }
        }
        Op::Send | Op::SendJson | Op::SendBody => send(st, step, def.op, &text(args, 0)),
        Op::Probe(kind) => {
            let Some(t) = &step.table else { return };
            let Some(rows) = table::pairs(st.cx.source, t, &mut st.cx.errors) else {
                return;
            };
            let index = st.cx.probes.len() + st.probes.len();
            match probes::lower(st.cx, index, kind, &rows, position(step)) {
                Ok(p) => st.probes.push(p),
                Err(errors) => st.cx.errors.extend(errors),
            }
        }
        _ => expect::apply(st, step, def.op, args),
    }
}

fn anonymous(st: &mut State<'_, '_>, step: &gherkin::Step) {
    let roles = &mut st.cx.roles;
    match roles.iter().position(|r| r.name == "anonymous") {
        Some(i) if matches!(roles[i].credential, Credential::None) => st.role = Some(RoleId(i)),
        Some(_) => st.error(
            step,
            "the role `anonymous` has credentials",
            "`I am anonymous` sends none: rename that role",
        ),
        None => {
            roles.push(Role {
                name: "anonymous".into(),
                credential: Credential::None,
                proof: None,
            });
            st.role = Some(RoleId(roles.len() - 1));
        }
    }
}

/// Headers or query parameters for the next request, lowered as a YAML request's:
/// references resolved and redacted, literal credentials refused.
fn modify(st: &mut State<'_, '_>, header: bool, entries: Vec<(table::Cell, String)>) {
    let entries = entries.into_iter().map(|(k, v)| (k.spanned(), v)).collect();
    let part = if header {
        lower::Part::Header
    } else {
        lower::Part::Query
    };
    let mut cx = st.cx.lowering();
    let values = lower::request_values(&mut cx, Some(&SpannedMap(entries)), part);
    st.cx.errors.append(&mut cx.errors);
    if header {
        st.headers.extend(values);
    } else {
        st.query.extend(values);
    }
}

fn send(st: &mut State<'_, '_>, step: &gherkin::Step, op: Op, line: &str) {
    let Some(role) = st.role else {
        st.error(
            step,
            "no role yet",
            "add `Given I am \"ROLE\"` (or `Given I am anonymous`) before sending",
        );
        return;
    };
    let (method, path) = match request_line::parse(line) {
        Ok(parsed) => parsed,
        Err(bad) => return st.error(step, bad.message, bad.help),
    };
    let doc = step
        .docstring
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    let body = match op {
        Op::SendJson => match serde_json::from_str(&doc) {
            Ok(v) => Some(Body::Json(v)),
            Err(e) => {
                return st.error(
                    step,
                    format!("the doc string is not JSON: {e}"),
                    "put the JSON body between \"\"\" lines under the step",
                );
            }
        },
        Op::SendBody => Some(Body::Text(doc)),
        _ => None,
    };
    let (l, c) = position(step);
    let request = Request {
        method,
        path,
        headers: std::mem::take(&mut st.headers),
        query: std::mem::take(&mut st.query),
        body,
        location: st.cx.source.location(l, c),
    };
    let mut texts = vec![request.path.clone()];
    texts.extend(
        request
            .headers
            .iter()
            .chain(&request.query)
            .map(|(_, v)| v.clone()),
    );
    match &request.body {
        Some(Body::Json(j)) => texts.push(j.to_string()),
        Some(Body::Text(t)) => texts.push(t.clone()),
        None => {}
    }
    for var in texts
        .iter()
        .flat_map(|t| variables(t))
        .map(str::to_string)
        .collect::<Vec<_>>()
    {
        if !st.captured.contains(&var) {
            st.error(
                step,
                format!("`{{{{{var}}}}}` is not remembered by an earlier step"),
                "add `And I remember \"$.path\" as \"NAME\"` after an earlier request",
            );
        }
    }
    st.steps.push(Step {
        role,
        request,
        expect: Expectation::default(),
        captures: Vec::new(),
    });
}
