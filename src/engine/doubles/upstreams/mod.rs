//! Stub upstreams: serving them (`server`) and judging what they received (`verdict`).

mod server;
pub mod verdict;

pub use server::{Mark, UpstreamCa, Upstreams};
