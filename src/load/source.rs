//! A suite file's text and name, and conversion of line:column positions into the byte
//! spans diagnostics underline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

use super::LoadError;
use crate::model::Location;

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the user gave it (relative paths stay relative in messages).
    pub name: Arc<str>,
    pub dir: std::path::PathBuf,
    pub text: Arc<str>,
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
        Self {
            name: path.display().to_string().into(),
            // `suite.yaml` alone has the parent "", which no process can run in.
            dir: match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            },
            text: text.into(),
        }
    }

    /// The text diagnostics render, with literal credentials masked.
    pub fn named_source(&self) -> NamedSource<Arc<str>> {
        let language = if self.name.ends_with(".feature") {
            "gherkin"
        } else {
            "yaml"
        };
        let shown: Arc<str> = super::mask::mask_credentials(&self.text).into();
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

    fn offset(&self, line: u64, column: u64) -> usize {
        let mut offset = 0;
        for (i, l) in self.text.split_inclusive('\n').enumerate() {
            if (i as u64) + 1 == line {
                let col_bytes: usize = l
                    .chars()
                    .take(column.saturating_sub(1) as usize)
                    .map(char::len_utf8)
                    .sum();
                return offset + col_bytes;
            }
            offset += l.len();
        }
        self.text.len()
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
    fn span_past_the_end_is_clamped() {
        let src = SourceFile::from_text(Path::new("s.yaml"), "a: 1");
        let span = src.span(9, 1);
        assert!(span.offset() <= src.text.len());
    }
}
