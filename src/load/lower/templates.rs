//! Checks the run templates (`{{run.id}}`, `{{sut.url}}`, `{{upstreams.NAME.url}}`, …)
//! that are only known once the run starts: each must name one this suite has.

use super::context::Cx;
use crate::load::raw::Pos;
use crate::load::suggest::did_you_mean;
use crate::model::template::{Vars, render, variables};

/// The run templates this suite can use.
fn run_template_names(cx: &Cx<'_>) -> Vec<String> {
    let mut names = vec![crate::model::template::RUN_ID.to_string()];
    if cx.has_sut {
        names.extend(["sut.port".to_string(), "sut.url".to_string()]);
    }
    if !cx.upstream_names.is_empty() {
        names.push("upstreams.ca_file".to_string());
    }
    names.extend(
        cx.upstream_names
            .iter()
            .map(|n| format!("upstreams.{n}.url")),
    );
    names
}

/// Checks every `{{…}}` of `text` names a run template of this suite.
pub fn run_templates(cx: &mut Cx<'_>, text: &str, loc: &Pos, field: &str) -> bool {
    let known = super::templates::run_template_names(cx);
    let mut ok = true;
    if text.matches("{{").count() > variables(text).len() {
        cx.error(
            loc,
            format!("a `{{{{` in `{field}` is not closed with `}}}}`"),
        );
        ok = false;
    }
    for var in variables(text) {
        if known.iter().any(|k| k == var) {
            continue;
        }
        ok = false;
        let help = if known.iter().all(|k| k == crate::model::template::RUN_ID) {
            "`{{sut.url}}` and `{{sut.port}}` need `sut:`; `{{upstreams.NAME.url}}` and `{{upstreams.ca_file}}` need `upstreams:`".to_string()
        } else {
            match did_you_mean(var, known.iter().map(String::as_str)) {
                Some(k) => format!("did you mean `{{{{{k}}}}}`?"),
                None => format!(
                    "this suite has: {}",
                    known
                        .iter()
                        .map(|k| format!("{{{{{k}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        };
        cx.error(
            loc,
            format!("`{{{{{var}}}}}` in `{field}` is not a template of this run"),
        )
        .help(help);
    }
    ok
}

/// `text` with placeholder values for the run templates, to check what it becomes.
pub fn with_placeholders(cx: &Cx<'_>, text: &str) -> String {
    let vars: Vars = run_template_names(cx)
        .into_iter()
        .map(|k| {
            let v = if k.ends_with(".url") {
                "http://127.0.0.1:1".to_string()
            } else {
                "1".to_string()
            };
            (k, v)
        })
        .collect();
    render(text, &vars).unwrap_or_else(|_| text.to_string())
}
