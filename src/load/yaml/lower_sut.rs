//! Lowers `sut:` (the command, its environment, readiness) and checks the run templates
//! (`{{sut.url}}`, `{{upstreams.NAME.url}}`, …) that are only known once the run starts.

use std::time::Duration;

use super::super::suggest::did_you_mean;
use super::lower_probes::seconds;
use super::lowerer::Lowerer;
use super::raw::S;
use super::raw_upstream::RawSut;
use crate::model::template::{Vars, render, variables};
use crate::model::{Sut, credential_like};

impl Lowerer<'_> {
    pub fn sut(&mut self, raw: &S<RawSut>) -> Option<Sut> {
        let at = &raw.referenced;
        let sut = &raw.value;
        let mut command: Vec<String> = match sut.command.value.0.as_slice() {
            [one] => one.split_whitespace().map(str::to_string).collect(),
            many => many.to_vec(),
        };
        if command.is_empty() || command[0].trim().is_empty() {
            self.error(&sut.command.referenced, "`sut.command` is empty")
                .help("write the program and its arguments: `command: [python3, app.py]`");
            return None;
        }
        for arg in &command {
            if arg.contains("${") || arg.contains("$\u{FF5B}") {
                self.error(&sut.command.referenced, "`sut.command` takes no `${…}` reference")
                    .help("arguments are visible to every process on the machine: pass secrets in `sut.env`");
            }
            self.run_templates(arg, &sut.command.referenced, "sut.command");
        }
        // A relative program path means the suite's directory, where the SUT runs.
        if command[0].contains('/') && !command[0].starts_with('/') {
            command[0] = self.source.dir.join(&command[0]).display().to_string();
        }
        let mut env = Vec::new();
        for (name, value) in sut.env.iter().flat_map(|m| &m.0) {
            if let Some(v) = self.sut_env(name, value) {
                env.push((name.value.clone(), v));
            }
        }
        let ready = self.request_line_only(&sut.ready);
        let ready_timeout = match &sut.ready_timeout {
            None => Some(30),
            Some(t) => match seconds(&t.value) {
                Some(s) if (1..=600).contains(&s) => Some(s),
                _ => {
                    self.error(
                        &t.referenced,
                        "`ready_timeout` is a duration of 1s to 10m, such as 30, 90s or 2m",
                    );
                    None
                }
            },
        };
        let ready = ready?;
        Some(Sut {
            command,
            env,
            ready_method: ready.method,
            ready_path: ready.path,
            ready_timeout: Duration::from_secs(ready_timeout?),
            dir: self.source.dir.clone(),
            location: self.location(at),
        })
    }

    fn sut_env(&mut self, name: &S<String>, value: &str) -> Option<String> {
        let loc = &name.referenced;
        let field = format!("sut.env.{}", name.value);
        if name.value.is_empty() || name.value.contains(['=', '\0']) {
            self.error(
                loc,
                format!("`{}` is not an environment variable name", name.value),
            );
            return None;
        }
        let resolved = if value.contains("${") || value.contains("$\u{FF5B}") {
            match self.ctx.interpolate(value, &self.source.dir) {
                Ok(v) => {
                    // What a reference gives the SUT is a secret of the run: redacted, and a
                    // canary. Values as short as a port number would only be noise.
                    for piece in self.ctx.resolved_references(value, &self.source.dir) {
                        if credential_like(&name.value) || piece.len() >= 8 {
                            self.redactor.add(&field, &piece);
                        }
                    }
                    v
                }
                Err(e) => {
                    self.reference_error(loc, &field, e);
                    return None;
                }
            }
        } else {
            if credential_like(&name.value) && !value.contains("{{") && !value.trim().is_empty() {
                self.error(loc, format!("literal credential in `{field}`"))
                    .label("credentials are never written into a suite")
                    .help("pass it by reference: `${env:NAME}`, or `${random:NAME}` for a secret made up for the run");
                return None;
            }
            value.to_string()
        };
        self.run_templates(&resolved, loc, &field)
            .then_some(resolved)
    }

    /// The run templates this suite can use.
    fn run_template_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if self.has_sut {
            names.extend(["sut.port".to_string(), "sut.url".to_string()]);
        }
        if !self.upstream_names.is_empty() {
            names.push("upstreams.ca_file".to_string());
        }
        names.extend(
            self.upstream_names
                .iter()
                .map(|n| format!("upstreams.{n}.url")),
        );
        names
    }

    /// Checks every `{{…}}` of `text` names a run template of this suite.
    pub fn run_templates(&mut self, text: &str, loc: &serde_saphyr::Location, field: &str) -> bool {
        let known = self.run_template_names();
        let mut ok = true;
        if text.matches("{{").count() > variables(text).len() {
            self.error(
                loc,
                format!("a `{{{{` in `{field}` is not closed with `}}}}`"),
            );
            ok = false;
        }
        for var in variables(text) {
            if known.iter().any(|k| k == var) {
                continue;
            }
            ok = false;
            let help = if known.is_empty() {
                "`{{sut.url}}` and `{{sut.port}}` need `sut:`; `{{upstreams.NAME.url}}` and `{{upstreams.ca_file}}` need `upstreams:`".to_string()
            } else {
                match did_you_mean(var, known.iter().map(String::as_str)) {
                    Some(k) => format!("did you mean `{{{{{k}}}}}`?"),
                    None => format!(
                        "this suite has: {}",
                        known
                            .iter()
                            .map(|k| format!("{{{{{k}}}}}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            };
            self.error(
                loc,
                format!("`{{{{{var}}}}}` in `{field}` is not a template of this run"),
            )
            .help(help);
        }
        ok
    }

    /// `text` with placeholder values for the run templates, to check what it becomes.
    pub fn with_placeholders(&self, text: &str) -> String {
        let vars: Vars = self
            .run_template_names()
            .into_iter()
            .map(|k| {
                let v = if k.ends_with(".url") {
                    "http://127.0.0.1:1".to_string()
                } else {
                    "1".to_string()
                };
                (k, v)
            })
            .collect();
        render(text, &vars).unwrap_or_else(|_| text.to_string())
    }
}
