//! Plan: expands suites into concrete checks, each with a stable id, a readable name and
//! its tags (`expand`), and keeps those the user selected with the checks they depend on
//! (`select`), optionally one shard of them (`shard`).

mod check;
mod expand;
mod openapi;
mod select;
mod shard;
mod tags;

pub use check::{Check, CheckKind, LogCheck};
pub use openapi::coverage_id;
pub use select::{Selection, plan};
pub use shard::Shard;
pub use tags::{TagExpr, TagExprError};
