//! `authspec.yaml`: the target, roles, policy, secrets, setup, stub upstreams and SUT shared by the features and YAML suites of
//! a directory tree. The nearest one in a suite's directory or its parents applies, unless
//! `--config FILE` names one for all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::secret_command::SecretCommand;
use super::{LoadContext, LoadError, SourceFile, SuiteDiagnostic, yaml};
use crate::model::{AuthServer, Leakage, Policy, Role, Setup, Target};
use crate::redact::Redactor;

pub const CONFIG_NAMES: [&str; 2] = ["authspec.yaml", "authspec.yml"];

#[derive(Clone, Debug)]
pub struct Config {
    pub file: Arc<str>,
    pub target: Option<Target>,
    /// `target.tls`, inherited with the target.
    pub tls: crate::model::TlsSettings,
    pub roles: Vec<Role>,
    pub auth_servers: Vec<AuthServer>,
    pub policy: Option<Policy>,
    pub leakage: Option<Leakage>,
    /// `secrets:`, which its suites and features may refer to as well.
    pub secrets: Vec<SecretCommand>,
    /// Run once per run for all the suites and features that use this config.
    pub setup: Option<Arc<Setup>>,
    /// `fail_on_skip:`, for the suites and features it applies to.
    pub fail_on_skip: Option<bool>,
    /// `upstreams:` and `sut:`: for its features, and its YAML suites that have neither.
    pub upstreams: Vec<crate::model::Upstream>,
    pub sut: Option<crate::model::Sut>,
}

/// Finds and loads configs, each once; a broken config is reported once too.
pub struct Configs<'a> {
    explicit: Option<PathBuf>,
    loaded: HashMap<PathBuf, Option<Arc<Config>>>,
    ctx: &'a LoadContext,
    redactor: &'a Redactor,
}

impl<'a> Configs<'a> {
    pub fn new(explicit: Option<PathBuf>, ctx: &'a LoadContext, redactor: &'a Redactor) -> Self {
        Self {
            explicit,
            loaded: HashMap::new(),
            ctx,
            redactor,
        }
    }

    /// The config that applies to `suite`, if any. Problems go to `diagnostics`.
    pub fn for_suite(
        &mut self,
        suite: &Path,
        diagnostics: &mut Vec<SuiteDiagnostic>,
    ) -> Result<Option<Arc<Config>>, LoadError> {
        let Some(path) = self.explicit.clone().or_else(|| nearest(suite)) else {
            return Ok(None);
        };
        if let Some(done) = self.loaded.get(&path) {
            return Ok(done.clone());
        }
        let source = SourceFile::read(&path)?;
        let config = match yaml::load_config(&source, self.ctx, self.redactor) {
            Ok(c) => Some(Arc::new(c)),
            Err(mut errs) => {
                diagnostics.append(&mut errs);
                None
            }
        };
        self.loaded.insert(path, config.clone());
        Ok(config)
    }
}

fn nearest(suite: &Path) -> Option<PathBuf> {
    let dir = suite.parent()?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let start = dir.canonicalize().ok()?;
    start.ancestors().find_map(|d| {
        CONFIG_NAMES
            .iter()
            .map(|n| d.join(n))
            .find(|p| p.is_file())
            .map(|p| relative_to_cwd(&p))
    })
}

/// Keeps messages short: `features/authspec.yaml`, not an absolute path, when possible.
fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}
