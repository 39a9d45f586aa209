//! Service log rules: checked after every request of the run, on what the run appended.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct LogRule {
    pub path: PathBuf,
    /// As written in the suite, for names and messages.
    pub shown: String,
    /// No credential or token of the run, in any encoding (CWE-532).
    pub no_secrets: bool,
    /// Texts that must appear: failed authentications are audited (CWE-778).
    pub must_record: Vec<String>,
}
