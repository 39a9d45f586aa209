//! Probe `tokens`: the role's genuine token is accepted on the request (the positive
//! control, run first, no case of its own); every doctored token must be refused with a
//! policy status. The cases are the token mutations of the catalogue in `mutation/`, as a
//! suite lists them, then `fuzz` (random header and claim edits) when asked for. OWASP
//! API2:2023 (broken authentication).

use super::ProbeCase;
use super::case::API2;
use crate::model::{Location, Request, RoleId, Secret};

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
    /// Candidate HMAC keys `weak_secret` tries after its bundled list (`wordlist:`).
    pub wordlist: Wordlist,
    /// Clock skew a verifier may allow past `exp` (`expired` by waiting).
    pub leeway: std::time::Duration,
    /// The suite entry, for the `-->` line of every finding and error of the probe.
    pub location: Location,
}

/// A `wordlist:` file's lines. It may hold an organisation's own leaked keys, so `Debug`
/// shows how many, never which.
#[derive(Clone, Default)]
pub struct Wordlist(pub Vec<String>);

impl std::fmt::Debug for Wordlist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Wordlist({} candidates)", self.0.len())
    }
}

/// One mutation of the catalogue, as a case: its name, rule id and CWE ids.
struct Mutation {
    name: &'static str,
    rule: &'static str,
    cwe: &'static [u16],
}

/// Declares the mutation table and `MUTATIONS`, its names, from one list; each rule id is
/// made from the name.
macro_rules! mutations {
    ($($name:ident: [$($cwe:literal),*],)+) => {
        const TABLE: &[Mutation] = &[$(Mutation {
            name: stringify!($name),
            rule: concat!("tokens.", stringify!($name)),
            cwe: &[$($cwe),*],
        },)+];

        /// The token mutation names a `tokens` probe may list, in report order: the
        /// loader checks suites against them. The catalogue in `mutation/` implements
        /// them, and its test keeps the two equal.
        pub const MUTATIONS: &[&str] = &[$(stringify!($name)),+];
    };
}

// Every mutation of the catalogue in `mutation/` (its files say what each proves), by
// name in report order, with the CWE ids an accepted doctored token is an instance of.
mutations! {
    alg_none: [347],
    signature_stripped: [347],
    signature_corrupted: [347],
    claims_tampered: [345],
    wrong_key: [347],
    key_confusion: [327, 347],
    kid_injection: [22, 89, 347],
    jku_injection: [345, 918],
    x5u_injection: [345, 918],
    embedded_jwk: [347],
    expired: [613],
    not_yet_valid: [613],
    wrong_issuer: [346],
    wrong_audience: [287],
    missing_exp: [613],
    truncated: [287],
    random: [287],
    weak_secret: [521, 798, 347],
}

/// One case of `tokens`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokensCase {
    /// A mutation of the catalogue, by its name.
    Mutation(&'static str),
    /// Random edits of header and claims with the signature kept, stripped or cut.
    Fuzz,
}

impl TokensCase {
    /// The mutation of this name, as a suite may list it.
    pub fn mutation(name: &str) -> Option<Self> {
        Self::entry(name).map(|m| TokensCase::Mutation(m.name))
    }

    fn entry(name: &str) -> Option<&'static Mutation> {
        TABLE.iter().find(|m| m.name == name)
    }

    /// Every mutation case, in report order, then `fuzz`.
    pub fn all() -> impl Iterator<Item = TokensCase> {
        TABLE
            .iter()
            .map(|m| TokensCase::Mutation(m.name))
            .chain([TokensCase::Fuzz])
    }

    /// The case as check names show it: the mutation's name, or `fuzz`.
    pub fn name(self) -> &'static str {
        match self {
            TokensCase::Mutation(name) => name,
            TokensCase::Fuzz => "fuzz",
        }
    }

    pub fn rule(self) -> &'static str {
        match self {
            TokensCase::Mutation(name) => Self::entry(name).map_or("tokens", |m| m.rule),
            TokensCase::Fuzz => "tokens.fuzz",
        }
    }

    pub fn cwe(self) -> &'static [u16] {
        match self {
            TokensCase::Mutation(name) => Self::entry(name).map_or(&[], |m| m.cwe),
            // An accepted edit is a token whose signature no longer matches.
            TokensCase::Fuzz => &[347],
        }
    }

    pub fn owasp(self) -> &'static str {
        API2
    }
}

impl TokensProbe {
    /// The listed mutations in the suite's order (the loader refused unknown names), then
    /// `fuzz` when asked for.
    pub fn cases(&self) -> Vec<ProbeCase> {
        self.mutations
            .iter()
            .filter_map(|m| TokensCase::mutation(m))
            .chain(self.fuzz.map(|_| TokensCase::Fuzz))
            .map(ProbeCase::Tokens)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{MUTATIONS, TABLE, TokensCase};

    #[test]
    fn every_mutation_is_a_case_with_a_cwe_in_its_order() {
        let names: Vec<&str> = TABLE.iter().map(|m| m.name).collect();
        assert_eq!(names, MUTATIONS);
        for m in TABLE {
            assert!(!m.cwe.is_empty(), "{}", m.name);
        }
        assert_eq!(TokensCase::all().last(), Some(TokensCase::Fuzz));
    }
}
