//! Obtaining credentials from auth servers.

pub mod oauth;
