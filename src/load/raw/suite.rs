//! Raw suites and `authspec.yaml` configs: what the file says, before validation, with a
//! position on every value a later error may point at. Unknown fields are rejected.

use schemars::JsonSchema;
use serde::Deserialize;

use super::probes::RawProbe;
use super::span::{OneOrMany, S, SpannedMap};
use super::upstream::{RawSut, RawUpstream, RawUpstreamExpect};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSuite {
    pub suite: S<String>,
    /// Optional when an `authspec.yaml` config provides it.
    pub target: Option<S<RawTarget>>,
    /// Optional when an `authspec.yaml` config provides them.
    pub roles: Option<SpannedMap<RawRole>>,
    pub auth_servers: Option<SpannedMap<RawAuthServer>>,
    #[serde(default)]
    pub policy: Option<RawPolicy>,
    pub leakage: Option<S<RawLeakage>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub access: Vec<RawAccess>,
    #[serde(default)]
    pub scenarios: Vec<RawScenario>,
    #[serde(default)]
    pub probes: Vec<RawProbe>,
    #[serde(default)]
    pub logs: Vec<RawLog>,
    pub upstreams: Option<SpannedMap<RawUpstream>>,
    pub sut: Option<S<RawSut>>,
    /// Secrets printed by a command (`vault`, `aws`, `op`, …), as `${secret:NAME}`.
    pub secrets: Option<SpannedMap<RawSecret>>,
    /// Requests run once before any check; what they capture every check may use.
    #[serde(default)]
    pub setup: Vec<RawSetupStep>,
    /// A skipped case fails the run, as `--fail-on-skip` makes every suite's.
    pub fail_on_skip: Option<S<bool>>,
    /// An OpenAPI document whose security requirements become access cells, and the
    /// coverage of its operations.
    pub openapi: Option<S<super::openapi::RawOpenApi>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSecret {
    /// `[program, arg, …]`: no shell runs it.
    pub command: S<OneOrMany<String>>,
    /// Seconds, or `10s`, `2m`.
    pub timeout: Option<S<serde_json::Value>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLog {
    pub path: S<String>,
    /// `secrets`: no credential of the run may appear.
    pub must_not_contain: Option<S<String>>,
    pub must_record: Option<Vec<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawKeyQuality {
    pub path: S<String>,
    pub min_length: Option<usize>,
    pub min_entropy_bits: Option<f64>,
}

/// `authspec.yaml`: the target, roles and policy that features and YAML suites of its
/// directory tree share.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub target: Option<S<RawTarget>>,
    #[serde(default)]
    pub roles: SpannedMap<RawRole>,
    pub auth_servers: Option<SpannedMap<RawAuthServer>>,
    #[serde(default)]
    pub policy: Option<RawPolicy>,
    pub leakage: Option<S<RawLeakage>>,
    pub secrets: Option<SpannedMap<RawSecret>>,
    /// Run once before the checks of every suite that uses this config.
    #[serde(default)]
    pub setup: Vec<RawSetupStep>,
    pub fail_on_skip: Option<S<bool>>,
    /// Stub upstreams, for the features (and the YAML suites without their own) of its
    /// tree.
    pub upstreams: Option<SpannedMap<RawUpstream>>,
    /// The system under test, started against the upstreams, as in a suite.
    pub sut: Option<S<RawSut>>,
}

/// `target: demo`, or `target: { base_url: … }`.
pub enum RawTarget {
    Named(String),
    Url(RawTargetMap),
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTargetMap {
    pub base_url: S<String>,
    pub tls: Option<Box<S<RawTls>>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTls {
    pub ca_file: Option<S<String>>,
    pub verify: Option<S<bool>>,
    /// Presented by every request of the suite (mTLS).
    pub client_cert: Option<S<RawClientCert>>,
}

/// A client certificate: `cert` + `key` (PEM), or `pkcs12` + `password`.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawClientCert {
    /// PEM certificates, leaf first (`${file:certs/admin.crt}`).
    pub cert: Option<S<String>>,
    /// The PEM private key (PKCS#8, PKCS#1 or SEC1): a reference.
    pub key: Option<S<String>>,
    /// A PKCS#12 file (`${file:certs/admin.p12}`), or its base64 (`${env:ADMIN_P12}`).
    pub pkcs12: Option<S<String>>,
    /// The PKCS#12 password: a reference; none when absent.
    pub password: Option<S<String>>,
}

#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub bearer: Option<S<String>>,
    pub api_key: Option<RawApiKey>,
    pub basic: Option<S<RawBasic>>,
    pub oauth2: Option<RawOAuth2>,
    /// A token by logging in: `{ request, json|form|body, token, send }`.
    pub login: Option<S<super::login::RawLoginRole>>,
    pub proof: Option<S<String>>,
    /// Presented in the TLS handshakes of the role's requests (mTLS).
    pub client_cert: Option<S<RawClientCert>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuthServer {
    pub issuer: Option<S<String>>,
    pub token_endpoint: Option<S<String>>,
    pub jwks_uri: Option<S<String>>,
    pub authorization_endpoint: Option<S<String>>,
    pub introspection_endpoint: Option<S<String>>,
    pub revocation_endpoint: Option<S<String>>,
    pub client_id: S<String>,
    pub client_secret: Option<S<String>>,
    /// `client_secret_basic` (default) or `client_secret_post`.
    pub client_auth: Option<S<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOAuth2 {
    pub server: S<String>,
    pub grant: S<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    pub resource: Option<S<String>>,
    pub audience: Option<S<String>>,
    pub redirect_uri: Option<S<String>>,
    pub login: Option<RawLogin>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLogin {
    pub fields: SpannedMap<S<String>>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawApiKey {
    pub header: Option<S<String>>,
    pub query: Option<S<String>>,
    pub value: S<String>,
}

/// HTTP Basic (RFC 7617): a user name (a reference or not) and a password reference.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBasic {
    pub username: S<String>,
    pub password: S<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub deny_status: Option<Vec<S<u16>>>,
}

/// The request fields shared by access entries, scenarios and steps.
pub struct RawRequestParts<'a> {
    pub request: &'a S<String>,
    pub json: Option<&'a serde_json::Value>,
    pub form: Option<&'a SpannedMap<String>>,
    pub body: Option<&'a String>,
    pub headers: Option<&'a SpannedMap<String>>,
    pub query: Option<&'a SpannedMap<String>>,
}

macro_rules! request_parts {
    ($t:ty) => {
        impl $t {
            pub fn parts<'a>(&'a self, request: &'a S<String>) -> RawRequestParts<'a> {
                RawRequestParts {
                    request,
                    json: self.json.as_ref(),
                    form: self.form.as_ref(),
                    body: self.body.as_ref(),
                    headers: self.headers.as_ref(),
                    query: self.query.as_ref(),
                }
            }
        }
    };
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAccess {
    pub request: S<String>,
    pub json: Option<serde_json::Value>,
    pub form: Option<SpannedMap<String>>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    pub query: Option<SpannedMap<String>>,
    #[serde(default)]
    pub allow: Vec<S<String>>,
    #[serde(default)]
    pub deny: Vec<S<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
}
request_parts!(RawAccess);

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: S<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub steps: Option<Vec<RawStep>>,
    #[serde(rename = "as")]
    pub as_role: Option<S<String>>,
    pub request: Option<S<String>>,
    pub json: Option<serde_json::Value>,
    pub form: Option<SpannedMap<String>>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    pub query: Option<SpannedMap<String>>,
    pub expect: Option<RawExpect>,
    pub capture: Option<SpannedMap<String>>,
    /// Upstream name to the certificate it presents during this scenario.
    pub upstream_tls: Option<SpannedMap<S<String>>>,
    /// Upstream name to how it misbehaves during this scenario.
    pub upstream_faults: Option<SpannedMap<super::upstream::RawFault>>,
}
request_parts!(RawScenario);

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    #[serde(rename = "as")]
    pub as_role: S<String>,
    pub request: S<String>,
    pub json: Option<serde_json::Value>,
    pub form: Option<SpannedMap<String>>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    pub query: Option<SpannedMap<String>>,
    pub expect: Option<RawExpect>,
    pub capture: Option<SpannedMap<String>>,
}
request_parts!(RawStep);

/// A `setup:` request: a scenario step whose `as:` is optional (no credential).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSetupStep {
    #[serde(rename = "as")]
    pub as_role: Option<S<String>>,
    pub request: S<String>,
    pub json: Option<serde_json::Value>,
    pub form: Option<SpannedMap<String>>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    pub query: Option<SpannedMap<String>>,
    pub expect: Option<RawExpect>,
    pub capture: Option<SpannedMap<String>>,
}
request_parts!(RawSetupStep);

#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExpect {
    /// `allow` or `deny`: access-matrix semantics for this step.
    pub access: Option<S<String>>,
    pub status: Option<S<OneOrMany<u16>>>,
    pub json: Option<SpannedMap<serde_json::Value>>,
    pub body_contains: Option<S<OneOrMany<String>>>,
    pub body_not_contains: Option<S<OneOrMany<String>>>,
    /// Header name to expected value; `null` means the header must be absent.
    pub headers: Option<SpannedMap<Option<String>>>,
    pub json_key_quality: Option<RawKeyQuality>,
    pub upstream: Option<SpannedMap<RawUpstreamExpect>>,
    /// The response must arrive within this long (`5s`, `500ms`).
    pub within: Option<S<serde_json::Value>>,
}

/// `leakage: off` (or `on`), or `leakage: { ignore: [detector, …] }`.
pub enum RawLeakage {
    Switch(String),
    Ignore(Vec<S<String>>),
}
