//! `authspec scaffold --openapi SPEC`: reads the document (a file, or a URL) and prints
//! a starter suite for it; a document that does not parse is exit 2 at its line.

use std::path::Path;
use std::sync::Arc;

use super::args::ScaffoldArgs;
use super::diagnostics::print_load_error;
use super::output::Out;
use crate::exit_codes;
use crate::load::{LoadError, SourceFile};
use crate::redact::Redactor;

pub fn scaffold(args: ScaffoldArgs) -> u8 {
    let out = Out::new(Arc::new(Redactor::new()));
    let spec = args.openapi.as_str();
    let source = if spec.starts_with("http://") || spec.starts_with("https://") {
        match crate::openapi::fetch(spec) {
            Ok(text) => SourceFile::from_text(Path::new(spec), text),
            Err(e) => {
                out.error(format!("cannot fetch the OpenAPI document {spec}: {e}"));
                return exit_codes::INVALID_INPUT;
            }
        }
    } else {
        match SourceFile::read(Path::new(spec)) {
            Ok(s) => s,
            Err(e) => {
                print_load_error(&e, &out);
                return exit_codes::INVALID_INPUT;
            }
        }
    };
    match crate::openapi::parse(&source) {
        Ok(doc) => {
            out.say(crate::openapi::scaffold(&doc, spec).trim_end());
            exit_codes::SUCCESS
        }
        Err(problems) => {
            print_load_error(&LoadError::Invalid(problems), &out);
            exit_codes::INVALID_INPUT
        }
    }
}
