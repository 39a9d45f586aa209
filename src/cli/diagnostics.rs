//! Load errors, for people and for the report: each suite problem as a miette diagnostic
//! (file:line:column, the offending line, a help) on stderr, colored only on a terminal
//! without `NO_COLOR`; and the same problems as `<error>` cases of the JUnit report.

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme};

use super::output::Out;
use crate::load::{LoadError, SuiteDiagnostic};
use crate::report::junit::RunProblem;

/// `<error type>` of a problem in a suite, feature or config.
pub const INVALID_SUITE: &str = "authspec.invalid_suite";
/// `<error type>` of a problem on the command line.
pub const INVALID_COMMAND_LINE: &str = "authspec.invalid_command_line";

pub fn print_load_error(err: &LoadError, out: &Out) {
    let LoadError::Invalid(diags) = err else {
        out.error(err);
        return;
    };
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    for d in diags {
        // A plain first line keeps `file:line:column` greppable in CI logs.
        out.error(d.headline());
        if let Some(text) = render(d, color) {
            out.line(&text);
        }
    }
    out.error(format!("{err}; nothing was run"));
}

/// One `<error>` case per diagnostic, named `suite file:line:column`, the rendered
/// diagnostic (offending line, help) as its text; an I/O problem is one case `suites`.
pub fn load_problems(err: &LoadError) -> Vec<RunProblem> {
    let LoadError::Invalid(diags) = err else {
        return vec![RunProblem {
            name: "suites".into(),
            kind: INVALID_SUITE,
            message: err.to_string(),
            detail: String::new(),
        }];
    };
    diags
        .iter()
        .map(|d| RunProblem {
            name: format!("suite {}", d.location),
            kind: INVALID_SUITE,
            message: d.headline(),
            detail: render(d, false).unwrap_or_default(),
        })
        .collect()
}

fn render(d: &SuiteDiagnostic, color: bool) -> Option<String> {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    handler.render_report(&mut out, d).ok().map(|()| out)
}
