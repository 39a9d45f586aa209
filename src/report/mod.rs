//! Reporters: format results for people (console) and for CI (JUnit). They only format;
//! results were redacted in the engine, and every string they write passes through the
//! redactor once more, last, with whatever the reporter added.

pub mod console;
pub mod junit;
pub mod pending;
mod sanitize;

pub use sanitize::{cdata_text, xml_text};
