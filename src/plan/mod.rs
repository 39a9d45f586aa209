//! Plan: expands suites into concrete checks, each with a stable id, a readable name and
//! its tags (`expand`), and keeps those the user selected with the checks they depend on
//! (`select`).

mod expand;
mod select;
mod tags;

pub use expand::{Check, CheckKind, LogCheck};
pub use select::{Selection, plan};
pub use tags::{TagExpr, TagExprError};
