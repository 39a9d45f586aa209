//! What every OAuth case works with: the probe, its authorization server and the
//! endpoints discovery found, and the roles whose grants the cases use.

use crate::engine::auth::oauth::Endpoints;
use crate::engine::request::context::Context;
use crate::model::{AuthServer, Credential, Grant, OAuth2Role, OAuthProbe, RoleId};

/// What every check works with.
pub struct Ctx<'a> {
    pub ctx: &'a Context,
    pub si: usize,
    pub probe: &'a OAuthProbe,
    pub server: &'a AuthServer,
    pub endpoints: Endpoints,
}

impl Ctx<'_> {
    /// The first role of `as:` whose grant matches.
    pub fn role(&self, code: bool) -> Option<(RoleId, &OAuth2Role)> {
        self.probe.roles.iter().find_map(|r| {
            match &self.ctx.suites[self.si].suite.role(*r).credential {
                Credential::OAuth2(o)
                    if matches!(o.grant, Grant::AuthorizationCode { .. }) == code =>
                {
                    Some((*r, o))
                }
                _ => None,
            }
        })
    }
}
