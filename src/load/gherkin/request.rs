//! `Given` and `When` steps: the current role, the request modifiers that wait for the
//! next request, and `When I send`, which turns them into a raw scenario step. What they
//! say is checked by the one lowering (request line, header names, references, literal
//! credentials, `{{var}}` templates), as for a YAML step.

use super::scenario::{State, position};
use super::steps::Op;
use crate::load::raw::{S, SpannedMap};
use crate::model::{Credential, Role};

/// `Given I am "NAME"`: a role of the config, checked where the step names it.
pub(super) fn role(st: &mut State<'_, '_>, step: &gherkin::Step, name: String) {
    let name = S::new(name, position(step));
    if st.cx.lower(|cx| cx.role_id(&name)).is_some() {
        st.role = Some(name);
    }
}

/// `Given I am anonymous`: the role without credentials, added when the config has none.
pub(super) fn anonymous(st: &mut State<'_, '_>, step: &gherkin::Step) {
    let roles = &mut st.cx.roles;
    match roles.iter().position(|r| r.name == "anonymous") {
        Some(i)
            if !matches!(roles[i].credential, Credential::None)
                || roles[i].client_cert.is_some() =>
        {
            return st.error(
                step,
                "the role `anonymous` has credentials",
                "`I am anonymous` sends none: rename that role",
            );
        }
        Some(_) => {}
        None => roles.push(Role {
            name: "anonymous".into(),
            credential: Credential::None,
            proof: None,
            client_cert: None,
        }),
    }
    st.role = Some(S::new("anonymous".into(), position(step)));
}

/// Headers or query parameters for the next request, each name where it is written.
pub(super) fn modify(st: &mut State<'_, '_>, header: bool, entries: Vec<(S<String>, String)>) {
    if header {
        st.headers.extend(entries);
    } else {
        st.query.extend(entries);
    }
}

/// `When I send "METHOD /path"` (with a JSON or text doc string): one raw step, as the
/// current role, with the waiting modifiers.
pub(super) fn send(st: &mut State<'_, '_>, step: &gherkin::Step, op: Op, line: &str) {
    let Some(role) = st.role.clone() else {
        return st.error(
            step,
            "no role yet",
            "add `Given I am \"ROLE\"` (or `Given I am anonymous`) before sending",
        );
    };
    let doc = step.docstring.as_deref().map(str::trim).unwrap_or_default();
    let (json, body) = match op {
        Op::SendJson => match serde_json::from_str(doc) {
            Ok(v) => (Some(v), None),
            Err(e) => {
                return st.error(
                    step,
                    format!("the doc string is not JSON: {e}"),
                    "put the JSON body between \"\"\" lines under the step",
                );
            }
        },
        Op::SendBody => (None, Some(doc.to_string())),
        _ => (None, None),
    };
    let waiting =
        |v: &mut Vec<(S<String>, String)>| (!v.is_empty()).then(|| SpannedMap(std::mem::take(v)));
    st.steps.push(crate::load::raw::RawStep {
        as_role: role,
        request: S::new(line.to_string(), position(step)),
        json,
        form: None,
        body,
        headers: waiting(&mut st.headers),
        query: waiting(&mut st.query),
        expect: None,
        capture: None,
    });
}
