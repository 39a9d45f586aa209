//! Positions for raw values, whichever syntax they were read from: YAML fills them from
//! the parser's spans, Gherkin from a table cell's line and column.

/// Where a value is written: 1-based line and column; 0 when unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
}

impl Pos {
    pub const UNKNOWN: Pos = Pos { line: 0, column: 0 };

    pub const fn new(line: u64, column: u64) -> Self {
        Self { line, column }
    }
}

/// A value and where it is written.
#[derive(Clone, Debug, PartialEq)]
pub struct S<T> {
    pub value: T,
    pub at: Pos,
}

impl<T> S<T> {
    pub const fn new(value: T, at: Pos) -> Self {
        Self { value, at }
    }
}

/// A mapping that keeps its keys' positions and order.
pub struct SpannedMap<V>(pub Vec<(S<String>, V)>);

impl<V> Default for SpannedMap<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

/// One value or a list of them (`status: 201`, `status: [500, 503]`).
pub struct OneOrMany<T>(pub Vec<T>);
