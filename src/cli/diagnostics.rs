//! Prints load errors: each suite problem as a miette diagnostic (file:line:column, the
//! offending line, a help), colored only on a terminal without `NO_COLOR`.
#![allow(clippy::print_stderr)]

use std::io::IsTerminal;

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::load::LoadError;

pub fn print_load_error(err: &LoadError) {
    let LoadError::Invalid(diags) = err else {
        eprintln!("error: {err}");
        return;
    };
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    for d in diags {
        // A plain first line keeps `file:line:column` greppable in CI logs.
        eprintln!("error: {}", d.headline());
        let mut out = String::new();
        if handler.render_report(&mut out, d).is_ok() {
            eprintln!("{out}");
        }
    }
    eprintln!("error: {err}; nothing was run");
}
