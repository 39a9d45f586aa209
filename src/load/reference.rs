//! Secret references (`${env:NAME}`, `${file:PATH}`, `${secret:NAME}`, `${demo:NAME}`,
//! `${random:NAME}`) and their resolution. Credential fields accept references only, so no
//! secret is ever written into a suite; any other value may hold references among its
//! text, and `$${` writes a literal `${`. Whatever looks like a reference and does not
//! resolve is an error: nothing is ever sent with a `${…}` left in it.

use std::path::Path;
use std::sync::Arc;

use super::reference_syntax::{Piece, parse_inner, pieces};
pub use super::reference_syntax::{
    Reference, ReferenceError, WIDE_CLOSE, WIDE_OPEN, mentions_reference, parse_whole,
};
use super::secret_command::{SecretCommand, SecretRuns};

/// What `validate` stands in for an unset variable with (then a number): shaped like a URL,
/// since `base_url` must parse. A value holding it is not checked further (a key or a
/// certificate cannot be).
pub const UNSET_ENV: &str = "https://unset.invalid/";

/// Where environment variables come from (the process, or a map in tests).
pub trait Env: Send + Sync {
    fn var(&self, name: &str) -> Option<String>;

    /// Variables that are not in the process environment but should be in a secret
    /// command's (an `--env-file`'s `VAULT_ADDR`).
    fn extra(&self) -> Vec<(String, String)> {
        Vec::new()
    }
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Env for Vec<(String, String)> {
    fn var(&self, name: &str) -> Option<String> {
        self.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }
}

/// What references resolve against.
pub struct LoadContext {
    pub env: Arc<dyn Env>,
    /// The demo target's credentials, by the names `${demo:NAME}` uses.
    pub demo: Vec<(&'static str, String)>,
    /// `${random:NAME}` values made so far: one fresh secret per name and run.
    pub random: std::sync::Mutex<Vec<(String, String)>>,
    /// What each `secrets:` command printed (or why it failed): each runs once per run.
    pub secret_runs: SecretRuns,
}

impl LoadContext {
    pub fn process(demo: Vec<(&'static str, String)>) -> Self {
        Self::new(Arc::new(ProcessEnv), demo)
    }

    /// The process environment, and under it `--env-file FILE` when one is given.
    pub fn process_with(
        demo: Vec<(&'static str, String)>,
        env_file: Option<&Path>,
    ) -> Result<Self, String> {
        Ok(match env_file {
            None => Self::process(demo),
            Some(path) => Self::new(Arc::new(super::env_file::WithEnvFile::read(path)?), demo),
        })
    }

    pub fn new(env: Arc<dyn Env>, demo: Vec<(&'static str, String)>) -> Self {
        Self {
            env,
            demo,
            random: std::sync::Mutex::new(Vec::new()),
            secret_runs: SecretRuns::default(),
        }
    }

    /// The run's value for `${random:NAME}`: 32 random bytes, base64url, made on first use.
    fn random(&self, name: &str) -> Result<String, ReferenceError> {
        let mut made = self.random.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, v)) = made.iter().find(|(k, _)| k == name) {
            return Ok(v.clone());
        }
        let mut bytes = [0u8; 32];
        // Fail closed: never a predictable "random" secret.
        aws_lc_rs::rand::fill(&mut bytes).map_err(|_| ReferenceError::NoRandomness)?;
        use base64::Engine;
        let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        made.push((name.to_string(), value.clone()));
        Ok(value)
    }
}

impl LoadContext {
    /// The value of `reference`; `${file:…}` is relative to `base_dir`, and
    /// `${secret:NAME}` runs the command `secrets` defines for NAME (once per run).
    pub fn resolve(
        &self,
        reference: &Reference<'_>,
        base_dir: &Path,
        secrets: &[SecretCommand],
    ) -> Result<String, ReferenceError> {
        match reference {
            Reference::Env(name) => self
                .env
                .var(name)
                .ok_or_else(|| ReferenceError::MissingEnv((*name).to_string())),
            Reference::File(path) => {
                let full = base_dir.join(path);
                super::files::read_bounded(&full, 64 * 1024)
                    .map(|s| s.trim_end_matches(['\r', '\n']).to_string())
                    .map_err(|e| ReferenceError::File {
                        path: full.display().to_string(),
                        reason: e.to_string(),
                    })
            }
            Reference::Demo(name) => self
                .demo
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| ReferenceError::UnknownDemo((*name).to_string())),
            Reference::Random(name) => self.random(name),
            Reference::Secret(name) => match secrets.iter().find(|s| s.name == *name) {
                Some(command) => self.secret_runs.value(command, &self.env.extra()),
                None => Err(ReferenceError::UnknownSecret {
                    name: (*name).to_string(),
                    known: secrets.iter().map(|s| s.name.clone()).collect(),
                }),
            },
        }
    }

    /// Every reference inside `value` that resolves, as written (`${env:NAME}`, for a
    /// message that must name it and not show its value), with its value.
    pub fn resolved_each(
        &self,
        value: &str,
        base_dir: &Path,
        secrets: &[SecretCommand],
    ) -> Vec<(String, String)> {
        let Ok(pieces) = pieces(value) else {
            return Vec::new();
        };
        pieces
            .into_iter()
            .filter_map(|p| match p {
                Piece::Ref(inner) => parse_inner(inner)
                    .and_then(|r| self.resolve(&r, base_dir, secrets))
                    .ok()
                    .map(|v| (format!("${{{inner}}}"), v)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    /// `value` with every reference replaced by its value (and `$${` by `${`).
    pub fn interpolate(
        &self,
        value: &str,
        base_dir: &Path,
        secrets: &[SecretCommand],
    ) -> Result<String, ReferenceError> {
        self.interpolate_with(value, base_dir, secrets, &|v| v)
    }

    /// Like `interpolate`, each resolved value passed through `encode` (a path's
    /// percent-encoding) before it takes its place.
    pub fn interpolate_with(
        &self,
        value: &str,
        base_dir: &Path,
        secrets: &[SecretCommand],
        encode: &dyn Fn(String) -> String,
    ) -> Result<String, ReferenceError> {
        let mut out = String::with_capacity(value.len());
        for piece in pieces(value)? {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Ref(inner) => {
                    let resolved = self.resolve(&parse_inner(inner)?, base_dir, secrets)?;
                    out.push_str(&encode(resolved));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> LoadContext {
        LoadContext::new(
            Arc::new(vec![("HOST".to_string(), "127.0.0.1:9".to_string())]),
            vec![("reader_token", "fake-demo".to_string())],
        )
    }

    #[test]
    fn random_references_are_one_fresh_value_per_name() {
        let c = ctx();
        let dir = Path::new(".");
        let a = c.resolve(&Reference::Random("key"), dir, &[]).unwrap();
        assert_eq!(a.len(), 43);
        assert_eq!(c.resolve(&Reference::Random("key"), dir, &[]).unwrap(), a);
        assert_ne!(c.resolve(&Reference::Random("other"), dir, &[]).unwrap(), a);
        assert_ne!(
            ctx().resolve(&Reference::Random("key"), dir, &[]).unwrap(),
            a
        );
        assert_eq!(
            parse_whole("${random:key}"),
            Some(Ok(Reference::Random("key")))
        );
    }

    #[test]
    fn parses_whole_references_and_rejects_literals() {
        assert_eq!(
            parse_whole("${env:TOKEN}"),
            Some(Ok(Reference::Env("TOKEN")))
        );
        assert_eq!(
            parse_whole(" ${file:tok.txt} "),
            Some(Ok(Reference::File("tok.txt")))
        );
        assert_eq!(
            parse_whole("${secret:ops}"),
            Some(Ok(Reference::Secret("ops")))
        );
        assert_eq!(parse_whole("sk_live_abc"), None);
        assert_eq!(parse_whole("Bearer ${env:X}"), None);
        assert_eq!(parse_whole("$${env:X}"), None);
        assert!(matches!(
            parse_whole("${vault:x}"),
            Some(Err(ReferenceError::UnknownKind(_)))
        ));
        assert!(matches!(
            parse_whole("${env:}"),
            Some(Err(ReferenceError::Empty(_)))
        ));
    }

    #[test]
    fn resolves_env_demo_and_reports_missing() {
        let c = ctx();
        let dir = Path::new(".");
        assert_eq!(
            c.resolve(&Reference::Demo("reader_token"), dir, &[])
                .as_deref(),
            Ok("fake-demo")
        );
        assert_eq!(
            c.resolve(&Reference::Env("NOPE"), dir, &[]),
            Err(ReferenceError::MissingEnv("NOPE".into()))
        );
        assert_eq!(
            c.interpolate("http://${env:HOST}/api", dir, &[]).as_deref(),
            Ok("http://127.0.0.1:9/api")
        );
        assert!(matches!(
            c.resolve(&Reference::Secret("ops"), dir, &[]),
            Err(ReferenceError::UnknownSecret { .. })
        ));
    }

    #[test]
    fn an_unclosed_reference_is_an_error_and_a_doubled_dollar_is_literal() {
        let c = ctx();
        let dir = Path::new(".");
        assert!(matches!(
            c.interpolate("x-${env:HOST", dir, &[]),
            Err(ReferenceError::Unclosed(_))
        ));
        assert_eq!(
            c.interpolate("$${jndi:ldap://x} ${env:HOST}", dir, &[])
                .as_deref(),
            Ok("${jndi:ldap://x} 127.0.0.1:9")
        );
        // The full-width braces of a flow collection are literal braces too.
        assert_eq!(
            c.interpolate("$$\u{FF5B}a\u{FF5D}", dir, &[]).as_deref(),
            Ok("${a}")
        );
        assert!(mentions_reference("a ${env:X} b"));
        assert!(mentions_reference("a ${env:X"));
        assert!(!mentions_reference("a $${env:X} b"));
        assert!(!mentions_reference("plain"));
    }

    #[test]
    fn reads_file_references_relative_to_the_suite() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tok"), "fake-file-token\n").unwrap();
        let got = ctx()
            .resolve(&Reference::File("tok"), dir.path(), &[])
            .unwrap();
        assert_eq!(got, "fake-file-token");
    }
}
