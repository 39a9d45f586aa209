//! Probe `tokens` (cases: `model::TokensCase`): doctored tokens the API must refuse.

mod answer;
mod expired;
mod fuzz;
mod probe;
mod weak_secret;

pub use probe::run;
