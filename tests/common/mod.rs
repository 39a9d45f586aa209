//! Shared helpers for the end-to-end tests: run the real binary, write suites into a
//! temporary directory, make fake secrets, read JUnit files.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs `authspec` with `args` and exactly the environment in `env` (plus PATH), so no
/// variable of the developer's shell leaks into a test.
pub fn authspec(args: &[&str], env: &[(&str, &str)], dir: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_authspec"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the authspec binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fake secret, different in every test run: obviously not a real credential.
pub fn fake_secret(tag: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write(tag.as_bytes());
    let a = h.finish();
    h.write_u64(a);
    format!("fake-{tag}-{a:016x}{:016x}", h.finish())
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

/// xmllint (Debian's libxml2-utils) validates and queries reports; `.ci/run` installs it.
/// A test never installs packages itself: a missing tool is a clear failure.
fn ensure_xmllint() {
    let present = Command::new("xmllint").arg("--version").output().is_ok();
    assert!(
        present,
        "xmllint is missing: run `bash .ci/run`, which installs it (Debian package libxml2-utils)"
    );
}

/// Validates a JUnit file against the project's schema with xmllint.
pub fn assert_valid_junit(path: &Path) {
    ensure_xmllint();
    let schema = repo_root().join("tests/schemas/junit-10.xsd");
    assert!(schema.exists(), "schema missing at {}", schema.display());
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(path)
        .output()
        .expect("xmllint is installed (Debian package libxml2-utils; .ci/run installs it)");
    assert!(
        out.status.success(),
        "{} does not validate:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Evaluates an XPath expression on an XML file with xmllint (a real XML parser, so a
/// forged element inside text would count if it escaped).
pub fn xpath(path: &Path, expr: &str) -> String {
    ensure_xmllint();
    let out = Command::new("xmllint")
        .arg("--xpath")
        .arg(expr)
        .arg(path)
        .output()
        .expect("xmllint runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn count(path: &Path, expr: &str) -> usize {
    let v = xpath(path, &format!("count({expr})"));
    v.parse::<f64>()
        .unwrap_or_else(|_| panic!("xpath count gave {v:?}")) as usize
}

/// An RSA-2048 issuer key made for the test: PKCS#8 PEM, and the JWK's `n` and `e`.
pub struct IssuerKey {
    pub pem: String,
    pub n: String,
    pub e: String,
}

pub fn issuer_key() -> IssuerKey {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::signature::KeyPair as _;
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let der = pair.as_der().unwrap();
    let body = STANDARD.encode(der.as_ref());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let public = pair.public_key();
    IssuerKey {
        pem: format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            lines.join("\n")
        ),
        n: URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
        e: URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
    }
}
