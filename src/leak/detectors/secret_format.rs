//! ## What it detects
//! Credentials in well-known formats anywhere in a response (body or header values):
//! AWS access key IDs (`AKIA`/`ASIA` + 16), Stripe live secret and restricted keys
//! (`sk_live_`, `rk_live_`), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
//! `github_pat_`), Slack tokens (`xoxb-`, `xoxp-`, ...) and incoming-webhook URLs, PEM
//! private keys (the `BEGIN … PRIVATE KEY` armour line), and JSON Web Tokens (three
//! base64url segments whose header decodes to JSON with an `alg`).
//!
//! ## Why is this bad?
//! A live credential in a response hands whoever reads it the server's access to a third
//! party (cloud account, payments, source code, chat) or another user's session. Unlike
//! most leaks it is directly exploitable, and it must be revoked, not just hidden.
//!
//! ## Classification
//! CWE-200: Exposure of Sensitive Information to an Unauthorized Actor.
//! OWASP API Security Top 10: API3:2023 Broken Object Property Level Authorization. The
//! usual cause is an object serialized with properties the client must not see (2019's
//! Excessive Data Exposure, merged into API3 in 2023). A key in a debug or config dump is
//! arguably API8:2023; one category per detector keeps reports stable.
//!
//! ## Reported as
//! One leak per format, e.g. `AWS access key ID`. Not reported: Stripe publishable keys
//! (`pk_live_`, public by design) and test-mode keys (`sk_test_`, no access to real
//! money); any value that is, or is part of, one of the run's own secrets
//! (`Response::run_secrets`, reported by the canary detector, and values the suite
//! captures); a JWT a credential exchange hands its caller (a top-level `access_token`,
//! `auth_token`, `accessToken`, `jwt` … of a JSON body; the same field inside a listing is
//! someone else's and is reported); a JWT whose `sub` is that of a JWT among the run's
//! own secrets (the caller's token again, e.g. a refreshed session in a profile; another
//! subject is reported); and JWTs in `Set-Cookie`, where a signed session token is the
//! normal way to hold a session.

use std::sync::LazyLock;

use super::Catalogue;
use super::patterns::Candidates;
use crate::leak::{Detector, Leak, Response};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const SOURCES: &[(&str, &str)] = &[
    ("AWS access key ID", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    (
        "Stripe live secret key",
        r"\b(?:sk|rk)_live_[0-9A-Za-z]{24,247}\b",
    ),
    ("GitHub token", r"\bgh[pousr]_[0-9A-Za-z]{36,251}\b"),
    ("GitHub token", r"\bgithub_pat_[0-9A-Za-z_]{50,244}\b"),
    (
        "Slack token",
        r"\bxox[baprs]-[0-9A-Za-z]{6,}(?:-[0-9A-Za-z]+){1,4}\b",
    ),
    (
        "Slack webhook URL",
        r"https://hooks\.slack\.com/services/T[0-9A-Z]{6,}/B[0-9A-Z]{6,}/[0-9A-Za-z]{20,}",
    ),
    (
        "PEM private key",
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----",
    ),
    (
        JWT_KIND,
        r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*",
    ),
];
const JWT_KIND: &str = "JSON Web Token";

static PATTERNS: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::new(SOURCES));

/// The well-known credential formats as (kind, pattern): the redaction layer masks every
/// match in any output, the run's own or not.
pub fn formats() -> &'static Catalogue {
    &PATTERNS
}

/// Base64url that accepts padding or none and non-zero trailing bits, as JWT libraries do.
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Credentials in well-known formats, in the body or headers.
pub struct SecretFormat;

impl Detector for SecretFormat {
    fn id(&self) -> &'static str {
        "secret_format"
    }

    fn scan(&self, response: &Response<'_>) -> Vec<Leak> {
        let mut texts: Vec<(bool, &str)> = vec![(false, response.body)];
        for (name, value) in response.headers {
            texts.push((name == "set-cookie", value.as_str()));
        }
        // Parsed only when a JWT is found: most bodies hold none.
        let handed_over = std::cell::OnceCell::new();
        // Decoded only when a JWT is found: the run's secrets may be many.
        let own_subjects = std::cell::OnceCell::new();
        let own = |m: &str| {
            subject(m).is_some_and(|sub| {
                own_subjects
                    .get_or_init(|| subjects(response.run_secrets))
                    .contains(&sub)
            })
        };
        // One scan of each text for the literals of every pattern.
        let may: Vec<Candidates> = texts.iter().map(|(_, t)| PATTERNS.candidates(t)).collect();
        let mut found: Vec<(&'static str, &str)> = Vec::new();
        for (i, (kind, _)) in PATTERNS.iter().enumerate() {
            if found.iter().any(|(k, _)| k == kind) {
                continue;
            }
            let is_jwt = *kind == JWT_KIND;
            let hit = texts
                .iter()
                .zip(&may)
                .filter(|((set_cookie, _), may)| !(is_jwt && *set_cookie) && may.has(i))
                .flat_map(|((_, text), _)| {
                    PATTERNS
                        .regex(i)
                        .into_iter()
                        .flat_map(|re| re.find_iter(text))
                        .filter(|m| {
                            !(is_jwt
                                && handed_over
                                    .get_or_init(|| delivered(response.body))
                                    .iter()
                                    .any(|d| d == m.as_str()))
                        })
                        .map(|m| m.as_str())
                })
                .find(|m| {
                    !is_run_secret(m, response.run_secrets)
                        && (!is_jwt || (is_jwt_like(m) && !own(m)))
                });
            if let Some(evidence) = hit {
                found.push((kind, evidence));
            }
        }
        found
            .into_iter()
            .map(|(kind, evidence)| Leak {
                detector: self.id(),
                what: kind.to_string(),
                evidence: evidence.to_string(),
                cwe: 200,
                owasp: "API3:2023 Broken Object Property Level Authorization",
            })
            .collect()
    }
}

/// The tokens a credential exchange hands to its caller: string values of top-level
/// token fields of a JSON body (`{"access_token": "…"}`, `auth_token`, `accessToken`,
/// `jwt`, …). A login or token endpoint handing out the caller's token is doing its job;
/// the same field inside a listing (`{"users": [{"token": "…"}]}`) is other users' token.
fn delivered(body: &str) -> Vec<String> {
    const FIELDS: [&str; 8] = [
        "accesstoken",
        "idtoken",
        "refreshtoken",
        "token",
        "authtoken",
        "jwt",
        "sessiontoken",
        "bearertoken",
    ];
    let Ok(serde_json::Value::Object(top)) = serde_json::from_str::<serde_json::Value>(body) else {
        return Vec::new();
    };
    top.iter()
        .filter(|(k, _)| {
            let k: String = k
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect();
            FIELDS.contains(&k.as_str())
        })
        .filter_map(|(_, v)| v.as_str().map(str::to_string))
        .collect()
}

/// Whether `found` is one of the run's own secrets (or a part of one, e.g. the token in
/// `Bearer <token>`), or contains one.
fn is_run_secret(found: &str, run_secrets: &[String]) -> bool {
    run_secrets
        .iter()
        .filter(|s| s.len() >= 8)
        .any(|s| s.contains(found) || found.contains(s.as_str()))
}

/// The `sub` claim of a JWT.
fn subject(token: &str) -> Option<String> {
    let claims = token.split('.').nth(1)?;
    let bytes = LENIENT_URL_SAFE.decode(claims).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("sub")?.as_str().map(str::to_string)
}

/// The subjects of the JWTs among the run's own secrets (a `Bearer <jwt>` included): a
/// JWT of one of them in a response is the caller's own token again (a refreshed
/// session in a profile), not another user's.
fn subjects(run_secrets: &[String]) -> Vec<String> {
    run_secrets
        .iter()
        .flat_map(|s| s.split_whitespace())
        .filter(|s| s.matches('.').count() == 2 && is_jwt_like(s))
        .filter_map(subject)
        .collect()
}

/// Whether the first segment decodes to a JSON object with an `alg`, as a JWT header does.
fn is_jwt_like(token: &str) -> bool {
    let Some(header) = token.split('.').next() else {
        return false;
    };
    LENIENT_URL_SAFE
        .decode(header)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v.get("alg").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    /// Every value is assembled from harmless parts so no scanner trips on the source.
    fn jwt_with(header: &str, payload: &str, signature: &str) -> String {
        let seg = |s: &str| URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.{}", seg(header), seg(payload), seg(signature))
    }
    fn jwt(header: &str, payload: &str) -> String {
        jwt_with(header, payload, "fake-signature")
    }
    fn fake_jwt() -> String {
        jwt(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"fake-user"}"#)
    }
    fn aws() -> String {
        format!("{}{}", "AKIA", "EXAMPLE0FAKE0KEY")
    }
    fn pem(label: &str) -> String {
        format!("-----BEGIN {label}-----")
    }

    fn scan(headers: &[(&str, &str)], body: &str, run_secrets: &[String]) -> Vec<Leak> {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        SecretFormat.scan(&Response {
            headers: &headers,
            body,
            run_secrets,
            own_hosts: &[],
        })
    }

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(PATTERNS.len(), SOURCES.len());
        assert!(PATTERNS.iter().all(|(_, p)| p.compiles()));
    }

    #[test]
    fn fires_on_real_formats() {
        let fake = "FAKE".repeat(6);
        #[rustfmt::skip]
        let cases: Vec<(&str, String, &str)> = vec![
            ("AWS key in a config dump (Spring actuator)", format!(r#"{{"aws.accessKeyId":"{}"}}"#, aws()), "AWS access key ID"),
            ("AWS STS key", format!("aws_access_key_id={}{}", "ASIA", "FAKE".repeat(4)), "AWS access key ID"),
            ("Stripe live key in a tenant object", format!(r#"{{"stripe_key":"sk_{}_{fake}"}}"#, "live"), "Stripe live secret key"),
            ("Stripe restricted key", format!("rk_{}_{fake}", "live"), "Stripe live secret key"),
            ("GitHub PAT (classic)", format!(r#"{{"token":"ghp_{}"}}"#, "FAKE".repeat(9)), "GitHub token"),
            ("GitHub App installation token", format!("ghs_{}", "0".repeat(36)), "GitHub token"),
            ("GitHub fine-grained PAT", format!("github_pat_{}_{}", "F".repeat(22), "K".repeat(59)), "GitHub token"),
            ("Slack bot token", format!("xoxb-{}-{}-{fake}", "0".repeat(12), "0".repeat(13)), "Slack token"),
            ("Slack webhook", format!("https://hooks.slack.com/services/T{}/B{}/{fake}", "0".repeat(8), "0".repeat(8)), "Slack webhook URL"),
            ("PEM RSA key (OpenSSL)", format!("{}\nMIIEFAKE\n", pem("RSA PRIVATE KEY")), "PEM private key"),
            ("PEM PKCS#8 key in JSON", format!(r#"{{"key":"{}\nMIIEFAKE"}}"#, pem("PRIVATE KEY")), "PEM private key"),
            ("OpenSSH key", pem("OPENSSH PRIVATE KEY"), "PEM private key"),
            ("JWT of another user (Auth0)", format!(r#"{{"users":[{{"id":7,"session":"{}"}}]}}"#, fake_jwt()), JWT_KIND),
            ("unsigned JWT (alg none)", jwt_with(r#"{"alg":"none"}"#, r#"{"sub":"x"}"#, ""), JWT_KIND),
        ];
        for (name, body, what) in &cases {
            let leaks = scan(&[], body, &[]);
            assert_eq!(leaks.len(), 1, "{name}: {leaks:?}");
            assert_eq!(leaks[0].what, *what, "{name}");
            assert!(body.contains(&leaks[0].evidence), "{name}");
        }
    }

    #[test]
    fn fires_in_headers() {
        let key = aws();
        let leaks = scan(&[("x-debug-aws-key", key.as_str())], "{}", &[]);
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].evidence, aws());
    }

    #[test]
    fn quiet_on_look_alikes() {
        let fake = "FAKE".repeat(6);
        #[rustfmt::skip]
        let cases: Vec<(&str, String)> = vec![
            ("Stripe publishable key", format!(r#"{{"publishableKey":"pk_{}_{fake}"}}"#, "live")),
            ("Stripe test key", format!("sk_{}_{fake}", "test")),
            ("AKIA too short", format!("{}{}", "AKIA", "FAKE".repeat(3))),
            ("IAM role ARN", r#"{"role":"arn:aws:iam::123456789012:role/api"}"#.to_string()),
            ("base64 image id", r#"{"image_id":"aGVsbG8td29ybGQtaW1hZ2UtMDAx"}"#.to_string()),
            ("base64 JSON cursor", format!(r#"{{"next":"{}"}}"#, URL_SAFE_NO_PAD.encode(r#"{"page":2}"#))),
            ("token endpoint delivering its JWT", format!(r#"{{"access_token": "{}", "token_type": "Bearer"}}"#, fake_jwt())),
            ("dotted base64 JSON without alg", jwt(r#"{"page":2}"#, r#"{"x":1}"#)),
            ("UUID and SHA", r#"{"id":"3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f","sha":"9fceb02d0ae598e95dc970b74767f19372d61af8"}"#.to_string()),
            ("short ghp_ word", r#"{"prefix":"ghp_","doc":"ghp_ tokens are 40 chars"}"#.to_string()),
            ("public key and cert", format!("{}\n{}", pem("PUBLIC KEY"), pem("CERTIFICATE"))),
        ];
        for (name, body) in &cases {
            let leaks = scan(&[], body, &[]);
            assert!(leaks.is_empty(), "{name}: unexpected {leaks:?}");
        }
    }

    #[test]
    fn skips_run_secrets_and_session_cookies() {
        let token = fake_jwt();
        let body = format!(r#"{{"access_token":"{token}"}}"#);
        assert!(scan(&[], &body, std::slice::from_ref(&token)).is_empty());
        assert!(scan(&[], &body, &[format!("Bearer {token}")]).is_empty());
        let cookie = format!("session={token}; HttpOnly; Secure");
        assert!(scan(&[("set-cookie", cookie.as_str())], "{}", &[]).is_empty());
        // A different token next to the run's own is still reported.
        let other = jwt(r#"{"alg":"RS256"}"#, r#"{"sub":"someone-else"}"#);
        let both = format!("{body} {other}");
        let leaks = scan(&[], &both, &[token]);
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].evidence, other);
    }

    #[test]
    fn a_credential_exchange_delivers_its_top_level_token_and_a_listing_does_not() {
        for field in ["auth_token", "accessToken", "jwt", "id_token", "token"] {
            let body = format!(r#"{{"{field}": "{}"}}"#, fake_jwt());
            assert!(scan(&[], &body, &[]).is_empty(), "{field}");
        }
        let listing = format!(
            r#"{{"users": [{{"name": "bob", "token": "{}"}}]}}"#,
            fake_jwt()
        );
        assert_eq!(scan(&[], &listing, &[]).len(), 1);
        let not_a_token_field = format!(r#"{{"debug": "{}"}}"#, fake_jwt());
        assert_eq!(scan(&[], &not_a_token_field, &[]).len(), 1);
    }

    #[test]
    fn a_jwt_of_the_callers_own_subject_is_not_another_users() {
        let mine = jwt(r#"{"alg":"HS256"}"#, r#"{"sub":"alice","n":1}"#);
        let again = jwt(r#"{"alg":"HS256"}"#, r#"{"sub":"alice","n":2}"#);
        let bobs = jwt(r#"{"alg":"HS256"}"#, r#"{"sub":"bob"}"#);
        let profile = |t: &str| format!(r#"{{"profile": {{"session": "{t}"}}}}"#);
        let run = [format!("Bearer {mine}")];
        assert!(scan(&[], &profile(&again), &run).is_empty());
        assert_eq!(scan(&[], &profile(&bobs), &run).len(), 1);
    }

    #[test]
    fn one_leak_per_format() {
        let (first, second) = (aws(), format!("{}{}", "AKIA", "FAKE".repeat(4)));
        let key = pem("EC PRIVATE KEY");
        let leaks = scan(&[], &format!("{first} {second} {key}"), &[]);
        let found: Vec<&str> = leaks.iter().map(|l| l.evidence.as_str()).collect();
        assert_eq!(found, [first.as_str(), key.as_str()]);
        assert_eq!(leaks[1].what, "PEM private key");
    }
}
