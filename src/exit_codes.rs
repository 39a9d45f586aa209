//! Process exit codes, documented in the README.

/// Every check passed.
pub const SUCCESS: u8 = 0;
/// At least one check failed or could not run (an error), or the harness itself failed.
pub const CHECKS_FAILED: u8 = 1;
/// The command line or a suite is invalid; nothing was run.
pub const INVALID_INPUT: u8 = 2;
