//! The catalogue of leak detectors; `all()` is what the engine runs.

mod catalogue;
mod database_error;
mod file_path;
mod internal_address;
mod patterns;
mod secret_format;
mod stack_trace;
#[cfg(test)]
mod testing;
mod version_banner;

pub use catalogue::all;
use patterns::{Catalogue, Pattern, body_leaks};
pub use secret_format::formats as credential_formats;
