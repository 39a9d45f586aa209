//! The raw `openapi:` block of a suite: which OpenAPI document, what each role holds in
//! its terms, the parameter values its examples lack, what is never sent, and the
//! coverage the run must reach.

use schemars::JsonSchema;
use serde::Deserialize;

use super::span::{S, SpannedMap};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOpenApi {
    /// A file relative to the suite's directory, or a URL (`${env:SPEC_URL}`): OpenAPI
    /// 3.0 or 3.1, YAML or JSON.
    pub spec: S<String>,
    /// What each role (of `roles:`) holds, in the spec's terms.
    pub roles: Option<SpannedMap<RawSpecRole>>,
    /// Values for path, query and header parameters the spec gives no example of.
    pub parameters: Option<SpannedMap<S<String>>>,
    /// `METHOD /path/{template}`: operations never sent (destructive ones); they count as
    /// not covered unless another check of the suite covers them.
    #[serde(default)]
    pub exclude: Vec<S<String>>,
    pub coverage: Option<RawCoverage>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSpecRole {
    /// OAuth2 / OpenID Connect scopes the role's token carries.
    pub scopes: Option<Vec<String>>,
    /// Security schemes (by their name under `components.securitySchemes`) the role's
    /// credential satisfies: API keys, HTTP auth, mutual TLS.
    #[serde(default)]
    pub schemes: Vec<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCoverage {
    /// `100%`, `80%`, or a number of percent: a shortfall fails the check `openapi
    /// coverage`.
    pub min: S<serde_json::Value>,
}
