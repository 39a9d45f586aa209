//! `authspec validate`: load every suite, report problems, send nothing. Secrets are not
//! needed: an unset `${env:…}` stands in with a placeholder, so a pre-commit hook or a
//! CI lint job checks suites without credentials; `--require-env` demands them.

use std::sync::{Arc, Mutex};

use super::args::ValidateArgs;
use super::output::Out;
use crate::demo::{DemoCredentials, DemoEndpoints};
use crate::exit_codes;
use crate::load::{Env, LoadContext};
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
    let ctx = match LoadContext::process_with(references.clone(), args.suites.env_file.as_deref()) {
        Ok(ctx) => ctx,
        Err(e) => {
            out.error(e);
            return exit_codes::INVALID_INPUT;
        }
    };
    let placeholders = Arc::new(Placeholders {
        inner: ctx.env.clone(),
        unset: Mutex::default(),
    });
    let ctx = if args.require_env {
        ctx
    } else {
        LoadContext::new(placeholders.clone(), references)
    };
    match super::load::suites(&args.suites, &ctx, &out) {
        Ok(suites) => {
            let checks = plan(&suites, &Selection::default());
            out.say(&format!(
                "{} suite(s), {} check(s): valid",
                suites.len(),
                checks.len()
            ));
            let unset = placeholders.unset();
            if !unset.is_empty() {
                out.say(&format!(
                    "not set here, so not checked: {} (`authspec run` needs them; \
                     `validate --require-env` demands them)",
                    unset.join(", ")
                ));
            }
            exit_codes::SUCCESS
        }
        Err(_) => exit_codes::INVALID_INPUT,
    }
}

/// The process environment, with a placeholder for every variable it lacks: shaped like a
/// URL, since `base_url` is the one place a reference must parse as something, and
/// without the variable's name, which the redactor would then hide wherever it is shown.
/// Which were missing is kept, to say so.
struct Placeholders {
    /// The process environment, and the `--env-file`'s variables.
    inner: Arc<dyn Env>,
    unset: Mutex<Vec<String>>,
}

impl Placeholders {
    fn unset(&self) -> Vec<String> {
        self.unset.lock().map(|u| u.clone()).unwrap_or_default()
    }
}

impl Env for Placeholders {
    fn var(&self, name: &str) -> Option<String> {
        if let Some(v) = self.inner.var(name).filter(|v| !v.is_empty()) {
            return Some(v);
        }
        let mut unset = self.unset.lock().ok()?;
        let index = match unset.iter().position(|n| n == name) {
            Some(i) => i,
            None => {
                unset.push(name.to_string());
                unset.len() - 1
            }
        };
        Some(format!("{}{index}", crate::load::UNSET_ENV))
    }
}
