//! `authspec validate`: load every suite, report problems, send nothing.
#![allow(clippy::print_stdout)]

use super::args::ValidateArgs;
use super::diagnostics::print_load_error;
use crate::demo::DemoCredentials;
use crate::exit_codes;
use crate::load::{LoadContext, load_paths};
use crate::plan::plan;
use crate::redact::Redactor;

pub fn validate(args: ValidateArgs) -> u8 {
    let ctx = LoadContext::process(DemoCredentials::random().references());
    match load_paths(&args.paths, &ctx, &Redactor::new()) {
        Ok(suites) => {
            let checks = plan(&suites, None);
            println!(
                "{} suite(s), {} check(s): valid",
                suites.len(),
                checks.len()
            );
            exit_codes::SUCCESS
        }
        Err(e) => {
            print_load_error(&e);
            exit_codes::INVALID_INPUT
        }
    }
}
