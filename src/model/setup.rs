//! `setup:`: requests run once, in order, before any check (registering the users a
//! suite logs in as, creating its test data). What they capture every check may use as
//! `{{name}}`; when one fails, every check of the suites that rely on it is an error
//! naming the step.

use std::sync::Arc;

use super::{Capture, Expectation, Request, RoleId};

#[derive(Clone, Debug)]
pub struct Setup {
    pub steps: Vec<SetupStep>,
    /// Where it is written: the suite, or the `authspec.yaml` its features share (and
    /// then it runs once for all of them).
    pub file: Arc<str>,
}

#[derive(Clone, Debug)]
pub struct SetupStep {
    /// `None`: sent with no credential.
    pub role: Option<RoleId>,
    pub request: Request,
    pub expect: Expectation,
    pub captures: Vec<Capture>,
}

impl Setup {
    /// The names its steps capture.
    pub fn captured(&self) -> Vec<String> {
        self.steps
            .iter()
            .flat_map(|s| s.captures.iter().map(|c| c.name.clone()))
            .collect()
    }
}
