//! A step's data table: two columns, a name (or key) and its value per row, no header
//! row. The `gherkin` crate gives the cells' text and where the table starts; each cell's
//! own line and column are found in the source, so a problem points at the cell. That
//! is done once per table written in the file: a Background's table is part of every
//! scenario after it, an Outline's of every Examples row, and the file is not read again
//! for each of them.

use std::collections::HashMap;
use std::rc::Rc;

use crate::load::raw::{Pos, S};
use crate::load::{SourceFile, SuiteDiagnostic};

/// One cell's text (Outline placeholders filled) and where it is written.
#[derive(Clone, Debug)]
pub struct Cell {
    pub text: String,
    pub line: u64,
    pub col: u64,
}

impl Cell {
    /// The cell as a raw value with its position, for the lowering.
    pub fn spanned(&self) -> S<String> {
        self.spanned_at(self.text.clone(), 0)
    }

    /// `value`, found `offset` characters into this cell.
    pub fn spanned_at(&self, value: String, offset: u64) -> S<String> {
        S::new(value, Pos::new(self.line, self.col + offset))
    }
}

pub struct Row {
    pub key: Cell,
    pub value: Cell,
}

/// (line, column) of every cell of a table, row by row.
type Grid = Rc<[Vec<(u64, u64)>]>;

/// The cell positions of the feature's tables, by where each table starts in the file:
/// Outline placeholders change a table's text, never where its cells are written.
#[derive(Default)]
pub struct TablePositions {
    by_start: HashMap<usize, Option<Grid>>,
    #[cfg(test)]
    computed: usize,
}

impl TablePositions {
    fn of(&mut self, source: &SourceFile, table: &gherkin::Table) -> Option<Grid> {
        self.by_start
            .entry(table.span.start)
            .or_insert_with(|| {
                #[cfg(test)]
                {
                    self.computed += 1;
                }
                positions(source, table).map(Rc::from)
            })
            .clone()
    }
}

/// The rows of `table`, reporting what is wrong with them: a header row (left out), an
/// empty name, a name given twice. `None` when it is not two columns.
pub fn pairs(
    source: &SourceFile,
    table: &gherkin::Table,
    known: &mut TablePositions,
    errors: &mut Vec<SuiteDiagnostic>,
) -> Option<Vec<Row>> {
    let (line, col) = (table.position.line as u64, table.position.col as u64);
    if table.row_width() != 2 {
        let mut d = SuiteDiagnostic::new(
            source,
            line,
            col,
            format!(
                "this table has {} column(s); a step's table has two",
                table.row_width()
            ),
        );
        d.help("each row is a name and its value: `| burst | 50 |`");
        errors.push(d);
        return None;
    }
    let positions = known.of(source, table);
    let cell = |r: usize, c: usize| {
        let (line, col) = positions
            .as_ref()
            .and_then(|p| p.get(r)?.get(c).copied())
            .unwrap_or((line, col));
        Cell {
            text: table.rows[r][c].clone(),
            line,
            col,
        }
    };
    let mut rows: Vec<Row> = (0..table.rows.len())
        .map(|r| Row {
            key: cell(r, 0),
            value: cell(r, 1),
        })
        .collect();
    if let Some(first) = rows.first() {
        let header = [first.key.text.as_str(), first.value.text.as_str()];
        if matches!(header, ["name" | "key", "value"]) {
            let mut d = SuiteDiagnostic::new(
                source,
                first.key.line,
                first.key.col,
                "a step's table has no header row",
            );
            d.help("each row is a name and its value: remove this row");
            errors.push(d);
            rows.remove(0);
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let k = &row.key;
        if k.text.is_empty() {
            errors.push(SuiteDiagnostic::new(
                source,
                k.line,
                k.col,
                "this row has no name",
            ));
        } else if rows[..i].iter().any(|r| r.key.text == k.text) {
            let mut d = SuiteDiagnostic::new(
                source,
                k.line,
                k.col,
                format!("`{}` is given twice", k.text),
            );
            d.help("a table is a map: give each name once");
            errors.push(d);
        }
    }
    Some(rows)
}

/// (line, column) of every cell, from the table's text in the source; `None` when the
/// text does not line up with the parsed rows.
fn positions(source: &SourceFile, table: &gherkin::Table) -> Option<Vec<Vec<(u64, u64)>>> {
    let text = &*source.text;
    let first = source.line_of(table.span.start);
    let line_start = source.line_start(first)?;
    let body = text.get(line_start..table.span.end.min(text.len()))?;
    let mut out = Vec::new();
    for (line_no, line) in (first..).zip(body.split('\n')) {
        if line.trim_start().starts_with('|') {
            out.push(columns(line).into_iter().map(|c| (line_no, c)).collect());
        }
    }
    let fits = out.len() == table.rows.len()
        && out
            .iter()
            .zip(&table.rows)
            .all(|(p, r): (&Vec<(u64, u64)>, _)| p.len() >= r.len());
    fits.then_some(out)
}

/// The 1-based character column where each cell's text starts: after its `|` and blanks
/// (or right after the `|` for an empty cell). `\|` and `\\` are escapes.
fn columns(line: &str) -> Vec<u64> {
    let chars: Vec<char> = line.chars().collect();
    let mut bars = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '|' => {
                bars.push(i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    bars.windows(2)
        .map(|w| {
            let first = (w[0] + 1..w[1]).find(|&j| !matches!(chars[j], ' ' | '\t'));
            first.unwrap_or(w[0] + 1) as u64 + 1
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const TEXT: &str = "Feature: f\n  Scenario: s\n    Then x:\n      | as    | reader |\n      # a comment\n\n      | burst | 5\\|0   |\n";

    fn table() -> (SourceFile, gherkin::Table) {
        let feature = gherkin::Feature::parse(TEXT, gherkin::GherkinEnv::default()).unwrap();
        let table = feature.scenarios[0].steps[0].table.clone().unwrap();
        (SourceFile::from_text(Path::new("f.feature"), TEXT), table)
    }

    #[test]
    fn cells_know_their_line_and_column() {
        let (source, table) = table();
        let got = positions(&source, &table).unwrap();
        assert_eq!(got, vec![vec![(4, 9), (4, 17)], vec![(7, 9), (7, 17)]]);
        assert_eq!(table.rows[1][1], "5|0");
    }

    /// What a Background's table costs: its cells are found in the file once, however
    /// many scenarios (or Examples rows, with other values filled in) repeat it.
    #[test]
    fn each_tables_positions_are_computed_once() {
        let (source, table) = table();
        let mut filled = table.clone();
        filled.rows[0][1] = "writer".into();
        let mut known = TablePositions::default();
        let mut errors = Vec::new();
        for t in [&table, &filled, &table] {
            let rows = pairs(&source, t, &mut known, &mut errors).unwrap();
            assert_eq!((rows[1].value.line, rows[1].value.col), (7, 17));
        }
        assert!(errors.is_empty());
        assert_eq!(known.computed, 1);
    }
}
