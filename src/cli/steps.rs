//! `authspec steps`: the Gherkin step catalogue, printed from the table the matcher uses.
#![allow(clippy::print_stdout)]

use crate::exit_codes;
use crate::load::{STEP_CATALOGUE, StepTakes};

pub fn steps() -> u8 {
    println!("Steps for .feature files (any keyword: Given, When, Then, And, But).");
    println!(
        "{{string}} is a double-quoted text, {{int}} a number, {{ints}} a list such as 500, 503."
    );
    println!(
        "A table is two columns, a name and its value per row, no header row; a list is one\n\
         cell, comma-separated; * marks a required key.\n"
    );
    // Longer patterns get their meaning on the next line, so the column stays readable.
    let width = 44;
    for s in STEP_CATALOGUE {
        if s.pattern.len() > width {
            println!("  {}\n  {:<width$}  {}", s.pattern, "", s.meaning);
        } else {
            println!("  {:<width$}  {}", s.pattern, s.meaning);
        }
        let under = match s.takes {
            StepTakes::Nothing => None,
            StepTakes::DocString => Some("doc string".to_string()),
            StepTakes::Pairs => Some("table: | name | value |".to_string()),
            StepTakes::Keys(keys) => Some(format!(
                "table keys: {}",
                keys.iter()
                    .map(|k| {
                        let star = if k.required { "*" } else { "" };
                        let list = if k.list { " (list)" } else { "" };
                        format!("{}{star}{list}", k.name)
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        if let Some(under) = under {
            println!("  {:<width$}    {under}", "");
        }
    }
    exit_codes::SUCCESS
}
