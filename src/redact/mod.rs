//! The redaction layer: every secret value of the run (resolved references, tokens
//! obtained later, values the run made up), and the one pass every string bound for an
//! output goes through last. It matches secrets in the forms servers and formatters
//! write them (`view.rs`, `encodings.rs`), masks what is left of a secret where a text
//! was cut (`fragments.rs`) and credentials in well-known formats whoever they belong to
//! (`formats.rs`). The same set is the canary list: a response or log that contains a
//! secret of the run, in any form, is leaking it.

mod encodings;
mod formats;
mod fragments;
mod redactor;
mod spans;
mod view;

pub use formats::find as well_known_credentials;
pub use redactor::{Redactor, marker};
