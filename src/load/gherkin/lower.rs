//! Compiles one concrete Gherkin scenario into a model scenario. `Given I am` picks the
//! role, request modifiers wait for the next `When I send`, and every `Then` applies to
//! the latest request: the same operations a YAML scenario step has.

use serde_json_path::JsonPath;

use super::expand::Concrete;
use super::steps::{self, Arg, Op};
use crate::engine::template::variables;
use crate::load::suggest::unknown_role_help;
use crate::load::{SourceFile, SuiteDiagnostic, request_line};
use crate::model::{
    Body, Capture, Credential, Expectation, HeaderExpectation, JsonAssertion, Request, Role,
    RoleId, Scenario, Step, Verdict,
};

struct State<'a> {
    source: &'a SourceFile,
    errors: &'a mut Vec<SuiteDiagnostic>,
    role: Option<RoleId>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    steps: Vec<Step>,
    captured: Vec<String>,
}

impl State<'_> {
    fn error(&mut self, step: &gherkin::Step, message: impl Into<String>, help: impl Into<String>) {
        let mut d = SuiteDiagnostic::new(
            self.source,
            step.position.line as u64,
            step.position.col as u64,
            message,
        );
        d.help(help);
        self.errors.push(d);
    }
}

pub fn scenario(
    source: &SourceFile,
    c: &Concrete,
    roles: &mut Vec<Role>,
    errors: &mut Vec<SuiteDiagnostic>,
) -> Option<Scenario> {
    if let Some((line, col, message)) = &c.problem {
        errors.push(SuiteDiagnostic::new(
            source,
            *line as u64,
            *col as u64,
            message.clone(),
        ));
        return None;
    }
    let before = errors.len();
    let mut st = State {
        source,
        errors,
        role: None,
        headers: Vec::new(),
        query: Vec::new(),
        steps: Vec::new(),
        captured: Vec::new(),
    };
    for step in &c.steps {
        let Some((def, args)) = steps::find(&step.value) else {
            let suggestions = steps::suggestions(&step.value);
            let help = match suggestions.as_slice() {
                [] => "run `authspec steps` for the whole catalogue".to_string(),
                s => format!(
                    "did you mean {}? Run `authspec steps` for the whole catalogue",
                    s.iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            };
            st.error(
                step,
                format!("unknown step `{} {}`", step.keyword.trim(), step.value),
                help,
            );
            continue;
        };
        apply(&mut st, step, def.op, &args, roles);
    }
    if st.steps.is_empty() && st.errors.len() == before {
        let mut d = SuiteDiagnostic::new(
            source,
            c.line as u64,
            c.col as u64,
            "this scenario sends no request",
        );
        d.help("add `When I send \"METHOD /path\"`");
        st.errors.push(d);
    }
    if !st.headers.is_empty() || !st.query.is_empty() {
        let mut d = SuiteDiagnostic::new(
            source,
            c.line as u64,
            c.col as u64,
            "a request header or query step is not followed by `When I send`",
        );
        d.help("request modifiers apply to the next request");
        st.errors.push(d);
    }
    if st.errors.len() > before {
        return None;
    }
    Some(Scenario {
        name: c.name.clone(),
        steps: st.steps,
        location: source.location(c.line as u64, c.col as u64),
        tags: c.tags.clone(),
    })
}

fn text(args: &[Arg], i: usize) -> String {
    match args.get(i) {
        Some(Arg::Text(t)) => t.clone(),
        _ => String::new(),
    }
}

/// Header and query names whose values are credentials: never written into a feature.
const CREDENTIAL_NAMES: [&str; 10] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "api-key",
    "api_key",
    "apikey",
    "token",
    "access_token",
    "password",
];

fn apply(st: &mut State<'_>, step: &gherkin::Step, op: Op, args: &[Arg], roles: &mut Vec<Role>) {
    // Nothing a step is given may be silently ignored.
    if step.docstring.is_some() && !matches!(op, Op::SendJson | Op::SendBody) {
        return st.error(
            step,
            "this step takes no doc string",
            "doc strings go with `I send \"…\" with JSON:` or `with body:`",
        );
    }
    if step.table.is_some() {
        return st.error(
            step,
            "this step takes no data table",
            "run `authspec steps` for the steps and what they take",
        );
    }
    if matches!(op, Op::RequestHeader | Op::QueryParam) {
        let (name, value) = (text(args, 0), text(args, 1));
        if value.contains("${") {
            return st.error(
                step,
                "references are not resolved in features",
                "credentials belong to roles in authspec.yaml",
            );
        }
        if CREDENTIAL_NAMES.contains(&name.to_ascii_lowercase().as_str()) && !value.contains("{{") {
            return st.error(
                step,
                format!("literal credential in `{name}`"),
                "credentials belong to roles in authspec.yaml, given as ${env:NAME}",
            );
        }
    }
    match op {
        Op::Role => {
            let name = text(args, 0);
            match roles.iter().position(|r| r.name == name) {
                Some(i) => st.role = Some(RoleId(i)),
                None => {
                    let known: Vec<String> = roles.iter().map(|r| r.name.clone()).collect();
                    st.error(
                        step,
                        format!("unknown role `{name}`"),
                        unknown_role_help(&name, &known),
                    );
                }
            }
        }
        Op::Anonymous => match roles.iter().position(|r| r.name == "anonymous") {
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
        },
        Op::RequestHeader => st.headers.push((text(args, 0), text(args, 1))),
        Op::QueryParam => st.query.push((text(args, 0), text(args, 1))),
        Op::Send | Op::SendJson | Op::SendBody => send(st, step, op, &text(args, 0)),
        _ => expect(st, step, op, args),
    }
}

fn send(st: &mut State<'_>, step: &gherkin::Step, op: Op, line: &str) {
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
    let request = Request {
        method,
        path,
        headers: std::mem::take(&mut st.headers),
        query: std::mem::take(&mut st.query),
        body,
        location: st
            .source
            .location(step.position.line as u64, step.position.col as u64),
    };
    let mut texts = vec![request.path.clone()];
    texts.extend(
        request
            .headers
            .iter()
            .chain(&request.query)
            .map(|(_, v)| v.clone()),
    );
    if let Some(Body::Json(j)) = &request.body {
        texts.push(j.to_string());
    }
    if let Some(Body::Text(t)) = &request.body {
        texts.push(t.clone());
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

fn expect(st: &mut State<'_>, step: &gherkin::Step, op: Op, args: &[Arg]) {
    if st.steps.is_empty() {
        return st.error(step, "no request yet", "a `Then` step checks the latest response: add `When I send \"METHOD /path\"` before it");
    }
    let json_path = |st: &mut State<'_>, p: &str| match JsonPath::parse(p) {
        Ok(path) => Some(path),
        Err(e) => {
            st.error(
                step,
                format!("invalid JSONPath `{p}`: {e}"),
                "JSONPath starts at `$`, e.g. `$.id`",
            );
            None
        }
    };
    let mut capture = None;
    let mut assertion = None;
    match op {
        Op::Remember => {
            let (p, name) = (text(args, 0), text(args, 1));
            if let Some(path) = json_path(st, &p) {
                capture = Some(Capture {
                    name,
                    path_text: p,
                    path,
                });
            }
        }
        Op::JsonIs => {
            let p = text(args, 0);
            if let Some(path) = json_path(st, &p) {
                assertion = Some(JsonAssertion {
                    expected: json_value(&text(args, 1)),
                    path_text: p,
                    path,
                });
            }
        }
        _ => {}
    }
    let Some(last) = st.steps.last_mut() else {
        return;
    };
    let e = &mut last.expect;
    match op {
        Op::AccessAllowed => e.access = Some(Verdict::Allow),
        Op::AccessDenied => e.access = Some(Verdict::Deny),
        Op::Status => {
            e.status = args.first().and_then(|a| {
                if let Arg::Int(n) = a {
                    Some(vec![*n])
                } else {
                    None
                }
            })
        }
        Op::StatusOneOf => {
            e.status = args.first().and_then(|a| {
                if let Arg::Ints(n) = a {
                    Some(n.clone())
                } else {
                    None
                }
            })
        }
        Op::BodyContains => e.body_contains.push(text(args, 0)),
        Op::BodyNotContains => e.body_not_contains.push(text(args, 0)),
        Op::HeaderIs => e.headers.push(HeaderExpectation {
            name: text(args, 0),
            value: Some(text(args, 1)),
        }),
        Op::HeaderAbsent => e.headers.push(HeaderExpectation {
            name: text(args, 0),
            value: None,
        }),
        Op::JsonIs => e.json.extend(assertion),
        Op::Remember => {
            if let Some(c) = capture {
                st.captured.push(c.name.clone());
                last.captures.push(c);
            }
        }
        _ => {}
    }
}

/// `"42"`, `"true"`, `"null"` compare as JSON values; anything else as a string.
fn json_value(text: &str) -> serde_json::Value {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(
            v @ (serde_json::Value::Number(_)
            | serde_json::Value::Bool(_)
            | serde_json::Value::Null),
        ) if serde_json::to_string(&v).is_ok_and(|canonical| canonical == text) => v,
        _ => serde_json::Value::String(text.to_string()),
    }
}
