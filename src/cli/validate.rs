//! `authspec validate`: load every suite, report problems, send nothing.
#![allow(clippy::print_stdout)]

use super::args::ValidateArgs;
use crate::demo::{DemoCredentials, DemoEndpoints};
use crate::exit_codes;
use crate::load::LoadContext;
use crate::plan::{Selection, plan};
use crate::redact::Redactor;

pub fn validate(args: ValidateArgs) -> u8 {
    let mut references = DemoCredentials::random().references();
    // Bound only so `${demo:https_url}` and `${demo:ca_file}` resolve; nothing listens.
    let endpoints = super::load::mentions_demo(&args.suites)
        .then(DemoEndpoints::bind)
        .and_then(Result::ok);
    if let Some(e) = &endpoints {
        references.extend(e.references());
    }
    let ctx = LoadContext::process(references);
    match super::load::suites(&args.suites, &ctx, &Redactor::new()) {
        Some(suites) => {
            let checks = plan(&suites, &Selection::default());
            println!(
                "{} suite(s), {} check(s): valid",
                suites.len(),
                checks.len()
            );
            exit_codes::SUCCESS
        }
        None => exit_codes::INVALID_INPUT,
    }
}
