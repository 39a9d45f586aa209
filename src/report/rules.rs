//! What each rule proves and how to fix a finding of it, for the reports that describe
//! rules (SARIF's `rules`, the HTML page): one entry per fixed rule id, per leak detector,
//! and per probe family (`tokens.*`, `tls.*`, …), whose cases share their advice. Each
//! points at the README section that explains it.

/// The words about one rule id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleText {
    /// `AccessDeny`: SARIF's `name`.
    pub name: String,
    /// One line: what a finding means.
    pub short: String,
    /// What the rule proves, then how to fix a finding of it.
    pub full: String,
    /// The README section (its GitHub anchor) that explains it.
    pub anchor: &'static str,
}

struct Entry {
    id: &'static str,
    short: &'static str,
    proves: &'static str,
    fix: &'static str,
    anchor: &'static str,
}

const SUITE: &str = "a-suite";
const CONTROLS: &str = "positive-controls-no-vacuous-denies";
const LEAKS: &str = "leaks-logs-and-probes";
const TRANSPORT: &str = "transport-security";
const UPSTREAMS: &str = "stub-upstreams-and-the-system-under-test";

const FIXED: &[Entry] = &[
    Entry {
        id: "openapi.coverage",
        short: "Operations of the OpenAPI document that no check touched, below the suite's minimum.",
        proves: "Every operation the API publishes must be exercised by a check (the spec's own cells or the suite's), as `coverage.min` demands.",
        fix: "Add the missing parameters or examples so the spec's requests can be built, cover excluded operations with a scenario, or remove dead operations from the document.",
        anchor: "openapi-access-matrix-and-coverage",
    },
    Entry {
        id: "access.allow",
        short: "A call the policy allows was not answered with a 2xx.",
        proves: "The role may make this call by the suite's access matrix; the API refused or failed it.",
        fix: "Grant the role the access the policy gives it, or correct the suite's matrix if the policy changed.",
        anchor: SUITE,
    },
    Entry {
        id: "access.deny",
        short: "A call the policy denies was not refused (broken authorization).",
        proves: "The role must be refused (401/403) on this call, and a positive control proved its credentials work; the API answered it anyway.",
        fix: "Enforce the authorization check for this endpoint and role on the server (object- and function-level), and return 401 or 403.",
        anchor: SUITE,
    },
    Entry {
        id: "access.vacuous_deny",
        short: "A refusal that proves nothing: the role was never shown to authenticate.",
        proves: "A deny only counts when the same role has a proven allow.",
        fix: "Give the role an allowed call that succeeds, or fix its credentials.",
        anchor: CONTROLS,
    },
    Entry {
        id: "scenario.expectation",
        short: "A scenario step did not meet its expectations.",
        proves: "The step's status, header, body or JSON expectations describe what the API must answer.",
        fix: "Make the API answer as the step expects, or correct the step if the expectation is wrong.",
        anchor: SUITE,
    },
    Entry {
        id: "log.no_secrets",
        short: "The service's log holds a credential of the run.",
        proves: "No credential or token the run used may appear in the service's own log, in any encoding.",
        fix: "Stop logging request headers, bodies or tokens; mask credentials before they reach the logger.",
        anchor: LEAKS,
    },
    Entry {
        id: "log.records",
        short: "The service's log does not record failed authentications.",
        proves: "Failed authentications must leave an audit line in the service's log.",
        fix: "Log every refused authentication (without the credential) so attacks can be detected.",
        anchor: LEAKS,
    },
    Entry {
        id: "upstream.tls_breach",
        short: "The system under test accepted an upstream it must refuse.",
        proves: "The integration must refuse an upstream with a bad certificate (expired, wrong host, untrusted CA) or plain HTTP.",
        fix: "Turn certificate and hostname verification on in the HTTP client the integration uses, and require HTTPS.",
        anchor: UPSTREAMS,
    },
    Entry {
        id: "upstream.expectation",
        short: "What a stub upstream received did not match the step's expectations.",
        proves: "The step's `upstream:` expectations describe what the integration must send to the upstream.",
        fix: "Send the upstream what it expects (credentials in headers, the right body), or correct the step.",
        anchor: UPSTREAMS,
    },
    Entry {
        id: "leak.stack_trace",
        short: "A response shows a stack trace.",
        proves: "Error responses must not disclose internals; a stack trace names code, versions and paths.",
        fix: "Return a generic error body in production and log the trace on the server instead.",
        anchor: LEAKS,
    },
    Entry {
        id: "leak.database_error",
        short: "A response shows a database error.",
        proves: "SQL errors disclose the schema and often an injection point.",
        fix: "Catch database errors and answer with a generic error; use parameterised queries.",
        anchor: LEAKS,
    },
    Entry {
        id: "leak.file_path",
        short: "A response shows a server file path.",
        proves: "File paths disclose the server's layout and software.",
        fix: "Do not echo paths in errors or bodies; answer with a generic error.",
        anchor: LEAKS,
    },
    Entry {
        id: "leak.internal_address",
        short: "A response shows an internal network address.",
        proves: "Private addresses disclose the internal network to a caller.",
        fix: "Remove internal hosts and addresses from responses and redirects.",
        anchor: LEAKS,
    },
    Entry {
        id: "leak.version_banner",
        short: "The server discloses its software version.",
        proves: "A version banner tells an attacker which known vulnerabilities to try; it is a property of the whole server.",
        fix: "Remove or blank `Server`, `X-Powered-By` and similar headers and body banners.",
        anchor: LEAKS,
    },
    Entry {
        id: "leak.secret_format",
        short: "A response holds a credential in a well-known format.",
        proves: "Keys and tokens in well-known formats (cloud keys, private keys, JWTs of others) must not appear in responses.",
        fix: "Remove the credential from the response and rotate it: it has been exposed.",
        anchor: LEAKS,
    },
    Entry {
        id: "leak.secret_canary",
        short: "A response holds a credential of the run.",
        proves: "No secret the run used (or an upstream handed over) may come back in a response, in any encoding.",
        fix: "Stop echoing credentials, upstream answers or configuration in responses; rotate the exposed value.",
        anchor: LEAKS,
    },
];

/// Probe families: the part of the rule id before the dot.
const FAMILIES: &[Entry] = &[
    Entry {
        id: "tokens",
        short: "A doctored token was not refused.",
        proves: "Every mutation of a genuine token (alg none, stripped or wrong signature, edited claims, wrong issuer or audience, key confusion, kid/jku/x5u injection, expiry) must be refused with 401 where the genuine token is accepted.",
        fix: "Verify the token's signature with the expected algorithm and key, and check exp, nbf, iss and aud on every request; never trust header-supplied keys.",
        anchor: LEAKS,
    },
    Entry {
        id: "tls",
        short: "The transport is weaker than the policy.",
        proves: "The API must be served over HTTPS only, TLS 1.2 or later, with a valid chain for its host, an expiry horizon, HSTS, and plain HTTP refused or redirected.",
        fix: "Fix the server's TLS configuration (protocols, certificate, HSTS) and refuse or redirect plain HTTP.",
        anchor: TRANSPORT,
    },
    Entry {
        id: "webhooks",
        short: "A forged, unsigned, stale or replayed webhook was accepted.",
        proves: "A webhook receiver must verify the delivery's signature, its timestamp and that it was not seen before.",
        fix: "Verify the scheme's signature over the raw body with the shared secret, reject old timestamps, and remember delivery ids.",
        anchor: LEAKS,
    },
    Entry {
        id: "oauth",
        short: "The authorization server is laxer than OAuth requires.",
        proves: "Client credentials, refresh, PKCE, redirect URIs, introspection and revocation must behave as the OAuth specifications require.",
        fix: "Configure the authorization server to require PKCE, exact redirect URIs, scope limits and one-time refresh tokens, and honour revocation.",
        anchor: LEAKS,
    },
    Entry {
        id: "headers",
        short: "A response lacks a required security header.",
        proves: "Responses must carry the hardening headers the policy names, with safe values.",
        fix: "Add the header (for example `Strict-Transport-Security`, `Cache-Control: no-store`, `X-Content-Type-Options: nosniff`) in the server or its proxy.",
        anchor: LEAKS,
    },
    Entry {
        id: "rate_limit",
        short: "A burst of requests was not rate limited.",
        proves: "A burst must be answered with 429 and Retry-After before it goes too far.",
        fix: "Put a rate limiter in front of the endpoint that answers 429 with Retry-After.",
        anchor: LEAKS,
    },
];

const OTHER: Entry = Entry {
    id: "",
    short: "A security expectation of the suite does not hold.",
    proves: "The suite describes what the API must guarantee.",
    fix: "Read the finding's evidence and make the API meet the expectation.",
    anchor: SUITE,
};

/// The words for `rule` (`access.deny`, `tokens.alg_none`, `leak.<detector>`).
pub fn text(rule: &str) -> RuleText {
    let family = rule.split_once('.').map_or(rule, |(f, _)| f);
    let (entry, case) = match FIXED.iter().find(|e| e.id == rule) {
        Some(e) => (e, None),
        None => match FAMILIES.iter().find(|e| e.id == family) {
            Some(e) => (e, rule.split_once('.').map(|(_, c)| c)),
            None => (&OTHER, None),
        },
    };
    let short = match case {
        Some(case) => format!("{} (case `{case}`)", entry.short),
        None => entry.short.to_string(),
    };
    RuleText {
        name: pascal(rule),
        short,
        full: format!("{} How to fix: {}", entry.proves, entry.fix),
        anchor: entry.anchor,
    }
}

/// `tokens.alg_none` → `TokensAlgNone`.
fn pascal(id: &str) -> String {
    id.split(['.', '_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rules_families_and_unknown_ids_all_have_words() {
        let deny = text("access.deny");
        assert_eq!(deny.name, "AccessDeny");
        assert!(deny.full.contains("How to fix:"));
        let case = text("tokens.alg_none");
        assert_eq!(case.name, "TokensAlgNone");
        assert!(case.short.contains("`alg_none`"), "{}", case.short);
        assert_eq!(text("tls.min_version").anchor, TRANSPORT);
        assert_eq!(text("no.such").short, OTHER.short);
        for e in FIXED.iter().chain(FAMILIES) {
            assert!(!e.short.is_empty() && !e.proves.is_empty() && !e.fix.is_empty());
        }
    }

    /// Every rule the engine's own checks file findings under has its own words.
    #[test]
    fn every_fixed_rule_is_described() {
        use crate::results::rule::*;
        for r in [
            ACCESS_ALLOW,
            ACCESS_DENY,
            ACCESS_VACUOUS_DENY,
            SCENARIO_EXPECTATION,
            LOG_NO_SECRETS,
            LOG_RECORDS,
            UPSTREAM_TLS_BREACH,
            UPSTREAM_EXPECTATION,
            OPENAPI_COVERAGE,
        ] {
            assert!(FIXED.iter().any(|e| e.id == r.id), "{}", r.id);
        }
    }

    /// Every detector of the catalogue (and the canary) has its own words.
    #[test]
    fn every_leak_detector_is_described() {
        for id in crate::model::DETECTOR_IDS {
            let rule = format!("leak.{id}");
            assert!(FIXED.iter().any(|e| e.id == rule), "{rule}");
        }
    }
}
