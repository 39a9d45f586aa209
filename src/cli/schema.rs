//! `authspec schema WHAT`: prints a JSON Schema generated from the types that read the
//! files, for editors (`# yaml-language-server: $schema=…`) and linters.

use super::args::{SchemaArgs, SchemaWhat};
use crate::exit_codes;

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn schema(args: &SchemaArgs) -> u8 {
    let schema = match args.what {
        SchemaWhat::Suite => crate::load::suite_schema(),
    };
    match serde_json::to_string_pretty(&schema) {
        Ok(text) => {
            // Nothing of a run is in a schema: there is no secret to redact.
            println!("{text}");
            exit_codes::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot print the schema: {e}");
            exit_codes::INVALID_INPUT
        }
    }
}
