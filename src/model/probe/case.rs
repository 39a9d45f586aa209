//! A probe entry (`Probe`) and one case of it (`ProbeCase`), the value the plan gives each
//! probe check and the engine keys its results by; and `probe_cases!`, which declares a
//! probe's case list with each case's name, rule id, CWE and OWASP item in one line.

use super::{
    EnumerationCase, EnumerationProbe, HeadersCase, HeadersProbe, OAuthCase, OAuthProbe,
    RateLimitCase, RateLimitProbe, TlsCase, TlsProbe, TokensCase, TokensProbe, WebhookCase,
    WebhookProbe,
};

/// One entry of a suite's `probes:`.
#[derive(Clone, Debug)]
pub enum Probe {
    RateLimit(RateLimitProbe),
    Webhooks(WebhookProbe),
    Headers(HeadersProbe),
    Tokens(TokensProbe),
    OAuth(OAuthProbe),
    Tls(TlsProbe),
    Enumeration(EnumerationProbe),
}

/// One case of a probe entry. Where a probe repeats its cases (per request, per URL), the
/// index says which; the entry itself is the check's probe index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProbeCase {
    RateLimit(RateLimitCase),
    Webhooks(WebhookCase),
    /// `request` indexes the probe's `requests`.
    Headers {
        request: usize,
        case: HeadersCase,
    },
    Tokens(TokensCase),
    OAuth(OAuthCase),
    Tls(TlsCase),
    Enumeration(EnumerationCase),
}

impl Probe {
    /// The suite entry it was written at.
    pub fn location(&self) -> &crate::model::Location {
        match self {
            Probe::RateLimit(p) => &p.location,
            Probe::Webhooks(p) => &p.location,
            Probe::Headers(p) => &p.location,
            Probe::Tokens(p) => &p.location,
            Probe::OAuth(p) => &p.location,
            Probe::Tls(p) => &p.location,
            Probe::Enumeration(p) => &p.location,
        }
    }
}

impl ProbeCase {
    /// The case as check names show it (`unsigned_refused`).
    pub fn name(self) -> &'static str {
        match self {
            ProbeCase::RateLimit(c) => c.name(),
            ProbeCase::Webhooks(c) => c.name(),
            ProbeCase::Headers { case, .. } => case.name(),
            ProbeCase::Tokens(c) => c.name(),
            ProbeCase::OAuth(c) => c.name(),
            ProbeCase::Tls(c) => c.name(),
            ProbeCase::Enumeration(c) => c.name(),
        }
    }

    /// The stable rule id, `probe.case` (`headers.nosniff`): what a finding is filed
    /// under in every report, and what a waiver names. Never renamed once released.
    pub fn rule(self) -> &'static str {
        match self {
            ProbeCase::RateLimit(c) => c.rule(),
            ProbeCase::Webhooks(c) => c.rule(),
            ProbeCase::Headers { case, .. } => case.rule(),
            ProbeCase::Tokens(c) => c.rule(),
            ProbeCase::OAuth(c) => c.rule(),
            ProbeCase::Tls(c) => c.rule(),
            ProbeCase::Enumeration(c) => c.rule(),
        }
    }

    /// The CWE ids a failure of this case is an instance of; empty for a positive control.
    pub fn cwe(self) -> &'static [u16] {
        match self {
            ProbeCase::RateLimit(c) => c.cwe(),
            ProbeCase::Webhooks(c) => c.cwe(),
            ProbeCase::Headers { case, .. } => case.cwe(),
            ProbeCase::Tokens(c) => c.cwe(),
            ProbeCase::OAuth(c) => c.cwe(),
            ProbeCase::Tls(c) => c.cwe(),
            ProbeCase::Enumeration(c) => c.cwe(),
        }
    }

    /// The OWASP API Security Top 10 (2023) item, `API8:2023 Security Misconfiguration`.
    pub fn owasp(self) -> &'static str {
        match self {
            ProbeCase::RateLimit(c) => c.owasp(),
            ProbeCase::Webhooks(c) => c.owasp(),
            ProbeCase::Headers { case, .. } => case.owasp(),
            ProbeCase::Tokens(c) => c.owasp(),
            ProbeCase::OAuth(c) => c.owasp(),
            ProbeCase::Tls(c) => c.owasp(),
            ProbeCase::Enumeration(c) => c.owasp(),
        }
    }
}

/// The OWASP API Security Top 10 (2023) items probe cases cite, as reports name them.
pub const API2: &str = "API2:2023 Broken Authentication";
pub const API4: &str = "API4:2023 Unrestricted Resource Consumption";
pub const API5: &str = "API5:2023 Broken Function Level Authorization";
pub const API8: &str = "API8:2023 Security Misconfiguration";
pub const API10: &str = "API10:2023 Unsafe Consumption of APIs";

/// Declares a probe's case enum, one line per case: its name (as check names show it; the
/// rule id is `probe.name`), its CWE ids and its OWASP item. The enum gets `ALL` (report order, which
/// is also the order check ids number the cases in), `name`, `named`, `rule`, `cwe` and
/// `owasp`, so a case is declared once and nothing else lists the cases.
macro_rules! probe_cases {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $probe:literal {
            $(
                $(#[$case_meta:meta])*
                $case:ident = $text:literal, cwe [$($cwe:literal),*], owasp $owasp:ident;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$case_meta])* $case,)+
        }

        impl $name {
            /// Every case, in report order.
            pub const ALL: &'static [$name] = &[$($name::$case),+];

            /// The case as check names show it.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$case => $text,)+
                }
            }

            /// The case of this name, as a suite may list it.
            pub fn named(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.name() == name)
            }

            /// `probe.name`: the stable rule id.
            pub const fn rule(self) -> &'static str {
                match self {
                    $($name::$case => concat!($probe, ".", $text),)+
                }
            }

            pub const fn cwe(self) -> &'static [u16] {
                match self {
                    $($name::$case => &[$($cwe),*],)+
                }
            }

            pub const fn owasp(self) -> &'static str {
                match self {
                    $($name::$case => super::case::$owasp,)+
                }
            }
        }
    };
}

pub(crate) use probe_cases;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TlsCheck;

    /// Every case of every probe, each repeated case once.
    fn every_case() -> Vec<ProbeCase> {
        let mut all: Vec<ProbeCase> = Vec::new();
        all.extend(RateLimitCase::ALL.iter().map(|&c| ProbeCase::RateLimit(c)));
        all.extend(WebhookCase::ALL.iter().map(|&c| ProbeCase::Webhooks(c)));
        all.extend(
            HeadersCase::ALL
                .iter()
                .map(|&case| ProbeCase::Headers { request: 0, case }),
        );
        all.extend(TokensCase::all().map(ProbeCase::Tokens));
        all.extend(OAuthCase::ALL.iter().map(|&c| ProbeCase::OAuth(c)));
        all.extend(
            TlsCheck::ALL
                .iter()
                .map(|&check| ProbeCase::Tls(TlsCase::Url { url: 0, check })),
        );
        all.push(ProbeCase::Tls(TlsCase::PlainHttp));
        all.push(ProbeCase::Tls(TlsCase::ClientCertRequired { url: 0 }));
        all.extend(
            EnumerationCase::ALL
                .iter()
                .map(|&c| ProbeCase::Enumeration(c)),
        );
        all
    }

    fn probe_of(case: ProbeCase) -> &'static str {
        match case {
            ProbeCase::RateLimit(_) => "rate_limit",
            ProbeCase::Webhooks(_) => "webhooks",
            ProbeCase::Headers { .. } => "headers",
            ProbeCase::Tokens(_) => "tokens",
            ProbeCase::OAuth(_) => "oauth",
            ProbeCase::Tls(_) => "tls",
            ProbeCase::Enumeration(_) => "enumeration",
        }
    }

    #[test]
    fn rule_ids_are_unique_and_name_their_probe_and_case() {
        let all = every_case();
        let mut rules: Vec<&str> = all.iter().map(|c| c.rule()).collect();
        for case in &all {
            assert_eq!(
                case.rule(),
                format!("{}.{}", probe_of(*case), case.name()),
                "{case:?}"
            );
        }
        rules.sort();
        let n = rules.len();
        rules.dedup();
        assert_eq!(rules.len(), n, "duplicate rule ids");
        assert!(rules.contains(&"rate_limit.429"));
        assert!(rules.contains(&"tls.plain_http_refused_or_redirected"));
    }

    #[test]
    fn names_are_unique_within_each_probe_and_only_controls_lack_a_cwe() {
        let all = every_case();
        for probe in [
            "rate_limit",
            "webhooks",
            "headers",
            "tokens",
            "oauth",
            "tls",
            "enumeration",
        ] {
            let mut names: Vec<&str> = all
                .iter()
                .filter(|c| probe_of(**c) == probe)
                .map(|c| c.name())
                .collect();
            assert!(!names.is_empty(), "{probe}");
            let n = names.len();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), n, "duplicate case names in {probe}");
        }
        for case in all {
            let control = case == ProbeCase::Webhooks(WebhookCase::ValidSignatureAccepted);
            assert_eq!(case.cwe().is_empty(), control, "{case:?}");
            assert!(
                [API2, API4, API5, API8, API10].contains(&case.owasp()),
                "{case:?}"
            );
        }
    }

    #[test]
    fn cases_are_found_by_the_names_suites_use() {
        for case in every_case() {
            let found = match case {
                ProbeCase::RateLimit(c) => RateLimitCase::named(c.name()).map(ProbeCase::RateLimit),
                ProbeCase::Webhooks(c) => WebhookCase::named(c.name()).map(ProbeCase::Webhooks),
                ProbeCase::Headers { request, case } => {
                    HeadersCase::named(case.name()).map(|case| ProbeCase::Headers { request, case })
                }
                ProbeCase::Tokens(c) => TokensCase::mutation(c.name())
                    .or((c == TokensCase::Fuzz).then_some(TokensCase::Fuzz))
                    .map(ProbeCase::Tokens),
                ProbeCase::OAuth(c) => OAuthCase::named(c.name()).map(ProbeCase::OAuth),
                ProbeCase::Tls(_) => Some(case),
                ProbeCase::Enumeration(c) => {
                    EnumerationCase::named(c.name()).map(ProbeCase::Enumeration)
                }
            };
            assert_eq!(found, Some(case));
        }
        assert_eq!(OAuthCase::named("no_such_check"), None);
        assert_eq!(TokensCase::mutation("fuzz"), None, "fuzz is no mutation");
    }
}
