//! `authspec upstream-ca --out DIR` writes a CA for stub upstreams (`ca.pem`, and
//! `ca-key.pem` readable by the owner only), so a SUT started outside authspec can trust
//! it ahead of time; `run --upstream-ca DIR` loads it back.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use super::args::UpstreamCaArgs;
use super::output::Out;
use crate::exit_codes;
use crate::redact::Redactor;
use crate::tls::Ca;

const CERT: &str = "ca.pem";
const KEY: &str = "ca-key.pem";

pub fn upstream_ca(args: UpstreamCaArgs) -> u8 {
    let out = Out::new(Arc::new(Redactor::new()));
    match write(&args.out, args.days) {
        Ok(cert) => {
            out.say(&format!(
                "wrote {} (trust this in the SUT) and {KEY} beside it",
                cert.display()
            ));
            out.say(&format!(
                "valid for {} days; run with: authspec run --upstream-ca {}",
                args.days,
                args.out.display()
            ));
            exit_codes::SUCCESS
        }
        Err(e) => {
            out.error(e);
            exit_codes::INVALID_INPUT
        }
    }
}

fn write(dir: &Path, days: u16) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let (cert, key) = (dir.join(CERT), dir.join(KEY));
    if key.exists() || cert.exists() {
        return Err(format!(
            "{} already holds an upstream CA; a SUT may trust it, so it is not replaced (delete it first)",
            dir.display()
        ));
    }
    let ca = Ca::valid_for("authspec upstream CA", i64::from(days)).map_err(|e| e.to_string())?;
    let create = |path: &Path, mode: u32, text: String| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    create(&key, 0o600, ca.key_pem())?;
    create(&cert, 0o644, ca.pem())?;
    Ok(cert)
}

/// The files of a CA in `dir`: inputs of a run given `--upstream-ca DIR`.
pub fn files(dir: &Path) -> [PathBuf; 2] {
    [dir.join(CERT), dir.join(KEY)]
}

/// The CA in `dir`, and the certificate file a SUT trusts.
pub fn load(dir: &Path) -> Result<(Ca, PathBuf), String> {
    let (cert, key) = (dir.join(CERT), dir.join(KEY));
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| {
            format!(
                "cannot read {}: {e} (write one with `authspec upstream-ca --out {}`)",
                p.display(),
                dir.display()
            )
        })
    };
    let ca = Ca::from_pem(&read(&cert)?, &read(&key)?)
        .map_err(|e| format!("{} is not a usable upstream CA: {e}", dir.display()))?;
    let cert = std::path::absolute(&cert).unwrap_or(cert);
    Ok((ca, cert))
}
