//! Secret references (`${env:NAME}`, `${file:PATH}`, `${demo:NAME}`, `${random:NAME}`)
//! and their resolution. Credential fields accept references only, so no secret is ever written
//! into a suite.

use std::path::Path;
use std::sync::Arc;

/// Where environment variables come from (the process, or a map in tests).
pub trait Env: Send + Sync {
    fn var(&self, name: &str) -> Option<String>;
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
}

impl LoadContext {
    pub fn process(demo: Vec<(&'static str, String)>) -> Self {
        Self::new(Arc::new(ProcessEnv), demo)
    }

    pub fn new(env: Arc<dyn Env>, demo: Vec<(&'static str, String)>) -> Self {
        Self {
            env,
            demo,
            random: std::sync::Mutex::new(Vec::new()),
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

#[derive(Debug, PartialEq, Eq)]
pub enum Reference<'a> {
    Env(&'a str),
    File(&'a str),
    Demo(&'a str),
    /// A secret made up for this run (for a SUT that authspec starts and also calls).
    Random(&'a str),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReferenceError {
    #[error("unknown reference kind `{0}`")]
    UnknownKind(String),
    #[error("empty reference `{0}`")]
    Empty(String),
    #[error("environment variable {0} is not set")]
    MissingEnv(String),
    #[error("cannot read secret file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("the demo target has no credential `{0}`")]
    UnknownDemo(String),
    #[error("the system gave no random bytes for a `${{random:…}}` secret")]
    NoRandomness,
}

/// Parses a whole value that is exactly one reference. `None` when the value is not a
/// reference at all (a literal).
pub fn parse_whole(value: &str) -> Option<Result<Reference<'_>, ReferenceError>> {
    let v = value.trim();
    let (start, open) = next_reference(v)?;
    let inner = &v[open..];
    let (end, close) = closing(inner)?;
    if start != 0 || end + close != inner.len() || next_reference(inner).is_some() {
        return None;
    }
    Some(parse_inner(&inner[..end]))
}

/// The full-width braces the YAML front end writes for a reference's `{` and `}` inside
/// a flow collection, where plain braces would not parse; a reference may use them.
pub const WIDE_OPEN: char = '\u{FF5B}';
pub const WIDE_CLOSE: char = '\u{FF5D}';

/// `$` and the full-width `{`.
const FLOW_OPEN: &str = "$\u{FF5B}";

/// Where the next `${` starts and where its name begins (the brace may be the full-width
/// look-alike).
fn next_reference(text: &str) -> Option<(usize, usize)> {
    let plain = text.find("${").map(|i| (i, i + 2));
    let wide = text.find(FLOW_OPEN).map(|i| (i, i + FLOW_OPEN.len()));
    match (plain, wide) {
        (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Where the closing brace is, and its length in bytes.
fn closing(after: &str) -> Option<(usize, usize)> {
    after
        .find(['}', WIDE_CLOSE])
        .map(|i| (i, after[i..].chars().next().map_or(1, char::len_utf8)))
}

fn parse_inner(inner: &str) -> Result<Reference<'_>, ReferenceError> {
    let (kind, arg) = inner
        .split_once(':')
        .ok_or_else(|| ReferenceError::UnknownKind(inner.to_string()))?;
    let arg = arg.trim();
    if arg.is_empty() {
        return Err(ReferenceError::Empty(format!("${{{inner}}}")));
    }
    match kind.trim() {
        "env" => Ok(Reference::Env(arg)),
        "file" => Ok(Reference::File(arg)),
        "demo" => Ok(Reference::Demo(arg)),
        "random" => Ok(Reference::Random(arg)),
        other => Err(ReferenceError::UnknownKind(other.to_string())),
    }
}

impl LoadContext {
    pub fn resolve(
        &self,
        reference: &Reference<'_>,
        base_dir: &Path,
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
        }
    }

    /// The resolved value of every reference inside `value` (those that resolve).
    pub fn resolved_references(&self, value: &str, base_dir: &Path) -> Vec<String> {
        self.resolved_each(value, base_dir)
            .into_iter()
            .map(|(_, v)| v)
            .collect()
    }

    /// Every reference inside `value` that resolves, as written (`${env:NAME}`, for a
    /// message that must name it and not show its value), with its value.
    pub fn resolved_each(&self, value: &str, base_dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = value;
        while let Some((_, open)) = next_reference(rest) {
            let after = &rest[open..];
            let Some((end, close)) = closing(after) else {
                break;
            };
            let inner = &after[..end];
            if let Ok(v) = parse_inner(inner).and_then(|r| self.resolve(&r, base_dir)) {
                out.push((format!("${{{inner}}}"), v));
            }
            rest = &after[end + close..];
        }
        out
    }

    /// Replaces every reference inside a non-secret value (a URL, a header template).
    pub fn interpolate(&self, value: &str, base_dir: &Path) -> Result<String, ReferenceError> {
        let mut out = String::with_capacity(value.len());
        let mut rest = value;
        while let Some((start, open)) = next_reference(rest) {
            out.push_str(&rest[..start]);
            let after = &rest[open..];
            let Some((end, close)) = closing(after) else {
                out.push_str(&rest[start..]);
                return Ok(out);
            };
            let reference = parse_inner(&after[..end])?;
            out.push_str(&self.resolve(&reference, base_dir)?);
            rest = &after[end + close..];
        }
        out.push_str(rest);
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
        let a = c.resolve(&Reference::Random("key"), dir).unwrap();
        assert_eq!(a.len(), 43);
        assert_eq!(c.resolve(&Reference::Random("key"), dir).unwrap(), a);
        assert_ne!(c.resolve(&Reference::Random("other"), dir).unwrap(), a);
        assert_ne!(ctx().resolve(&Reference::Random("key"), dir).unwrap(), a);
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
        assert_eq!(parse_whole("sk_live_abc"), None);
        assert_eq!(parse_whole("Bearer ${env:X}"), None);
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
            c.resolve(&Reference::Demo("reader_token"), dir).as_deref(),
            Ok("fake-demo")
        );
        assert_eq!(
            c.resolve(&Reference::Env("NOPE"), dir),
            Err(ReferenceError::MissingEnv("NOPE".into()))
        );
        assert_eq!(
            c.interpolate("http://${env:HOST}/api", dir).as_deref(),
            Ok("http://127.0.0.1:9/api")
        );
    }

    #[test]
    fn reads_file_references_relative_to_the_suite() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tok"), "fake-file-token\n").unwrap();
        let got = ctx().resolve(&Reference::File("tok"), dir.path()).unwrap();
        assert_eq!(got, "fake-file-token");
    }
}
