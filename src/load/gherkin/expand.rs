//! Flattens a feature into concrete scenarios: Rule and Feature backgrounds prepended,
//! tags inherited, and every Examples row of a Scenario Outline its own scenario with
//! `<placeholders>` substituted (in step text, doc strings and table cells).

use std::borrow::Cow;

use gherkin::{Feature, Scenario, Step};

/// One scenario to lower: its name, tags, position, steps (backgrounds first). Steps
/// the feature writes once (a Background's, a plain scenario's) are borrowed, not copied
/// into every scenario; an Outline's are its own, with the row's values filled in.
pub struct Concrete<'f> {
    pub name: String,
    pub tags: Vec<String>,
    pub line: usize,
    pub col: usize,
    pub steps: Vec<Cow<'f, Step>>,
    /// How many of `steps` come from backgrounds.
    pub background: usize,
    /// An outline without examples or a malformed examples row: (line, col, message).
    pub problem: Option<(usize, usize, String)>,
}

pub fn scenarios(feature: &Feature) -> Vec<Concrete<'_>> {
    fn background(b: &Option<gherkin::Background>) -> Vec<&Step> {
        b.iter().flat_map(|b| &b.steps).collect()
    }
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

fn expand_one<'f>(
    s: &'f Scenario,
    background: &[&'f Step],
    inherited: &[String],
    out: &mut Vec<Concrete<'f>>,
) {
    let tags: Vec<String> = inherited.iter().chain(&s.tags).cloned().collect();
    let base = Concrete {
        name: s.name.trim().to_string(),
        tags,
        line: s.position.line,
        col: s.position.col,
        background: background.len(),
        steps: Vec::new(),
        problem: None,
    };
    let is_outline = s.keyword.contains("Outline") || s.keyword.contains("Template");
    if s.examples.is_empty() {
        let problem = is_outline.then(|| {
            let at = &s.position;
            (
                at.line,
                at.col,
                "this Scenario Outline has no Examples".into(),
            )
        });
        let own = s.steps.iter();
        let steps = background
            .iter()
            .copied()
            .chain(own)
            .map(Cow::Borrowed)
            .collect();
        out.push(Concrete {
            steps,
            problem,
            ..base
        });
        return;
    }
    for examples in &s.examples {
        outline_rows(s, examples, background, &base, out);
    }
}

/// One concrete scenario per row of `examples`, or its problem.
fn outline_rows<'f>(
    s: &'f Scenario,
    examples: &gherkin::Examples,
    background: &[&'f Step],
    base: &Concrete<'f>,
    out: &mut Vec<Concrete<'f>>,
) {
    let rows = examples
        .table
        .as_ref()
        .map(|t| t.rows.as_slice())
        .unwrap_or_default();
    let Some((header, body)) = rows.split_first() else {
        out.push(Concrete {
            name: base.name.clone(),
            tags: base.tags.clone(),
            steps: Vec::new(),
            problem: Some((
                examples.position.line,
                examples.position.col,
                "these Examples have no table".into(),
            )),
            ..*base
        });
        return;
    };
    let tags: Vec<String> = base.tags.iter().chain(&examples.tags).cloned().collect();
    for row in body {
        let fill = |text: &str| {
            header.iter().zip(row).fold(text.to_string(), |t, (k, v)| {
                t.replace(&format!("<{k}>"), v)
            })
        };
        let steps = background
            .iter()
            .map(|st| Cow::Borrowed(*st))
            .chain(s.steps.iter().map(|st| Cow::Owned(filled(st, &fill))))
            .collect();
        let filled_name = fill(&base.name);
        let name = if filled_name != base.name {
            filled_name
        } else {
            let cells: Vec<String> = header
                .iter()
                .zip(row)
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            format!("{} ({})", base.name, cells.join(", "))
        };
        out.push(Concrete {
            name,
            tags: tags.clone(),
            steps,
            problem: None,
            ..*base
        });
    }
}

/// `step` with its Examples row's values in its text, doc string and table cells. The
/// table keeps its span: cells stay where the source writes them.
fn filled(step: &Step, fill: &impl Fn(&str) -> String) -> Step {
    Step {
        value: fill(&step.value),
        docstring: step.docstring.as_deref().map(fill),
        table: step.table.as_ref().map(|t| gherkin::Table {
            rows: t
                .rows
                .iter()
                .map(|r| r.iter().map(|c| fill(c)).collect())
                .collect(),
            ..t.clone()
        }),
        ..step.clone()
    }
}
