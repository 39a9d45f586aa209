//! Lowers the blocks a suite and an `authspec.yaml` share: the target, the roles with
//! their credentials (references only, resolved and registered for redaction), and the
//! policy.

use super::super::reference::{Reference, ReferenceError, parse_whole};
use super::super::suggest::did_you_mean;
use super::lowerer::Lowerer;
use super::raw::{RawLeakage, RawPolicy, RawRole, RawTarget, S, SpannedMap};
use crate::model::{Credential, KeyPlacement, Leakage, Policy, Role, Secret, Target};

impl Lowerer<'_> {
    pub fn target(&mut self, raw: &S<RawTarget>) -> Option<Target> {
        match &raw.value {
            RawTarget::Named(name) if name == "demo" => Some(Target::Demo),
            RawTarget::Named(name) => {
                self.error(&raw.referenced, format!("unknown target `{name}`")).help(
                    "use `target: demo` for the built-in demo API, or `target: { base_url: https://… }`",
                );
                None
            }
            RawTarget::Url(map) => {
                let url = &map.base_url;
                let resolved = match self.ctx.interpolate(&url.value, &self.source.dir) {
                    Ok(v) => v,
                    Err(e) => {
                        self.reference_error(&url.referenced, "target.base_url", e);
                        return None;
                    }
                };
                // A reference that is the whole URL names where the API is; one inside
                // a URL (a path token, a query key) is a secret.
                if parse_whole(&url.value).is_none() {
                    for piece in self.ctx.resolved_references(&url.value, &self.source.dir) {
                        self.redactor.add("target.base_url", &piece);
                    }
                }
                // `{{sut.url}}` and friends are known once the run starts.
                if resolved.contains("{{")
                    && !self.run_templates(&resolved, &url.referenced, "target.base_url")
                {
                    return None;
                }
                match reqwest::Url::parse(&self.with_placeholders(&resolved)) {
                    Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                        Some(Target::Url(resolved.trim_end_matches('/').to_string()))
                    }
                    _ => {
                        let msg =
                            format!("`target.base_url` is not an http(s) URL: `{}`", url.value);
                        self.error(&url.referenced, msg)
                            .help("write a full URL such as https://api.example.test");
                        None
                    }
                }
            }
        }
    }

    /// Every role of a `roles:` block; also sets the names later references resolve to.
    pub fn roles(&mut self, raw: &SpannedMap<RawRole>, demo: bool) -> Vec<Role> {
        self.role_names = raw.0.iter().map(|(k, _)| k.value.clone()).collect();
        raw.0
            .iter()
            .filter_map(|(name, role)| self.role(name, role, demo))
            .collect()
    }

    fn role(&mut self, name: &S<String>, raw: &RawRole, demo: bool) -> Option<Role> {
        let n = &name.value;
        let given = [
            raw.bearer.is_some(),
            raw.api_key.is_some(),
            raw.oauth2.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            self.error(
                &name.referenced,
                format!("role `{n}` has more than one of `bearer`, `api_key`, `oauth2`"),
            )
            .help("give each role one credential; define a second role for the other");
            return None;
        }
        let credential = if let Some(b) = &raw.bearer {
            Credential::Bearer(self.secret(b, format!("{n}.bearer"), demo)?)
        } else if let Some(key) = &raw.api_key {
            let placement = match (&key.header, &key.query) {
                (Some(h), None) => KeyPlacement::Header(h.value.clone()),
                (None, Some(q)) => KeyPlacement::Query(q.value.clone()),
                _ => {
                    let msg =
                        format!("role `{n}`: `api_key` needs exactly one of `header` or `query`");
                    self.error(&key.value.referenced, msg)
                        .help("e.g. `api_key: { header: X-Api-Key, value: ${env:PARTNER_KEY} }`");
                    return None;
                }
            };
            let value = self.secret(&key.value, format!("{n}.api_key"), demo)?;
            Credential::ApiKey { placement, value }
        } else if let Some(o) = &raw.oauth2 {
            Credential::OAuth2(self.oauth2_role(n, o)?)
        } else {
            Credential::None
        };
        let proof = match &raw.proof {
            Some(line) => Some(self.request_line_only(line)?),
            None => None,
        };
        Some(Role {
            name: n.clone(),
            credential,
            proof,
        })
    }

    /// A credential field: exactly one reference, resolved and registered for redaction
    /// as `label`.
    fn secret(&mut self, field: &S<String>, label: String, demo: bool) -> Option<Secret> {
        self.secret_at(field, &format!("roles.{label}"), label, demo)
    }

    /// A secret at `path` (as the user would find it in the file), redacted as `label`.
    pub fn secret_at(
        &mut self,
        field: &S<String>,
        path: &str,
        label: String,
        demo: bool,
    ) -> Option<Secret> {
        let loc = &field.referenced;
        let reference = match parse_whole(&field.value) {
            None => {
                self.error(loc, format!("literal credential in `{path}`"))
                    .label("credentials are never written into a suite")
                    .help(
                        "pass it by reference: `${env:NAME}` (and export NAME), or `${file:PATH}`",
                    );
                return None;
            }
            Some(Err(e)) => {
                self.reference_error(loc, path, e);
                return None;
            }
            Some(Ok(r)) => r,
        };
        if matches!(reference, Reference::Demo(_)) && !demo {
            self.error(
                loc,
                format!("`${{demo:…}}` in `{path}` needs `target: demo`"),
            )
            .help("use `${env:NAME}` or `${file:PATH}` for a real target");
            return None;
        }
        match self.ctx.resolve(&reference, &self.source.dir) {
            Ok(value) if value.is_empty() => {
                self.error(loc, format!("`{path}` resolves to an empty value"));
                None
            }
            Ok(value) => {
                self.redactor.add(&label, &value);
                Some(Secret::new(label, value))
            }
            Err(e) => {
                self.reference_error(loc, path, e);
                None
            }
        }
    }

    pub fn reference_error(
        &mut self,
        loc: &serde_saphyr::Location,
        field: &str,
        e: ReferenceError,
    ) {
        let help = match &e {
            ReferenceError::MissingEnv(name) => {
                format!("export {name}=… before running (it fills `{field}`)")
            }
            ReferenceError::UnknownKind(_) | ReferenceError::Empty(_) => {
                "references are `${env:NAME}`, `${file:PATH}`, `${random:NAME}` (a secret made up for the run), and `${demo:NAME}` with `target: demo`".into()
            }
            ReferenceError::File { .. } => "a `${file:PATH}` path is relative to the suite file".into(),
            ReferenceError::NoRandomness => "the operating system's random source failed; run again".into(),
            ReferenceError::UnknownDemo(_) => {
                let names: Vec<&str> = self.ctx.demo.iter().map(|(k, _)| *k).collect();
                format!("the demo's credentials are: {}", names.join(", "))
            }
        };
        self.error(loc, format!("{e} (needed by `{field}`)"))
            .help(help);
    }

    /// `leakage:`; unknown detector ids are errors with a suggestion.
    pub fn leakage(&mut self, raw: Option<&S<RawLeakage>>) -> Option<Leakage> {
        let raw = raw?;
        let known = crate::model::DETECTOR_IDS;
        match &raw.value {
            RawLeakage::Switch(s) if s == "off" => Some(Leakage {
                enabled: false,
                ignore: Vec::new(),
            }),
            RawLeakage::Switch(s) if s == "on" => Some(Leakage::default()),
            RawLeakage::Switch(s) => {
                self.error(
                    &raw.referenced,
                    format!("`leakage: {s}` is neither on nor off"),
                )
                .help("`leakage: off`, or `leakage: { ignore: [stack_trace, …] }`");
                None
            }
            RawLeakage::Ignore(ids) => {
                for id in ids.iter().filter(|id| !known.contains(&id.value.as_str())) {
                    let help = match did_you_mean(&id.value, known.iter().copied()) {
                        Some(best) => {
                            format!("did you mean `{best}`? Detectors: {}", known.join(", "))
                        }
                        None => format!("detectors: {}", known.join(", ")),
                    };
                    self.error(
                        &id.referenced,
                        format!("unknown leak detector `{}`", id.value),
                    )
                    .help(help);
                }
                Some(Leakage {
                    enabled: true,
                    ignore: ids.iter().map(|i| i.value.clone()).collect(),
                })
            }
        }
    }

    /// `policy:`; `at` is where to point when the block itself is wrong.
    pub fn policy(
        &mut self,
        raw: Option<&RawPolicy>,
        at: &serde_saphyr::Location,
    ) -> Option<Policy> {
        let statuses = raw?.deny_status.as_ref()?;
        for s in statuses {
            if !(400..=599).contains(&s.value) {
                self.error(
                    &s.referenced,
                    format!("`{}` is not a refusal status", s.value),
                )
                .help("deny statuses are 4xx or 5xx codes such as 401, 403, 404");
            }
        }
        if statuses.is_empty() {
            self.error(at, "`policy.deny_status` is empty");
        }
        Some(Policy {
            deny_status: statuses.iter().map(|s| s.value).collect(),
        })
    }
}
