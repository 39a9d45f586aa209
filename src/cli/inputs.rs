//! The files a run reads as its input: suite files and features, `--config`, every
//! `authspec.yaml` / `authspec.yml` in a suite's directory or its parents, and the
//! `${file:…}` secrets they name. A report must never be written over one of them (nor
//! an earlier report be removed there; the `--upstream-ca` files are added by the run),
//! and the demo is bound only if a suite or config mentions it.

use std::path::{Path, PathBuf};

use super::args::SuiteArgs;
use crate::load::{CONFIG_NAMES, collect_suite_files};

const DEFAULT_PATHS: [&str; 2] = ["scenarios", "features"];

/// The paths given, or the default directories that exist here.
pub fn paths(args: &SuiteArgs) -> Vec<PathBuf> {
    if args.paths.is_empty() {
        DEFAULT_PATHS
            .iter()
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .collect()
    } else {
        args.paths.clone()
    }
}

/// The inputs named on the command line: `--config` and the files among the paths.
pub fn given(args: &SuiteArgs) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = args.config.iter().cloned().collect();
    // A file given explicitly is an input even when it is not a suite (`run notes.txt`).
    out.extend(args.paths.iter().filter(|p| p.is_file()).cloned());
    out
}

/// Every input file of the run, sorted, once each; `None` when the suite paths cannot
/// be listed (the loader then says why).
pub fn files(args: &SuiteArgs) -> Option<Vec<PathBuf>> {
    let suites = collect_suite_files(&paths(args)).ok()?;
    let mut out = given(args);
    for f in &suites {
        out.push(f.clone());
        let dir = f.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        // As the loader looks: from the canonical directory up.
        let start = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        for d in start.ancestors() {
            out.extend(
                CONFIG_NAMES
                    .iter()
                    .map(|n| d.join(n))
                    .filter(|p| p.is_file()),
            );
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// `files`, and every `${file:PATH}` a suite or config writes (relative to its own
/// directory, as the loader resolves it): what a report path is checked against.
pub fn all(args: &SuiteArgs) -> Vec<PathBuf> {
    let mut out = files(args).unwrap_or_else(|| given(args));
    let named: Vec<PathBuf> = out
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            Some(file_references(&text, f.parent().unwrap_or(Path::new(""))))
        })
        .flatten()
        .collect();
    out.extend(named);
    out
}

/// The `${file:PATH}` references of `text`, joined to `dir`; spaced as the loader allows.
fn file_references(text: &str, dir: &Path) -> Vec<PathBuf> {
    text.match_indices("${")
        .filter_map(|(i, _)| {
            let inner = &text[i + 2..];
            let inner = &inner[..inner.find('}')?];
            let (kind, arg) = inner.split_once(':')?;
            (kind.trim() == "file" && !arg.trim().is_empty()).then(|| dir.join(arg.trim()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_file_references_as_the_loader_reads_them() {
        let found = file_references(
            "a: ${file:key.pem}\nb: ${ file : ../t.txt }\nc: ${env:X} ${file:}",
            Path::new("s"),
        );
        assert_eq!(
            found,
            vec![PathBuf::from("s/key.pem"), PathBuf::from("s/../t.txt")]
        );
    }
}
