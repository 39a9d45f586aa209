//! The engine's own checks: access cells, scenarios and their expectations, leak scans
//! and service log rules. Probes live in `probes/`.

pub mod access;
pub mod expect;
pub mod leaks;
pub mod logs;
pub mod scenario;

pub use leaks::detector_ids;
