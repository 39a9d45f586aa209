//! Running a plan: preparing each suite, scheduling checks in phases, proving roles, and
//! assembling results.

mod assemble;
mod coverage;
mod emit;
mod proofs;
mod schedule;
pub mod setup;
mod setup_steps;

pub use emit::Planned;
pub use schedule::{RunOptions, run};
