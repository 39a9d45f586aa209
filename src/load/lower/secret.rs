//! Lowers a credential field: exactly one reference (a literal credential is refused),
//! resolved and registered for redaction.

use super::context::Cx;
use crate::load::raw::S;
use crate::load::reference::{Reference, parse_whole};
use crate::model::Secret;

/// A secret at `path` (as the user would find it in the file), redacted as `label`.
pub fn secret_at(
    cx: &mut Cx<'_>,
    field: &S<String>,
    path: &str,
    label: String,
    demo: bool,
) -> Option<Secret> {
    let loc = &field.at;
    let reference = match parse_whole(&field.value) {
        None => {
            cx.error(loc, format!("literal credential in `{path}`"))
                .label("credentials are never written into a suite")
                .help("pass it by reference: `${env:NAME}` (and export NAME), or `${file:PATH}`");
            return None;
        }
        Some(Err(e)) => {
            cx.reference_error(loc, path, e);
            return None;
        }
        Some(Ok(r)) => r,
    };
    if matches!(reference, Reference::Demo(_)) && !demo {
        cx.error(
            loc,
            format!("`${{demo:…}}` in `{path}` needs `target: demo`"),
        )
        .help("use `${env:NAME}` or `${file:PATH}` for a real target");
        return None;
    }
    match cx.resolve(&reference) {
        Ok(value) if value.is_empty() => {
            cx.error(loc, format!("`{path}` resolves to an empty value"));
            None
        }
        Ok(value) => {
            cx.redactor.add(&label, &value);
            Some(Secret::new(label, value))
        }
        Err(e) => {
            cx.reference_error(loc, path, e);
            None
        }
    }
}
