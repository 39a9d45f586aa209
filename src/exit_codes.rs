//! Process exit codes: named once here, documented in `authspec run --help` and the README,
//! and pinned by tests. A CI gate reads them: 1 is a security finding to fix, 3 a run that
//! proved nothing about some checks (fix the harness, the target or the suite), 2 input
//! to fix before anything runs.

/// Every check passed (or was skipped).
pub const SUCCESS: u8 = 0;
/// At least one check failed: a security finding.
pub const CHECKS_FAILED: u8 = 1;
/// The command line or a suite is invalid; nothing was run.
pub const INVALID_INPUT: u8 = 2;
/// No check failed, but at least one could not be judged (an error: connection refused, a
/// vacuous deny, a suite whose SUT did not start), or the run itself could not go on, or
/// a report could not be written. Never a pass.
pub const CHECKS_ERRORED: u8 = 3;
/// The run was stopped by SIGHUP (128 + 1, as a shell reports a process the signal ended),
/// after writing the report of what finished.
pub const HUNG_UP: u8 = 129;
/// The run was stopped by SIGINT (Ctrl-C; 128 + 2), after writing the report.
pub const INTERRUPTED: u8 = 130;
/// The run was stopped by SIGTERM (a CI cancel, `timeout`; 128 + 15), after writing the
/// report.
pub const TERMINATED: u8 = 143;

/// The `--help` paragraph that lists them, so the help text and the constants cannot
/// disagree.
pub const HELP: &str = "Exit codes:
  0    every check passed
  1    at least one check failed (a finding)
  2    invalid suite or command line; nothing ran
  3    no finding, but at least one check could not run (an error)
  129, 130, 143  stopped by SIGHUP, SIGINT, SIGTERM (the report holds what finished)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_code() {
        for code in [SUCCESS, CHECKS_FAILED, INVALID_INPUT, CHECKS_ERRORED] {
            assert!(HELP.contains(&format!("\n  {code}    ")), "{code}");
        }
        for code in [HUNG_UP, INTERRUPTED, TERMINATED] {
            assert!(HELP.contains(&code.to_string()), "{code}");
        }
    }
}
