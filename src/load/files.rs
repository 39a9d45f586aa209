//! Finds suite files: explicit files as given, directories searched for `*.yaml`, `*.yml`
//! and `*.feature` in a stable (sorted) order.

use std::path::{Path, PathBuf};

use super::LoadError;

pub fn collect_suite_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            if found.is_empty() {
                return Err(LoadError::NoSuites(path.clone()));
            }
            found.sort();
            out.extend(found);
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(LoadError::Io {
                path: path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or directory",
                ),
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if is_suite(&path) {
            found.push(path);
        }
    }
    Ok(())
}

/// YAML suites and Gherkin features; `authspec.yaml` is configuration, not a suite.
fn is_suite(path: &Path) -> bool {
    let is_config = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| super::CONFIG_NAMES.contains(&n));
    !is_config
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "feature")
        )
}
