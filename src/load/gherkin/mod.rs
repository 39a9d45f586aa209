//! The Gherkin front end: parses `.feature` files with the cucumber project's parser and
//! builds the same raw structs the YAML front end deserializes: scenarios, steps and
//! expectations from the steps, probes from their tables, every value at its step's or
//! cell's position. The one lowering turns them into the model, so they mean the same
//! and fail the same way in both syntaxes.

mod expand;
mod expect;
mod feature;
mod flow;
mod matcher;
mod probe_kinds;
mod probes;
mod request;
mod scenario;
pub mod steps;
mod table;
mod upstream;
mod variant;

pub use feature::load;
