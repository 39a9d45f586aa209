//! What the command line writes (to stderr, and its few stdout lines), through the run's redactor last: a message may
//! quote what the user typed (`--filter`, `--tags`) or a file, and either may hold a secret
//! the run resolved.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::sync::Arc;

use crate::redact::Redactor;

/// Redacted stderr. Cheap to clone; every clone sees secrets registered later.
#[derive(Clone)]
pub struct Out {
    redactor: Arc<Redactor>,
}

impl Out {
    pub fn new(redactor: Arc<Redactor>) -> Self {
        Self { redactor }
    }

    pub fn redactor(&self) -> &Arc<Redactor> {
        &self.redactor
    }

    /// `error: {message}` on stderr.
    pub fn error(&self, message: impl std::fmt::Display) {
        self.line(&format!("error: {message}"));
    }

    /// One line (or block) on stdout.
    pub fn say(&self, text: &str) {
        println!("{}", self.redactor.redact(text));
    }

    /// One line (or block) on stderr, as given.
    pub fn line(&self, text: &str) {
        eprintln!("{}", self.redactor.redact(text));
    }
}
