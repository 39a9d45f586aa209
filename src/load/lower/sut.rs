//! Lowers `sut:`: the command, its environment (references redacted, literal
//! credentials refused) and how to tell it is ready.

use std::time::Duration;

use super::context::Cx;
use super::probes::seconds;
use crate::load::raw::{RawSut, S};
use crate::model::{Sut, credential_like};

pub fn sut(cx: &mut Cx<'_>, raw: &S<RawSut>) -> Option<Sut> {
    let at = &raw.at;
    let sut = &raw.value;
    let mut command: Vec<String> = match sut.command.value.0.as_slice() {
        [one] => one.split_whitespace().map(str::to_string).collect(),
        many => many.to_vec(),
    };
    if command.is_empty() || command[0].trim().is_empty() {
        cx.error(&sut.command.at, "`sut.command` is empty")
            .help("write the program and its arguments: `command: [python3, app.py]`");
        return None;
    }
    for arg in &command {
        if arg.contains("${") || arg.contains("$\u{FF5B}") {
            cx.error(&sut.command.at, "`sut.command` takes no `${…}` reference")
                .help("arguments are visible to every process on the machine: pass secrets in `sut.env`");
        }
        super::templates::run_templates(cx, arg, &sut.command.at, "sut.command");
    }
    // A relative program path means the suite's directory, where the SUT runs.
    if command[0].contains('/') && !command[0].starts_with('/') {
        command[0] = cx.source.dir.join(&command[0]).display().to_string();
    }
    let mut env = Vec::new();
    for (name, value) in sut.env.iter().flat_map(|m| &m.0) {
        if let Some(v) = sut_env(cx, name, value) {
            env.push((name.value.clone(), v));
        }
    }
    let ready = super::request::request_line_only(cx, &sut.ready);
    let ready_timeout = match &sut.ready_timeout {
        None => Some(30),
        Some(t) => match seconds(&t.value) {
            Some(s) if (1..=600).contains(&s) => Some(s),
            _ => {
                cx.error(
                    &t.at,
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
        ready_method: ready.method.to_string(),
        ready_path: ready.path,
        ready_timeout: Duration::from_secs(ready_timeout?),
        dir: cx.source.dir.clone(),
        location: cx.location(at),
    })
}

fn sut_env(cx: &mut Cx<'_>, name: &S<String>, value: &str) -> Option<String> {
    let loc = &name.at;
    let field = format!("sut.env.{}", name.value);
    if name.value.is_empty() || name.value.contains(['=', '\0']) {
        cx.error(
            loc,
            format!("`{}` is not an environment variable name", name.value),
        );
        return None;
    }
    let resolved = if value.contains("${") || value.contains("$\u{FF5B}") {
        match cx.interpolate(value) {
            Ok(v) => {
                // What a reference gives the SUT is a secret of the run: redacted, and a
                // canary. Values as short as a port number would only be noise.
                for piece in cx.resolved_references(value) {
                    if credential_like(&name.value) || piece.len() >= 8 {
                        cx.redactor.add(&field, &piece);
                    }
                }
                v
            }
            Err(e) => {
                cx.reference_error(loc, &field, e);
                return None;
            }
        }
    } else {
        if credential_like(&name.value) && !value.contains("{{") && !value.trim().is_empty() {
            cx.error(loc, format!("literal credential in `{field}`"))
                .label("credentials are never written into a suite")
                .help("pass it by reference: `${env:NAME}`, or `${random:NAME}` for a secret made up for the run");
            return None;
        }
        value.to_string()
    };
    super::templates::run_templates(cx, &resolved, loc, &field).then_some(resolved)
}
