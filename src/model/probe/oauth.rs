//! Probe `oauth`: does the authorization server enforce what OAuth 2.0 security best
//! current practice (RFC 9700) asks: client authentication, scopes, lifetimes, refresh
//! rotation, PKCE, single-use codes, exact redirect URIs and revocation? A suite lists the
//! cases by name (`checks:`). OWASP API2:2023 (broken authentication), API5:2023 for
//! scopes.

use super::ProbeCase;
use super::case::probe_cases;
use crate::model::{Location, Request, RoleId};

/// Does the authorization server enforce client authentication, scopes, lifetimes, PKCE,
/// refresh rotation, exact redirect URIs and revocation?
#[derive(Clone, Debug)]
pub struct OAuthProbe {
    pub server: usize,
    /// Roles whose grants the checks use (a client-credentials role, a code role).
    pub roles: Vec<RoleId>,
    pub max_token_lifetime: Option<std::time::Duration>,
    /// Check names, in order: `OAUTH_CHECKS` names, as the loader checked them.
    pub checks: Vec<String>,
    /// A request a revoked token must no longer pass, when there is no introspection.
    pub request: Option<Request>,
    /// The suite entry, for the `-->` line of every finding and error of the probe.
    pub location: Location,
}

probe_cases! {
    /// One check of the authorization server each.
    pub enum OAuthCase in "oauth" {
        /// No token for a confidential client without its credentials (RFC 6749 §2.3).
        ClientAuthRequired = "client_auth_required", cwe [287], owasp API2;
        WrongClientSecretRefused = "wrong_client_secret_refused", cwe [287], owasp API2;
        /// Issued scopes are no wider than the ones asked for.
        ScopeNotOverIssued = "scope_not_over_issued", cwe [269], owasp API5;
        /// Access tokens live no longer than `max_token_lifetime`.
        TokenLifetime = "token_lifetime", cwe [613], owasp API2;
        /// A used refresh token cannot be replayed (RFC 9700 §4.14.2).
        RefreshRotation = "refresh_rotation", cwe [613], owasp API2;
        /// A refresh cannot widen the scope (RFC 6749 §6).
        RefreshScopeNotWidened = "refresh_scope_not_widened", cwe [613], owasp API2;
        /// A code without a PKCE verifier is refused (RFC 7636).
        PkceRequired = "pkce_required", cwe [287], owasp API2;
        PkceWrongVerifierRefused = "pkce_wrong_verifier_refused", cwe [287], owasp API2;
        /// `code_challenge_method=plain` is refused (RFC 9700 §2.1.1).
        PkcePlainRefused = "pkce_plain_refused", cwe [287], owasp API2;
        /// A code works once (RFC 6749 §4.1.2).
        CodeReuseRefused = "code_reuse_refused", cwe [287], owasp API2;
        /// Only the exact registered redirect URI receives codes (RFC 9700 §4.1).
        RedirectUriExact = "redirect_uri_exact", cwe [601], owasp API2;
        /// A revoked token is refused (RFC 7009).
        RevokedTokenRefused = "revoked_token_refused", cwe [613], owasp API2;
    }
}

/// The case names a suite may list, for the loader's checks and help.
pub const OAUTH_CHECKS: [&str; OAuthCase::ALL.len()] = {
    let mut names = [""; OAuthCase::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = OAuthCase::ALL[i].name();
        i += 1;
    }
    names
};

impl OAuthProbe {
    /// The listed cases, in the suite's order (the loader refused unknown names).
    pub fn cases(&self) -> Vec<ProbeCase> {
        self.checks
            .iter()
            .filter_map(|c| OAuthCase::named(c))
            .map(ProbeCase::OAuth)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{OAUTH_CHECKS, OAuthCase};

    #[test]
    fn the_names_suites_list_are_the_cases() {
        let names: Vec<&str> = OAuthCase::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(OAUTH_CHECKS.as_slice(), names.as_slice());
    }
}
