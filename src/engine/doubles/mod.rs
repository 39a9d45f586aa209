//! Test doubles the run starts around the target: stub upstreams and the SUT process.

pub mod sut;
pub mod upstreams;
