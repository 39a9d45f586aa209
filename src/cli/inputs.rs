//! The files a run reads as its input: suite files and features, `--config`, and every
//! `authspec.yaml` / `authspec.yml` in a suite's directory or its parents. A report must
//! never be written over one of them, and the demo is bound only if one mentions it.

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
