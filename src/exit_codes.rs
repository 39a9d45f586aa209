//! Process exit codes, documented in the README.

/// Every check passed.
pub const SUCCESS: u8 = 0;
/// At least one check failed or could not run (an error), or the harness itself failed.
pub const CHECKS_FAILED: u8 = 1;
/// The command line or a suite is invalid; nothing was run.
pub const INVALID_INPUT: u8 = 2;
/// The run was stopped by SIGHUP (128 + 1, as a shell reports a process the signal ended),
/// after writing the report of what finished.
pub const HUNG_UP: u8 = 129;
/// The run was stopped by SIGINT (Ctrl-C; 128 + 2), after writing the report.
pub const INTERRUPTED: u8 = 130;
/// The run was stopped by SIGTERM (a CI cancel, `timeout`; 128 + 15), after writing the
/// report.
pub const TERMINATED: u8 = 143;
