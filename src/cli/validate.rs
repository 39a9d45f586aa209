//! `authspec validate`: load every suite, report problems, send nothing.

use std::sync::Arc;

use super::args::ValidateArgs;
use super::output::Out;
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
    let out = Out::new(Arc::new(Redactor::new()));
    let ctx = match LoadContext::process_with(references, args.suites.env_file.as_deref()) {
        Ok(ctx) => ctx,
        Err(e) => {
            out.error(e);
            return exit_codes::INVALID_INPUT;
        }
    };
    match super::load::suites(&args.suites, &ctx, &out) {
        Ok(suites) => {
            let checks = plan(&suites, &Selection::default());
            out.say(&format!(
                "{} suite(s), {} check(s): valid",
                suites.len(),
                checks.len()
            ));
            exit_codes::SUCCESS
        }
        Err(_) => exit_codes::INVALID_INPUT,
    }
}
