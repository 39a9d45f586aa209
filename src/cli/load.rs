//! Turns the suite arguments into loaded suites, or prints why not (exit 2).
#![allow(clippy::print_stderr)]

use std::path::PathBuf;

use super::args::SuiteArgs;
use super::diagnostics::print_load_error;
use crate::load::{LoadContext, LoadOptions, load_paths};
use crate::model::Suite;
use crate::redact::Redactor;

const DEFAULT_PATHS: [&str; 2] = ["scenarios", "features"];

pub fn suites(args: &SuiteArgs, ctx: &LoadContext, redactor: &Redactor) -> Option<Vec<Suite>> {
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        DEFAULT_PATHS
            .iter()
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .collect()
    } else {
        args.paths.clone()
    };
    if paths.is_empty() {
        eprintln!("error: no suites given, and there is no scenarios/ or features/ directory here");
        return None;
    }
    let options = LoadOptions {
        ctx,
        redactor,
        config: args.config.clone(),
    };
    match load_paths(&paths, &options) {
        Ok(s) => Some(s),
        Err(e) => {
            print_load_error(&e);
            None
        }
    }
}
