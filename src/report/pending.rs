//! A report file on disk (JUnit, JSON, SARIF, HTML) is this run's. Before anything is sent, the path is checked (not
//! a directory, a link, a device or FIFO, nor any input of the run) and a report an earlier
//! run left there is removed, so a run that stops early (invalid input, a signal, a crash)
//! never leaves a stale passing report behind. The report is written to a temporary file
//! beside the target and renamed over it only when complete.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use super::document::RunDocument;
use crate::redact::Redactor;

/// The formats a run writes, each from the same `RunDocument`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `locations`: `file` and `line` on each test case (`--junit-locations`).
    Junit {
        locations: bool,
    },
    Json,
    Sarif,
    Html,
    GitlabSast,
}

impl Format {
    /// As messages name it: `the JUnit report`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Junit { .. } => "JUnit",
            Format::Json => "JSON",
            Format::Sarif => "SARIF",
            Format::Html => "HTML",
            Format::GitlabSast => "GitLab SAST",
        }
    }

    /// The option that asks for it.
    pub fn flag(self) -> &'static str {
        match self {
            Format::Junit { .. } => "--junit",
            Format::Json => "--json",
            Format::Sarif => "--sarif",
            Format::Html => "--html",
            Format::GitlabSast => "--gitlab-sast",
        }
    }

    fn write(
        self,
        doc: &RunDocument,
        redactor: &Redactor,
        sink: &mut dyn Write,
    ) -> std::io::Result<()> {
        match self {
            Format::Junit { locations } => super::junit::render(doc, redactor, locations, sink),
            Format::Json => super::json::render(doc, redactor, sink),
            Format::Sarif => super::sarif::render(doc, redactor, sink),
            Format::Html => super::html::render(doc, redactor, sink),
            Format::GitlabSast => super::gitlab::render(doc, redactor, sink),
        }
    }
}

/// Why the report cannot go to the path given: a command-line error (exit 2), found
/// before any request.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the {} report {}: {reason}", format.name(), path.display())]
pub struct ReportPathError {
    pub format: Format,
    pub path: PathBuf,
    pub reason: String,
}

/// A report being written: a temporary file beside the target, renamed over it at the end.
pub struct PendingReport {
    format: Format,
    path: PathBuf,
    temp: PathBuf,
    file: File,
}

impl PendingReport {
    /// Checks `path` against the run's `inputs` (suites, features, configs), removes an
    /// earlier report there, and opens the temporary file (so an unwritable directory is
    /// found now, not after the run).
    pub fn create(
        format: Format,
        path: &Path,
        inputs: &[PathBuf],
    ) -> Result<Self, ReportPathError> {
        let refuse = |reason: String| ReportPathError {
            format,
            path: path.to_path_buf(),
            reason,
        };
        check(path, inputs).map_err(refuse)?;
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(refuse(format!("cannot remove the earlier report: {e}"))),
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        // A leftover of a killed run with the same process id; `create_new` then never
        // follows a link someone put at the temporary name.
        let _ = std::fs::remove_file(&temp);
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(|e| refuse(e.to_string()))?;
        Ok(Self {
            format,
            path: path.to_path_buf(),
            temp,
            file,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Writes `doc` (every string through `redactor`, last) and renames it over the
    /// target.
    pub fn finish(self, doc: &RunDocument, redactor: &Redactor) -> Result<(), String> {
        let fail = |e: String| {
            format!(
                "cannot write the {} report {}: {e}",
                self.format.name(),
                self.path.display()
            )
        };
        let mut sink = BufWriter::new(&self.file);
        self.format
            .write(doc, redactor, &mut sink)
            .map_err(|e| fail(e.to_string()))?;
        sink.flush().map_err(|e| fail(e.to_string()))?;
        drop(sink);
        self.file.sync_all().map_err(|e| fail(e.to_string()))?;
        std::fs::rename(&self.temp, &self.path).map_err(|e| fail(e.to_string()))
    }
}

impl Drop for PendingReport {
    fn drop(&mut self) {
        // After a successful rename this finds nothing; otherwise it cleans up.
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// What may not be replaced by a report. A path that does not exist yet is fine.
fn check(path: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.to_string()),
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err("it is a directory; give a file name for the report".into());
    }
    if kind.is_symlink() {
        // Renaming over a link replaces the link, not what it points at: neither is what
        // the user meant, and the target may be anything.
        return Err("it is a symbolic link; give the path of a regular file".into());
    }
    if !kind.is_file() {
        let what = if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        return Err(format!("it is {what}; give the path of a regular file"));
    }
    // The same file under another name (`./s.yaml`, a hard link) is the same input.
    let same = |m: &std::fs::Metadata| m.dev() == meta.dev() && m.ino() == meta.ino();
    if let Some(input) = inputs
        .iter()
        .find(|i| std::fs::metadata(i).is_ok_and(|m| same(&m)))
    {
        return Err(format!(
            "it is the same file as {}, an input of this run; give the report another name",
            input.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_directories_links_devices_and_inputs_and_accepts_new_or_old_reports() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let suite = d.join("s.yaml");
        std::fs::write(&suite, "suite: x\n").unwrap();
        let inputs = vec![suite.clone()];
        assert!(check(&d.join("new.xml"), &inputs).is_ok());
        std::fs::write(d.join("old.xml"), "<testsuites/>").unwrap();
        assert!(check(&d.join("old.xml"), &inputs).is_ok());
        let why = |p: &Path| check(p, &inputs).unwrap_err();
        assert!(why(d).contains("directory"));
        assert!(why(&d.join(".").join("s.yaml")).contains("an input of this run"));
        std::fs::hard_link(&suite, d.join("hard.xml")).unwrap();
        assert!(why(&d.join("hard.xml")).contains("an input of this run"));
        std::os::unix::fs::symlink(&suite, d.join("link.xml")).unwrap();
        assert!(why(&d.join("link.xml")).contains("symbolic link"));
        assert!(why(Path::new("/dev/null")).contains("a device"));
        let made = std::process::Command::new("mkfifo")
            .arg(d.join("fifo.xml"))
            .status()
            .unwrap();
        assert!(made.success());
        assert!(why(&d.join("fifo.xml")).contains("a FIFO"));
    }

    #[test]
    fn an_earlier_report_is_removed_when_the_report_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.xml");
        std::fs::write(&path, "<testsuites/>").unwrap();
        let pending =
            PendingReport::create(Format::Junit { locations: false }, &path, &[]).unwrap();
        assert!(!path.exists());
        drop(pending);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
