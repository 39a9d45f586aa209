//! Lowers `secrets:`: each name with the command that prints it (an argv list, never a
//! shell; no `${…}` in it, since arguments are visible to every process of the machine;
//! a relative program path means the suite's directory, where it runs) and its timeout.
//! The commands run when a `${secret:NAME}` is first resolved.

use std::time::Duration;

use super::context::Cx;
use super::probes::seconds;
use crate::load::raw::{RawSecret, SpannedMap};
use crate::load::secret_command::SecretCommand;

/// How long a secret's command may take unless the suite says otherwise.
const DEFAULT_TIMEOUT: u64 = 30;

pub fn secrets(cx: &mut Cx<'_>, raw: Option<&SpannedMap<RawSecret>>) -> Vec<SecretCommand> {
    raw.iter()
        .flat_map(|m| &m.0)
        .filter_map(|(name, raw)| {
            let valid = !name.value.is_empty()
                && name
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid {
                cx.error(&name.at, format!("`{}` is not a secret name", name.value))
                    .help("use letters, digits, `_`, `-` and `.`: it is written `${secret:NAME}`");
                return None;
            }
            let command = command(cx, &name.value, raw);
            if command.is_none() {
                // Reported at its definition: a reference to it adds nothing.
                cx.failed_secrets.push(name.value.clone());
            }
            command
        })
        .collect()
}

fn command(cx: &mut Cx<'_>, name: &str, raw: &RawSecret) -> Option<SecretCommand> {
    let at = &raw.command.at;
    let field = format!("secrets.{name}.command");
    let mut argv = raw.command.value.0.clone();
    if argv.is_empty() || argv[0].trim().is_empty() {
        cx.error(at, format!("`{field}` is empty"))
            .help("write the program and its arguments: `command: [vault, kv, get, -field=password, secret/ops]`");
        return None;
    }
    if argv.len() == 1 && argv[0].contains(char::is_whitespace) {
        cx.error(at, format!("`{field}` is one string with blanks in it"))
            .help("write it as a list, one argument each (no shell runs it): `command: [cat, secrets/ops.txt]`");
        return None;
    }
    if argv
        .iter()
        .any(|a| a.contains("${") || a.contains("$\u{FF5B}"))
    {
        cx.error(at, format!("`{field}` takes no `${{…}}` reference"))
            .help("arguments are visible to every process on the machine: the command reads its own credentials (its CLI's login, its environment)");
        return None;
    }
    if argv[0].contains('/') && !argv[0].starts_with('/') {
        argv[0] = cx.source.dir.join(&argv[0]).display().to_string();
    }
    let timeout = match &raw.timeout {
        None => DEFAULT_TIMEOUT,
        Some(t) => match seconds(&t.value) {
            Some(s) if (1..=600).contains(&s) => s,
            _ => {
                cx.error(
                    &t.at,
                    format!(
                        "`secrets.{name}.timeout` is a duration of 1s to 10m, such as 10s or 2m"
                    ),
                );
                return None;
            }
        },
    };
    Some(SecretCommand {
        name: name.to_string(),
        argv,
        dir: cx.source.dir.clone(),
        timeout: Duration::from_secs(timeout),
        source: cx.source.clone(),
        at: *at,
    })
}
