//! `authspec steps`: the Gherkin step catalogue, printed from the table the matcher uses.
#![allow(clippy::print_stdout)]

use crate::exit_codes;
use crate::load::STEP_CATALOGUE;

pub fn steps() -> u8 {
    println!("Steps for .feature files (any keyword: Given, When, Then, And, But).");
    println!(
        "{{string}} is a double-quoted text, {{int}} a status code, {{ints}} a list such as 500, 503.\n"
    );
    let width = STEP_CATALOGUE
        .iter()
        .map(|s| s.pattern.len())
        .max()
        .unwrap_or(0);
    for s in STEP_CATALOGUE {
        println!("  {:<width$}  {}", s.pattern, s.meaning);
    }
    exit_codes::SUCCESS
}
