//! `weak_secret`: an HS256/384/512 token's HMAC key looked up offline in a bundled list of
//! a few thousand well-known secrets (framework and tutorial defaults, then John the
//! Ripper's common passwords) and in the probe's `wordlist:`. Found, the key is no secret:
//! anyone can mint tokens the issuer's verifiers accept. A token with claims edited as in
//! `claims_tampered`, validly signed with the guessed key, is then sent as the role to say
//! whether this API accepts forged tokens. Nothing leaves the machine for the guessing.
//! CWE-521 (weak password requirements), CWE-798 (hard-coded credentials), CWE-347;
//! OWASP API2:2023.

use aws_lc_rs::hmac;

use super::claims_tampered::edited;
use super::{Input, Mutation, Plan, Variant, jwt};

/// One candidate a line; `#!` lines are comments (provenance at the top of the file).
const BUNDLED: &str = include_str!("weak_secrets.txt");

pub struct WeakSecret;

/// The guessed key and the forged tokens signed with it.
pub struct Guess {
    pub key: String,
    /// `HS256`.
    pub alg: String,
    /// Where the key was found: `the bundled list` or `` `wordlist:` ``.
    pub source: &'static str,
    /// Candidates tried until it was found.
    pub tried: usize,
    pub forged: Vec<Variant>,
}

impl Mutation for WeakSecret {
    fn name(&self) -> &'static str {
        "weak_secret"
    }

    fn plan(&self, input: &Input<'_>) -> Plan {
        let jwt = match jwt(input) {
            Ok(j) => j,
            Err(skip) => return skip,
        };
        let alg = jwt.alg().to_string();
        let (verify, sign) = match alg.as_str() {
            "HS256" => (hmac::HMAC_SHA256, jsonwebtoken::Algorithm::HS256),
            "HS384" => (hmac::HMAC_SHA384, jsonwebtoken::Algorithm::HS384),
            "HS512" => (hmac::HMAC_SHA512, jsonwebtoken::Algorithm::HS512),
            other => {
                return Plan::Skip(format!(
                    "the token is signed with {}, not HMAC: there is no shared secret to guess",
                    if other.is_empty() { "no `alg`" } else { other }
                ));
            }
        };
        // What the signature covers, exactly as the issuer encoded it.
        let Some((signing_input, _)) = input.token.rsplit_once('.') else {
            return Plan::Skip("the token is opaque (not a JWT)".into());
        };
        let Some((key, source, tried)) = guess(
            verify,
            signing_input.as_bytes(),
            &jwt.signature,
            input.wordlist,
        ) else {
            return Plan::NotGuessed {
                tried: candidates(input.wordlist).count(),
            };
        };
        let encoding = jsonwebtoken::EncodingKey::from_secret(key.as_bytes());
        let mut forged = Vec::new();
        for (label, t) in edited(jwt) {
            match t.signed(&encoding, sign) {
                Ok(token) => forged.push(Variant {
                    label: format!("{label}, signed with the guessed key"),
                    token,
                }),
                Err(e) => return Plan::Error(format!("cannot sign with the guessed key: {e}")),
            }
        }
        Plan::Guessed(Guess {
            key: key.to_string(),
            alg,
            source,
            tried,
            forged,
        })
    }
}

/// Every candidate, bundled first, each with where it comes from.
fn candidates(wordlist: &[String]) -> impl Iterator<Item = (&str, &'static str)> {
    BUNDLED
        .lines()
        .filter(|l| !l.starts_with("#!") && !l.is_empty())
        .map(|l| (l, "the bundled list"))
        .chain(
            wordlist
                .iter()
                .map(|l| (l.as_str(), "`wordlist:`"))
                .filter(|(l, _)| !l.is_empty()),
        )
}

/// The first candidate whose HMAC of `input` is `signature`, where it comes from, and how
/// many candidates were tried. One pass: the signing input is prepared once.
fn guess<'a>(
    alg: hmac::Algorithm,
    input: &[u8],
    signature: &[u8],
    wordlist: &'a [String],
) -> Option<(&'a str, &'static str, usize)> {
    candidates(wordlist)
        .enumerate()
        .find(|(_, (key, _))| {
            hmac::verify(&hmac::Key::new(alg, key.as_bytes()), input, signature).is_ok()
        })
        .map(|(i, (key, source))| (key, source, i + 1))
}

/// The key as reports show it: at most its first two characters, then `****` (six
/// characters in all); a key of three characters or fewer shows one or none.
pub fn masked(key: &str) -> String {
    let shown = match key.chars().count() {
        0..=1 => 0,
        2..=3 => 1,
        _ => 2,
    };
    let head: String = key.chars().take(shown).collect();
    format!("{head}****")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::Jwt;
    use crate::mutation::Attacker;

    fn hs(alg: jsonwebtoken::Algorithm, key: &str) -> String {
        let claims = serde_json::json!({"sub": "alice", "scope": "read"});
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(alg),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(key.as_bytes()),
        )
        .unwrap()
    }

    fn plan(token: &str, wordlist: &[String]) -> Plan {
        let attacker = Attacker::generate("http://127.0.0.1:9").unwrap();
        let jwt = Jwt::parse(token);
        WeakSecret.plan(&Input {
            token,
            jwt: jwt.as_ref(),
            signing_key: None,
            issuer_keys: &[],
            attacker: &attacker,
            wordlist,
            now: 0,
        })
    }

    #[test]
    fn finds_well_known_keys_of_every_hs_size_and_forges_with_them() {
        use jsonwebtoken::Algorithm::{HS256, HS384, HS512};
        for (alg, key) in [
            (HS256, "secret"),
            (HS384, "your-384-bit-secret"),
            (HS512, "keyboard cat"),
            (HS256, "changeme"),
            (HS256, "letmein"),
        ] {
            let Plan::Guessed(g) = plan(&hs(alg, key), &[]) else {
                panic!("{key} not found")
            };
            assert_eq!(g.key, key);
            assert_eq!(g.source, "the bundled list");
            assert_eq!(g.forged.len(), 2);
            for f in &g.forged {
                let v = jsonwebtoken::Validation::new(alg);
                let mut v = v;
                v.required_spec_claims.clear();
                v.validate_exp = false;
                let ok = jsonwebtoken::decode::<serde_json::Value>(
                    &f.token,
                    &jsonwebtoken::DecodingKey::from_secret(key.as_bytes()),
                    &v,
                );
                assert!(ok.is_ok(), "{}: {ok:?}", f.label);
            }
        }
    }

    #[test]
    fn a_random_key_is_not_found_and_a_wordlist_adds_candidates() {
        let key = "fake-strong-0d9f8a7c6b5e4d3c2b1a0f9e8d7c6b5a";
        let token = hs(jsonwebtoken::Algorithm::HS256, key);
        let Plan::NotGuessed { tried } = plan(&token, &[]) else {
            panic!("a random key was guessed")
        };
        assert!(tried > 3000, "{tried}");
        let list = vec!["not-it".to_string(), key.to_string()];
        let Plan::Guessed(g) = plan(&token, &list) else {
            panic!("the wordlist's key was not found")
        };
        assert_eq!((g.source, g.tried), ("`wordlist:`", tried + 2));
    }

    #[test]
    fn asymmetric_and_opaque_tokens_are_skipped() {
        let rs = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
        let Plan::Skip(why) = plan(rs, &[]) else {
            panic!("RS256 not skipped")
        };
        assert!(why.contains("RS256, not HMAC"), "{why}");
        assert!(matches!(plan("opaque-token", &[]), Plan::Skip(_)));
    }

    #[test]
    fn keys_are_masked_to_six_characters_at_most() {
        for (key, shown) in [
            ("secret", "se****"),
            ("keyboard cat", "ke****"),
            ("abc", "a****"),
            ("a", "****"),
            ("", "****"),
        ] {
            assert_eq!(masked(key), shown);
            assert!(masked(key).chars().count() <= 6);
        }
    }

    #[test]
    fn the_bundled_list_has_thousands_of_distinct_candidates_and_its_provenance() {
        let all: Vec<&str> = candidates(&[]).map(|(k, _)| k).collect();
        assert!(all.len() > 3000, "{}", all.len());
        let mut unique = all.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), all.len(), "duplicates in weak_secrets.txt");
        assert!(BUNDLED.starts_with("#!comment"));
        assert!(BUNDLED.contains("John the Ripper"));
        for well_known in ["your-256-bit-secret", "shhhhh", "jwt_secret", "supersecret"] {
            assert!(all.contains(&well_known), "{well_known}");
        }
    }
}
