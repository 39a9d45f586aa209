//! Finds suite files: explicit files as given, directories searched for `*.yaml`, `*.yml`
//! and `*.feature` in a stable (sorted) order. Symlinked directories are not followed (a
//! link cycle must not hang a run) and only regular files of bounded size are read.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::LoadError;

/// Suites and secret files are small; anything bigger is a mistake (or `/dev/zero`).
pub const MAX_FILE: u64 = 1 << 20;

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
        } else if path.exists() {
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
        let entry = entry.map_err(io)?;
        let kind = entry.file_type().map_err(io)?;
        let path = entry.path();
        if kind.is_dir() {
            walk(&path, found)?;
        } else if is_suite(&path) && path.is_file() {
            found.push(path);
        }
    }
    Ok(())
}

/// Reads a regular file of at most `MAX_FILE` bytes as UTF-8.
pub fn read_bounded(path: &Path, max: u64) -> std::io::Result<String> {
    String::from_utf8(read_bounded_bytes(path, max)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Like `read_bounded`, for a binary file (a PKCS#12 archive).
pub fn read_bounded_bytes(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > max {
        return Err(std::io::Error::other(format!(
            "larger than {} KiB",
            max / 1024
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn link_cycles_fifos_and_devices_do_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a.yaml"), "suite: x").unwrap();
        std::os::unix::fs::symlink(d, d.join("loop")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", d.join("zero.yaml")).unwrap();
        let found = collect_suite_files(&[d.to_path_buf()]).unwrap();
        assert_eq!(found, vec![d.join("a.yaml")]);
        assert!(read_bounded(Path::new("/dev/zero"), MAX_FILE).is_err());
        assert!(read_bounded(d, MAX_FILE).is_err());
    }
}
