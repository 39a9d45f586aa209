//! Reporters: format results for people (console, HTML) and for CI (JUnit, JSON, SARIF).
//! They only format; results were redacted in the engine, and every string they write
//! passes through the redactor once more, last, with whatever the reporter added. JSON,
//! SARIF and HTML are written from one `RunDocument` (`document`), so they show the same
//! fields.

mod build;
pub mod console;
mod coverage;
pub mod document;
mod entries;
mod fingerprint;
pub mod gitlab;
pub mod html;
pub mod json;
pub mod junit;
pub mod merge;
pub mod pending;
mod rules;
mod run;
mod sanitize;
pub mod sarif;
mod spill;

pub use pending::Format;
pub use run::{CaseIndex, CaseMeta, DocumentCache, Report, RunProblem};
pub use sanitize::{cdata_text, xml_clean, xml_text};
pub use spill::IN_MEMORY;
