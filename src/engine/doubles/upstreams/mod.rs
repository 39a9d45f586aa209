//! Stub upstreams: serving them (`server`), what they answer and any fault a scenario
//! stages (`stub`), and judging what they received (`verdict`).

mod server;
mod stub;
pub mod verdict;

pub use server::{Mark, UpstreamCa, Upstreams};
