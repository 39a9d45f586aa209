//! The checks an OpenAPI document adds beside its access cells (which lower into the
//! suite's `access:`): an error per operation whose request could not be built, and
//! `openapi coverage`.

use super::{Check, CheckKind};
use crate::model::Suite;

/// The stable id of a suite's `openapi coverage` check; `authspec merge` finds it by it.
pub fn coverage_id(file: &str) -> String {
    format!("{file}#openapi.coverage")
}

/// An error check per spec operation that could not be built, and `openapi coverage`
/// when the suite sets a minimum (last: it is judged on every other check's result).
pub fn checks(checks: &mut Vec<Check>, si: usize, suite: &Suite) {
    let Some(spec) = &suite.openapi else {
        return;
    };
    for (operation, op) in spec.operations.iter().enumerate() {
        if op.unbuilt.is_some() && !op.excluded {
            checks.push(Check::labelled(
                format!("{}#openapi[{}].request", suite.file, op.line()),
                format!("{}: request from the spec", op.line()),
                si,
                CheckKind::Unbuilt { operation },
                suite.tags.clone(),
            ));
        }
    }
    if spec.coverage_min.is_some() {
        checks.push(Check::labelled(
            coverage_id(&suite.file),
            "openapi coverage".into(),
            si,
            CheckKind::Coverage,
            suite.tags.clone(),
        ));
    }
}
