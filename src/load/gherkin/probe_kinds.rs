//! The probes a Gherkin table step can write, and each one's keys: exactly the YAML
//! probe's fields (a test keeps the two equal), with which are required and which take a
//! comma-separated list.

use super::steps::Key;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    RateLimit,
    Webhooks,
    Headers,
    Tokens,
    OAuth,
    Tls,
    Enumeration,
}

#[cfg(test)]
pub const KINDS: [ProbeKind; 7] = [
    ProbeKind::RateLimit,
    ProbeKind::Webhooks,
    ProbeKind::Headers,
    ProbeKind::Tokens,
    ProbeKind::OAuth,
    ProbeKind::Tls,
    ProbeKind::Enumeration,
];

const fn required(name: &'static str) -> Key {
    Key {
        name,
        required: true,
        list: false,
    }
}

const fn optional(name: &'static str) -> Key {
    Key {
        name,
        required: false,
        list: false,
    }
}

const fn list(key: Key) -> Key {
    Key { list: true, ..key }
}

impl ProbeKind {
    /// The key under `probes:` in YAML.
    pub const fn yaml_name(self) -> &'static str {
        match self {
            ProbeKind::RateLimit => "rate_limit",
            ProbeKind::Webhooks => "webhooks",
            ProbeKind::Headers => "headers",
            ProbeKind::Tokens => "tokens",
            ProbeKind::OAuth => "oauth",
            ProbeKind::Tls => "tls",
            ProbeKind::Enumeration => "enumeration",
        }
    }

    /// The YAML probe's keys, in the order the README lists them.
    pub const fn keys(self) -> &'static [Key] {
        match self {
            ProbeKind::RateLimit => RATE_LIMIT,
            ProbeKind::Webhooks => WEBHOOKS,
            ProbeKind::Headers => HEADERS,
            ProbeKind::Tokens => TOKENS,
            ProbeKind::OAuth => OAUTH,
            ProbeKind::Tls => TLS,
            ProbeKind::Enumeration => ENUMERATION,
        }
    }
}

const RATE_LIMIT: &[Key] = &[
    optional("as"),
    required("request"),
    optional("json"),
    optional("form"),
    optional("body"),
    optional("headers"),
    optional("burst"),
    optional("expect_within"),
    optional("retry_after"),
];
const WEBHOOKS: &[Key] = &[
    required("request"),
    required("scheme"),
    required("secret"),
    required("payload"),
    optional("tolerance"),
    optional("header"),
];
const HEADERS: &[Key] = &[required("as"), list(required("requests"))];
const TOKENS: &[Key] = &[
    required("as"),
    required("request"),
    list(optional("mutations")),
    optional("signing_key"),
    optional("max_wait"),
    optional("leeway"),
    optional("fuzz"),
    optional("wordlist"),
];
const OAUTH: &[Key] = &[
    required("server"),
    list(optional("as")),
    optional("max_token_lifetime"),
    list(optional("checks")),
    optional("request"),
];

const TLS: &[Key] = &[
    list(optional("urls")),
    optional("min_version"),
    optional("min_days_to_expiry"),
    optional("min_rsa_bits"),
    optional("hsts_min_age"),
    optional("plain_http"),
    optional("client_cert_required"),
];

const ENUMERATION: &[Key] = &[
    optional("as"),
    required("request"),
    required("unknown"),
    required("wrong_secret"),
    optional("tries"),
    optional("threshold"),
];
