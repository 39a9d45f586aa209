//! Probes: one suite entry that expands into several checks, one per case, run as one
//! unit because later cases depend on earlier ones (a positive control). Each probe's file
//! holds its model and its typed case list: what each case proves, its rule id, CWE and
//! OWASP item.

mod case;
mod enumeration;
mod headers;
mod oauth;
mod rate_limit;
mod tls;
mod tokens;
mod webhooks;

pub use case::{Probe, ProbeCase};
pub use enumeration::{EnumerationCase, EnumerationProbe};
pub use headers::{HeadersCase, HeadersProbe};
pub use oauth::{OAUTH_CHECKS, OAuthCase, OAuthProbe};
pub use rate_limit::{RateLimitCase, RateLimitProbe};
pub use tls::{TlsCase, TlsCheck, TlsProbe, TlsVersion, host_port};
pub use tokens::{MUTATIONS, TokensCase, TokensProbe, Wordlist};
pub use webhooks::{WebhookCase, WebhookProbe, WebhookScheme};
