//! The `authspec` binary: everything lives in the library; this maps its result to the
//! process exit code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(authspec::cli::main())
}
