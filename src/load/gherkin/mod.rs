//! The Gherkin front end: parses `.feature` files with the cucumber project's parser and
//! compiles them into the same model the YAML front end gives. Probe tables and request
//! headers become raw structs and go through the one lowering, so they mean the same
//! and fail the same way in both syntaxes.

mod expand;
mod expect;
mod feature;
mod matcher;
mod probes;
mod scenario;
pub mod steps;
mod table;

pub use feature::load;
