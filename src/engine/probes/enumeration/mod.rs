//! Probe `enumeration` (cases: `model::EnumerationCase`): an unknown account and a wrong
//! secret must be answered alike.

mod normalise;
mod probe;
mod timing;

pub use probe::run;
