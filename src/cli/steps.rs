//! `authspec steps`: the Gherkin step catalogue, printed from the table the matcher uses.

use std::sync::Arc;

use super::output::Out;
use crate::exit_codes;
use crate::load::{STEP_CATALOGUE, StepTakes};
use crate::redact::Redactor;

pub fn steps() -> u8 {
    // Static text, but it goes the way every line of the command line goes.
    let out = Out::new(Arc::new(Redactor::new()));
    out.say("Steps for .feature files (any keyword: Given, When, Then, And, But).");
    out.say("{string} is a double-quoted text, {int} a number, {ints} a list such as 500, 503.");
    out.say(
        "A table is two columns, a name and its value per row, no header row; a list is one\n\
         cell, comma-separated; * marks a required key.\n",
    );
    // Longer patterns get their meaning on the next line, so the column stays readable.
    let width = 44;
    for s in STEP_CATALOGUE {
        if s.pattern.len() > width {
            out.say(&format!("  {}\n  {:<width$}  {}", s.pattern, "", s.meaning));
        } else {
            out.say(&format!("  {:<width$}  {}", s.pattern, s.meaning));
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
            out.say(&format!("  {:<width$}    {under}", ""));
        }
    }
    exit_codes::SUCCESS
}
