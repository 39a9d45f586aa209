//! Leakage: detectors that read every response a check receives and report what must
//! never be there (stack traces, database errors, internal paths and addresses, version
//! banners, secrets). One detector per file under `detectors/`.

pub mod detectors;
mod finding;

pub use finding::{Detector, Leak, Response, Scope};
