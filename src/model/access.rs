//! The access matrix: one request, the roles that must be allowed and those that must be
//! refused.

use super::{Location, Request, RoleId, SpecOrigin};

#[derive(Clone, Debug)]
pub struct AccessEntry {
    pub request: Request,
    pub allow: Vec<(RoleId, Location)>,
    pub deny: Vec<(RoleId, Location)>,
    pub tags: Vec<String>,
    /// Made from an OpenAPI operation (`openapi:`), not written under `access:`. Boxed, as
    /// what few entries have: a matrix of 100,000 written cells holds no room for it.
    pub spec: Option<Box<SpecOrigin>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    Deny,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Deny => "deny",
        }
    }
}
