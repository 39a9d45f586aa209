//! Flattens a feature into concrete scenarios: Rule and Feature backgrounds prepended,
//! tags inherited, and every Examples row of a Scenario Outline its own scenario with
//! `<placeholders>` substituted (in step text, doc strings and table cells).

use gherkin::{Feature, Scenario, Step};

/// One scenario to lower: its name, tags, position, steps (backgrounds first).
pub struct Concrete {
    pub name: String,
    pub tags: Vec<String>,
    pub line: usize,
    pub col: usize,
    pub steps: Vec<Step>,
    /// How many of `steps` come from backgrounds.
    pub background: usize,
    /// An outline without examples or a malformed examples row: (line, col, message).
    pub problem: Option<(usize, usize, String)>,
}

pub fn scenarios(feature: &Feature) -> Vec<Concrete> {
    let background =
        |b: &Option<gherkin::Background>| b.as_ref().map(|b| b.steps.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let feature_bg = background(&feature.background);
    for s in &feature.scenarios {
        expand_one(s, &feature_bg, &feature.tags, &mut out);
    }
    for rule in &feature.rules {
        let mut bg = feature_bg.clone();
        bg.extend(background(&rule.background));
        let tags: Vec<String> = feature.tags.iter().chain(&rule.tags).cloned().collect();
        for s in &rule.scenarios {
            expand_one(s, &bg, &tags, &mut out);
        }
    }
    out
}

fn expand_one(s: &Scenario, background: &[Step], inherited: &[String], out: &mut Vec<Concrete>) {
    let tags: Vec<String> = inherited.iter().chain(&s.tags).cloned().collect();
    let name = s.name.trim().to_string();
    let base = |name: String, tags: Vec<String>, steps: Vec<Step>| Concrete {
        name,
        tags,
        line: s.position.line,
        col: s.position.col,
        background: background.len(),
        steps,
        problem: None,
    };
    let is_outline = s.keyword.contains("Outline") || s.keyword.contains("Template");
    if s.examples.is_empty() {
        let mut c = base(
            name,
            tags,
            background.iter().chain(&s.steps).cloned().collect(),
        );
        if is_outline {
            c.problem = Some((
                s.position.line,
                s.position.col,
                "this Scenario Outline has no Examples".into(),
            ));
        }
        out.push(c);
        return;
    }
    for examples in &s.examples {
        let rows = examples
            .table
            .as_ref()
            .map(|t| t.rows.as_slice())
            .unwrap_or_default();
        let Some((header, body)) = rows.split_first() else {
            let mut c = base(name.clone(), tags.clone(), Vec::new());
            c.problem = Some((
                examples.position.line,
                examples.position.col,
                "these Examples have no table".into(),
            ));
            out.push(c);
            continue;
        };
        let ex_tags: Vec<String> = tags.iter().chain(&examples.tags).cloned().collect();
        for row in body {
            let fill = |text: &str| {
                header.iter().zip(row).fold(text.to_string(), |t, (k, v)| {
                    t.replace(&format!("<{k}>"), v)
                })
            };
            let steps = background
                .iter()
                .cloned()
                .chain(s.steps.iter().map(|st| Step {
                    value: fill(&st.value),
                    docstring: st.docstring.as_deref().map(fill),
                    table: st.table.as_ref().map(|t| {
                        gherkin::Table {
                            rows: t
                                .rows
                                .iter()
                                .map(|r| r.iter().map(|c| fill(c)).collect())
                                .collect(),
                            ..t.clone()
                        }
                    }),
                    ..st.clone()
                }))
                .collect();
            let filled = fill(&name);
            let row_name = if filled != name {
                filled
            } else {
                let cells: Vec<String> = header
                    .iter()
                    .zip(row)
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                format!("{name} ({})", cells.join(", "))
            };
            out.push(base(row_name, ex_tags.clone(), steps));
        }
    }
}
