//! Load errors: I/O problems, and suite diagnostics that point at file:line:column with
//! the offending text (rendered by miette at the edge).

use std::path::PathBuf;
use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};

use super::SourceFile;
use crate::model::Location;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no suite files (*.yaml, *.yml, *.feature) found in {}", .0.display())]
    NoSuites(PathBuf),
    #[error("{} problem(s) found in the suites", .0.len())]
    Invalid(Vec<SuiteDiagnostic>),
}

/// One problem in one suite file, with where it is and, where it helps, what to do.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
pub struct SuiteDiagnostic {
    pub message: String,
    #[source_code]
    src: NamedSource<Arc<str>>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    pub help: Option<String>,
    pub location: Location,
    /// Ranges of the file masked beyond what the file's own masking covers.
    masked: Vec<std::ops::Range<usize>>,
}

impl SuiteDiagnostic {
    pub fn new(source: &SourceFile, line: u64, column: u64, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            label: "here".into(),
            src: source.named_source(),
            span: source.span(line, column),
            help: None,
            location: source.location(line, column),
            masked: Vec::new(),
            message,
        }
    }

    pub fn at(source: &SourceFile, loc: &super::raw::Pos, message: impl Into<String>) -> Self {
        Self::new(source, loc.line.max(1), loc.column.max(1), message)
    }

    pub fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = label.into();
        self
    }

    /// Masks `range` of the file in what this diagnostic shows: a value that only this
    /// problem tells is a credential (one under a misspelt key).
    pub fn mask(&mut self, source: &SourceFile, range: std::ops::Range<usize>) -> &mut Self {
        self.masked.push(range);
        self.src = source.named_source_masking(&self.masked);
        self
    }

    /// What one diagnostic of a file masks, every diagnostic of that file masks: another
    /// problem's snippet may show the same line.
    pub fn share_masks(source: &SourceFile, errors: &mut [SuiteDiagnostic]) {
        let all: Vec<_> = errors.iter().flat_map(|d| d.masked.clone()).collect();
        if all.is_empty() {
            return;
        }
        for d in errors {
            d.masked.clone_from(&all);
            d.src = source.named_source_masking(&all);
        }
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column: message`, the one-line form for logs and tests.
    pub fn headline(&self) -> String {
        format!("{}: {}", self.location, self.message)
    }
}
