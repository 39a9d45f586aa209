//! Raw suites, syntax-neutral: what a suite says before validation, with the position of
//! every value an error may point at. The YAML front end deserializes them, the Gherkin
//! front end builds them from step tables; `lower` turns them into the model.

mod login;
mod openapi;
mod probes;
mod schema;
mod span;
mod suite;
mod upstream;

pub use login::{RawLoginRole, RawTokenFrom, RawTokenPlace};
pub use openapi::RawOpenApi;
pub use probes::{
    RawEnumeration, RawHeaders, RawOAuthProbe, RawProbe, RawRateLimit, RawTlsProbe, RawTokens,
    RawVariant, RawWebhooks,
};
pub use schema::suite_schema;
pub use span::{OneOrMany, Pos, S, SpannedMap};
pub use suite::{
    RawAccess, RawAuthServer, RawBasic, RawClientCert, RawConfig, RawExpect, RawKeyQuality,
    RawLeakage, RawLog, RawOAuth2, RawPolicy, RawRequestParts, RawRole, RawScenario, RawSecret,
    RawSetupStep, RawStep, RawSuite, RawTarget, RawTargetMap, RawTls,
};
pub use upstream::{
    RawCount, RawFault, RawFaultAnswer, RawRange, RawRoute, RawSut, RawUpstream, RawUpstreamExpect,
};
