//! The engine's own checks: access cells, scenarios and their expectations, leak scans,
//! host-wide findings and service log rules. Probes live in `probes/`.

pub mod access;
pub mod capture;
pub mod expect;
pub mod host_wide;
pub mod leaks;
pub mod logs;
pub mod scenario;
mod step_finding;

pub use leaks::detector_ids;
