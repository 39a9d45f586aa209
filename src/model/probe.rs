//! Probes: one entry in a suite that expands into several checks (one per case), run in
//! order as one unit because later cases depend on earlier ones (a positive control).

use super::{Location, Request, RoleId, Secret};

#[derive(Clone, Debug)]
pub enum Probe {
    RateLimit(RateLimitProbe),
    Webhooks(WebhookProbe),
    Headers(HeadersProbe),
    Tokens(TokensProbe),
    OAuth(OAuthProbe),
    Tls(super::TlsProbe),
}

/// Does the authorization server enforce client authentication, scopes, lifetimes, PKCE,
/// refresh rotation, exact redirect URIs and revocation?
#[derive(Clone, Debug)]
pub struct OAuthProbe {
    pub server: usize,
    /// Roles whose grants the checks use (a client-credentials role, a code role).
    pub roles: Vec<RoleId>,
    pub max_token_lifetime: Option<std::time::Duration>,
    /// Check names, in order.
    pub checks: Vec<String>,
    /// A request a revoked token must no longer pass, when there is no introspection.
    pub request: Option<Request>,
}

pub const OAUTH_CHECKS: [&str; 12] = [
    "client_auth_required",
    "wrong_client_secret_refused",
    "scope_not_over_issued",
    "token_lifetime",
    "refresh_rotation",
    "refresh_scope_not_widened",
    "pkce_required",
    "pkce_wrong_verifier_refused",
    "pkce_plain_refused",
    "code_reuse_refused",
    "redirect_uri_exact",
    "revoked_token_refused",
];

/// Doctored tokens must be refused where the genuine one is accepted.
#[derive(Clone, Debug)]
pub struct TokensProbe {
    pub role: RoleId,
    /// A request the role is allowed to make: the positive control, run first.
    pub request: Request,
    /// Mutation names, in order.
    pub mutations: Vec<String>,
    /// How long `expired` may wait for the genuine token to expire.
    pub max_wait: std::time::Duration,
    /// The issuer's signing key (test environments): an HS256 secret or a PEM private
    /// key. Enables mutations that are validly signed so only claim checks refuse them.
    pub signing_key: Option<Secret>,
    /// Property-based mode: this many random edits of header and claims.
    pub fuzz: Option<u32>,
    /// Clock skew a verifier may allow past `exp` (`expired` by waiting).
    pub leeway: std::time::Duration,
}

/// A burst must be answered with 429 and a valid `Retry-After`.
#[derive(Clone, Debug)]
pub struct RateLimitProbe {
    pub role: RoleId,
    pub request: Request,
    /// Requests at most.
    pub burst: u32,
    /// A 429 must come at or before this request.
    pub expect_within: u32,
    pub retry_after_required: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookScheme {
    Stripe,
    Github,
    Slack,
    StandardWebhooks,
    HmacSha256,
}

impl WebhookScheme {
    pub fn name(self) -> &'static str {
        match self {
            WebhookScheme::Stripe => "stripe",
            WebhookScheme::Github => "github",
            WebhookScheme::Slack => "slack",
            WebhookScheme::StandardWebhooks => "standard_webhooks",
            WebhookScheme::HmacSha256 => "hmac_sha256",
        }
    }
}

/// Forged, unsigned, stale and replayed deliveries must be refused.
#[derive(Clone, Debug)]
pub struct WebhookProbe {
    pub request: Request,
    pub scheme: WebhookScheme,
    pub secret: Secret,
    pub payload: serde_json::Value,
    /// Seconds a timestamp may be old.
    pub tolerance: u64,
    /// For `hmac_sha256`: the header carrying the hex signature.
    pub header: String,
}

/// Security headers and CORS on each request.
#[derive(Clone, Debug)]
pub struct HeadersProbe {
    pub role: RoleId,
    pub requests: Vec<Request>,
    pub location: Location,
}
