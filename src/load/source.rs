//! A suite file's text and name, and conversion of line:column positions into the byte
//! spans diagnostics underline. Where each line starts is indexed once, so a position is
//! found by binary search, not by scanning the file from its start: a large feature has
//! a position for every table cell of every concrete scenario.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use miette::{NamedSource, SourceSpan};

use super::LoadError;
use crate::model::Location;

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user gave it (relative paths stay relative in messages).
    pub name: Arc<str>,
    pub dir: std::path::PathBuf,
    pub text: Arc<str>,
    /// The byte offset where each line starts: `line_starts[0]` is 0.
    line_starts: Arc<[usize]>,
    /// The text with literal credentials masked, made once for all diagnostics.
    shown: Arc<OnceLock<Arc<str>>>,
}

impl SourceFile {
    pub fn read(path: &Path) -> Result<Self, LoadError> {
        let text = super::files::read_bounded(path, super::files::MAX_FILE).map_err(|source| {
            LoadError::Io {
                path: path.to_path_buf(),
                source,
            }
        })?;
        Ok(Self::from_text(path, text))
    }

    pub fn from_text(path: &Path, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            name: path.display().to_string().into(),
            // `suite.yaml` alone has the parent "", which no process can run in.
            dir: match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            },
            text,
            line_starts,
            shown: Arc::default(),
        }
    }

    /// The text diagnostics render, with literal credentials masked.
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        let shown = self
            .shown
            .get_or_init(|| super::mask::mask_credentials(&self.text).into());
        self.named(shown.clone())
    }

    /// [`Self::named_source`] with `ranges` masked too.
    pub fn named_source_masking(&self, ranges: &[std::ops::Range<usize>]) -> NamedSource<Arc<str>> {
        let shown = self.named_source();
        self.named(super::mask::star(shown.inner(), ranges.iter().cloned()).into())
    }

    fn named(&self, shown: Arc<str>) -> NamedSource<Arc<str>> {
        let language = if self.name.ends_with(".feature") {
            "gherkin"
        } else {
            "yaml"
        };
        NamedSource::new(&self.name, shown).with_language(language)
    }

    pub fn location(&self, line: u64, column: u64) -> Location {
        Location {
            file: self.name.clone(),
            line,
            column,
        }
    }

    /// The span from (line, column) to the end of the token there: up to the line's end
    /// or a flow separator (in a feature, a table cell's `|`), at least one character when
    /// there is text left.
    pub fn span(&self, line: u64, column: u64) -> SourceSpan {
        let start = self.offset(line, column);
        let rest = &self.text[start..];
        let end = if self.name.ends_with(".feature") {
            rest.find(['\n', '|'])
        } else {
            rest.find(['\n', ',', ']', '}'])
        }
        .unwrap_or(rest.len());
        let len = rest[..end].trim_end().len();
        SourceSpan::new(start.into(), len.max(usize::from(!rest.is_empty())))
    }

    /// The 1-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> u64 {
        let i = self.line_starts.partition_point(|&start| start <= offset);
        i.max(1) as u64
    }

    /// The byte offset where 1-based `line` starts; `None` past the last line.
    pub fn line_start(&self, line: u64) -> Option<usize> {
        let i = usize::try_from(line.checked_sub(1)?).ok()?;
        self.line_starts.get(i).copied()
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: u64) -> &str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let rest = &self.text[start..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// The byte offset of 1-based (line, column), columns counted in characters.
    pub fn offset(&self, line: u64, column: u64) -> usize {
        let Some(start) = self.line_start(line) else {
            return self.text.len();
        };
        let end = self.line_start(line + 1).unwrap_or(self.text.len());
        let col_bytes: usize = self.text[start..end]
            .chars()
            .take(column.saturating_sub(1) as usize)
            .map(char::len_utf8)
            .sum();
        start + col_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_covers_the_token_at_a_position() {
        let src = SourceFile::from_text(Path::new("s.yaml"), "a: 1\nroles: [reader, writr]\n");
        let span = src.span(2, 17);
        assert_eq!(
            &src.text[span.offset()..span.offset() + span.len()],
            "writr"
        );
    }

    #[test]
    fn line_index_finds_lines_by_offset_and_offsets_by_line() {
        let text = "ab\n\ncdé\r\nlast";
        let src = SourceFile::from_text(Path::new("s.feature"), text);
        let lines: Vec<u64> = (0..text.len()).map(|o| src.line_of(o)).collect();
        let expected: Vec<u64> = text
            .char_indices()
            .flat_map(|(i, c)| {
                let line = text[..i].matches('\n').count() as u64 + 1;
                std::iter::repeat_n(line, c.len_utf8())
            })
            .collect();
        assert_eq!(lines, expected);
        assert_eq!(src.line_of(text.len()), 4);
        let starts: Vec<Option<usize>> = (0..=5).map(|l| src.line_start(l)).collect();
        assert_eq!(starts, [None, Some(0), Some(3), Some(4), Some(10), None]);
        assert_eq!(
            (1..=5).map(|l| src.line_text(l)).collect::<Vec<_>>(),
            ["ab", "", "cdé", "last", ""]
        );
        // Columns count characters: `é` is two bytes, one column.
        assert_eq!(src.offset(3, 4), 8);
        assert_eq!(
            src.offset(3, 9),
            10,
            "a column past the line's end stops after it"
        );
        assert_eq!(src.offset(9, 1), text.len());
    }

    #[test]
    fn span_past_the_end_is_clamped() {
        let src = SourceFile::from_text(Path::new("s.yaml"), "a: 1");
        let span = src.span(9, 1);
        assert!(span.offset() <= src.text.len());
    }
}
