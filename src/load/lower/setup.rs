//! Lowers `setup:`: requests shaped like scenario steps (`as:` optional: none sends no
//! credential), each able to use what the steps before it captured; what they capture
//! becomes a variable of every check of the suite.

use std::sync::Arc;

use super::context::Cx;
use crate::load::raw::RawSetupStep;
use crate::model::{Setup, SetupStep};

/// The suite's (or config's) setup, `None` when it has none; its captures are added to
/// the variables every later entry may use.
pub fn setup(cx: &mut Cx<'_>, raw: &[RawSetupStep]) -> Option<Arc<Setup>> {
    if raw.is_empty() {
        return None;
    }
    let mut captured: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    let mut fine = true;
    for s in raw {
        let role = match &s.as_role {
            Some(name) => match cx.role_id(name) {
                Some(id) => Some(id),
                None => {
                    fine = false;
                    continue;
                }
            },
            None => None,
        };
        if let Some(access) = s.expect.as_ref().and_then(|e| e.access.as_ref()) {
            cx.error(&access.at, "a `setup:` step takes no `access:`")
                .help("setup prepares the checks and is no check itself: expect a `status:`, and write the access check under `access:` or `scenarios:`");
            fine = false;
        }
        let parts = s.parts(&s.request);
        let request = super::request::request(cx, &parts, &captured);
        let expect = super::expect::expect(cx, s.expect.as_ref(), &captured);
        let captures = super::request::captures(cx, s.capture.as_ref());
        captured.extend(captures.iter().map(|c| c.name.clone()));
        match request {
            Some(request) => steps.push(SetupStep {
                role,
                request,
                expect,
                captures,
            }),
            None => fine = false,
        }
    }
    cx.run_vars.extend(captured);
    fine.then(|| {
        Arc::new(Setup {
            steps,
            file: cx.source.name.clone(),
        })
    })
}

/// The names `raw` captures, before it is lowered (for the `login:` requests of roles).
pub fn capture_names(raw: &[RawSetupStep]) -> Vec<String> {
    raw.iter()
        .flat_map(|s| s.capture.iter().flat_map(|m| &m.0))
        .map(|(name, _)| name.value.clone())
        .collect()
}
