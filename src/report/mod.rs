//! Reporters: format results for people (console) and for CI (JUnit). They only format;
//! redaction already happened in the engine.

pub mod console;
pub mod junit;
mod sanitize;

pub use sanitize::{cdata_text, xml_text};
