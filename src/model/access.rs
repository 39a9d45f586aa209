//! The access matrix: one request, the roles that must be allowed and those that must be
//! refused.

use thin_vec::ThinVec;

use super::{Location, Request, RoleId, SpecOrigin};

/// Lists are `ThinVec`s, one pointer each, as a matrix can hold 100,000 entries whose
/// `deny` and `tags` are mostly empty.
#[derive(Clone, Debug)]
pub struct AccessEntry {
    pub request: Request,
    pub allow: ThinVec<(RoleId, Location)>,
    pub deny: ThinVec<(RoleId, Location)>,
    pub tags: ThinVec<String>,
    /// Made from an OpenAPI operation (`openapi:`), not written under `access:`. Boxed, as
    /// what few entries have: a matrix of 100,000 written cells holds no room for it.
    pub spec: Option<Box<SpecOrigin>>,
}

impl AccessEntry {
    /// The `allow` or the `deny` cells.
    pub fn cells(&self, verdict: Verdict) -> &[(RoleId, Location)] {
        match verdict {
            Verdict::Allow => &self.allow,
            Verdict::Deny => &self.deny,
        }
    }
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
