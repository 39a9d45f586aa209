//! Property-based token mutations (`fuzz: N`): proptest generates N random edits of a
//! JWT's header and claims (the genuine signature kept, or stripped or cut). Every such
//! token must be refused, since its signature no longer matches. A token the API accepts
//! is shrunk to the smallest accepted edit and reported with the seed; `--seed` replays
//! the same run. The value-tree API is driven here directly, so each case can await its
//! request.

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

use crate::jose::Jwt;

const HEADER_KEYS: [&str; 6] = ["alg", "kid", "typ", "jku", "crit", "b64"];
const CLAIM_KEYS: [&str; 9] = [
    "sub", "scope", "role", "exp", "nbf", "iat", "aud", "iss", "admin",
];
const TEXTS: [&str; 8] = [
    "none",
    "HS256",
    "admin",
    "",
    "*",
    "../../dev/null",
    "authspec",
    "api:admin",
];

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Header(&'static str, Value),
    Claim(&'static str, Value),
    RemoveClaim(&'static str),
    StripSignature,
    CutSignature(usize),
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        select(TEXTS.to_vec()).prop_map(|s| json!(s)),
        (0i64..4_000_000_000).prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        Just(Value::Null),
        select(TEXTS.to_vec()).prop_map(|s| json!([s])),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (select(HEADER_KEYS.to_vec()), value()).prop_map(|(k, v)| Edit::Header(k, v)),
        (select(CLAIM_KEYS.to_vec()), value()).prop_map(|(k, v)| Edit::Claim(k, v)),
        select(CLAIM_KEYS.to_vec()).prop_map(Edit::RemoveClaim),
        Just(Edit::StripSignature),
        (1usize..16).prop_map(Edit::CutSignature),
    ]
}

pub fn apply(jwt: &Jwt, edits: &[Edit]) -> Jwt {
    let mut t = jwt.clone();
    for e in edits {
        match e {
            Edit::Header(k, v) => {
                t.header.insert((*k).into(), v.clone());
            }
            Edit::Claim(k, v) => {
                t.claims.insert((*k).into(), v.clone());
            }
            Edit::RemoveClaim(k) => {
                t.claims.remove(*k);
            }
            Edit::StripSignature => t.signature.clear(),
            Edit::CutSignature(n) => {
                let keep = t.signature.len().saturating_sub(*n);
                t.signature.truncate(keep);
            }
        }
    }
    t
}

/// Whether an edited token must be refused: anything that changed what was signed, or
/// the signature itself. A no-op edit proves nothing either way.
fn must_refuse(original: &Jwt, edited: &Jwt) -> bool {
    edited.signing_input() != original.signing_input() || edited.signature != original.signature
}

/// What a fuzz run found.
pub struct Finding {
    pub edits: Vec<Edit>,
    pub token: String,
}

/// Runs `cases` random edit lists; `accepted` sends one token and says whether the API
/// took it. Returns the smallest accepted edit list, if any, and the cases tried.
pub async fn run<F, Fut>(
    jwt: &Jwt,
    cases: u32,
    seed: u64,
    mut accepted: F,
) -> (Option<Finding>, u32)
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = proptest::collection::vec(edit(), 1..4);
    for case in 0..cases {
        let Ok(mut tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let mut test = async |edits: &[Edit]| {
            let t = apply(jwt, edits);
            must_refuse(jwt, &t) && accepted(t.encode()).await
        };
        if !test(&tree.current()).await {
            continue;
        }
        // Shrink: keep every simplification the API still accepts.
        let mut smallest = tree.current();
        while tree.simplify() {
            if test(&tree.current()).await {
                smallest = tree.current();
            } else if !tree.complicate() {
                break;
            }
        }
        let token = apply(jwt, &smallest).encode();
        return (
            Some(Finding {
                edits: smallest,
                token,
            }),
            case + 1,
        );
    }
    (None, cases)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt() -> Jwt {
        let token = jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &json!({"sub": "u1", "exp": 4_000_000_000u64}),
            &jsonwebtoken::EncodingKey::from_secret(b"fake-fuzz-key"),
        )
        .unwrap();
        Jwt::parse(&token).unwrap()
    }

    #[tokio::test]
    async fn a_strict_verifier_gives_no_finding() {
        let key = jsonwebtoken::DecodingKey::from_secret(b"fake-fuzz-key");
        let (found, tried) = run(&jwt(), 64, 7, |t| {
            let ok = jsonwebtoken::decode::<Value>(&t, &key, &jsonwebtoken::Validation::default())
                .is_ok();
            async move { ok }
        })
        .await;
        assert!(found.is_none());
        assert_eq!(tried, 64);
    }

    #[tokio::test]
    async fn an_api_that_ignores_the_signature_is_shrunk_to_one_edit_and_replays_by_seed() {
        // Accepts anything whose claims still have a `sub`: signatures are not checked.
        let lax = |t: String| {
            let ok = Jwt::parse(&t).is_some_and(|j| j.claims.contains_key("sub"));
            async move { ok }
        };
        let (a, _) = run(&jwt(), 64, 42, lax).await;
        let (b, _) = run(&jwt(), 64, 42, lax).await;
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.edits.len(), 1, "shrunk to one edit: {:?}", a.edits);
        assert_eq!(a.edits, b.edits, "the same seed finds the same edit");
    }
}
