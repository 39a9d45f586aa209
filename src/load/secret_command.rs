//! `secrets:` commands: a program and its arguments (never a shell) that print one
//! secret — `vault kv get -field=…`, `op read op://…`, `cat FILE`. Each runs once per run,
//! in its suite's directory, within its timeout; its stdout less the trailing newline is
//! the secret. A start failure, a non-zero exit, a timeout or an empty answer is an error
//! naming the command, with the end of its stderr (which every output redacts).

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::raw::Pos;
use super::reference::ReferenceError;
use super::source::SourceFile;

/// A secret's command as the suite defines it, program path resolved.
#[derive(Clone, Debug)]
pub struct SecretCommand {
    pub name: String,
    pub argv: Vec<String>,
    /// The suite's directory: where it runs, so relative arguments mean files there.
    pub dir: PathBuf,
    pub timeout: Duration,
    /// Where it is defined (a suite, or the `authspec.yaml` it inherits from).
    pub source: SourceFile,
    pub at: Pos,
}

impl SecretCommand {
    /// `cat secrets/ops.txt`: what messages name.
    pub fn shown(&self) -> String {
        self.argv.join(" ")
    }
}

/// What each command printed, or why it failed, by directory and argv: a command that
/// several suites (or an `authspec.yaml` and its features) use runs once.
#[derive(Default)]
pub struct SecretRuns(Mutex<Vec<(RunKey, Result<String, ReferenceError>)>>);

/// Where a command runs, and its argv.
type RunKey = (PathBuf, Vec<String>);

impl SecretRuns {
    /// The secret `command` prints; `extra` is added to its environment.
    pub fn value(
        &self,
        command: &SecretCommand,
        extra: &[(String, String)],
    ) -> Result<String, ReferenceError> {
        let mut runs = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let key = (command.dir.clone(), command.argv.clone());
        if let Some((_, done)) = runs.iter().find(|(k, _)| *k == key) {
            return done.clone();
        }
        let done = run(command, extra);
        runs.push((key, done.clone()));
        done
    }
}

/// A secret is short; more than this is not one (or a runaway command).
const MAX_OUTPUT: u64 = 64 * 1024;
/// How much of stderr a message shows.
const STDERR_SHOWN: usize = 600;

fn run(c: &SecretCommand, extra: &[(String, String)]) -> Result<String, ReferenceError> {
    let fail = |reason: String| ReferenceError::SecretCommand {
        name: c.name.clone(),
        command: c.shown(),
        reason,
    };
    let mut child = Command::new(&c.argv[0])
        .args(&c.argv[1..])
        .current_dir(&c.dir)
        .envs(extra.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("could not be started: {e}")))?;
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        drain(out, true, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        drain(err, false, tx);
    }
    let deadline = Instant::now() + c.timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!(
                    "did not finish within its timeout of {:?}",
                    c.timeout
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(fail(format!("could not be waited for: {e}"))),
        }
    };
    // A process it left behind may hold the pipes open: wait no longer than the deadline.
    let (mut stdout, mut stderr) = (None, None);
    while stdout.is_none() || stderr.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left.max(Duration::from_millis(100))) {
            Ok((true, bytes)) => stdout = Some(bytes),
            Ok((false, bytes)) => stderr = Some(bytes),
            Err(_) => break,
        }
    }
    let stderr = tail(&String::from_utf8_lossy(&stderr.unwrap_or_default()));
    let said = if stderr.is_empty() {
        String::new()
    } else {
        format!("; its stderr ends: {stderr}")
    };
    if !status.success() {
        return Err(fail(format!("failed ({status}){said}")));
    }
    let Some(stdout) = stdout else {
        return Err(fail(format!("left its output open past its timeout{said}")));
    };
    if stdout.len() as u64 > MAX_OUTPUT {
        return Err(fail(format!(
            "printed more than {MAX_OUTPUT} bytes, which is no single secret"
        )));
    }
    let text = String::from_utf8(stdout)
        .map_err(|_| fail("printed something that is not UTF-8 text".into()))?;
    let value = text.strip_suffix('\n').unwrap_or(&text);
    let value = value.strip_suffix('\r').unwrap_or(value);
    if value.is_empty() {
        return Err(fail(format!("printed nothing{said}")));
    }
    Ok(value.to_string())
}

/// Reads a pipe to its end on a thread of its own, keeping at most one byte past the
/// limit (so too much output is told apart), and sends what it kept.
fn drain(pipe: impl Read + Send + 'static, stdout: bool, tx: mpsc::Sender<(bool, Vec<u8>)>) {
    std::thread::spawn(move || {
        let mut pipe = pipe;
        let mut kept = Vec::new();
        let _ = (&mut pipe).take(MAX_OUTPUT + 1).read_to_end(&mut kept);
        let _ = std::io::copy(&mut pipe, &mut std::io::sink());
        let _ = tx.send((stdout, kept));
    });
}

/// The last characters of a command's stderr, on one line.
fn tail(stderr: &str) -> String {
    let one_line = stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = one_line.chars().count();
    if n <= STDERR_SHOWN {
        one_line
    } else {
        let skip = n - STDERR_SHOWN;
        format!("…{}", one_line.chars().skip(skip).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(argv: &[&str], dir: &std::path::Path, timeout: Duration) -> SecretCommand {
        SecretCommand {
            name: "ops".into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            dir: dir.to_path_buf(),
            timeout,
            source: SourceFile::from_text(std::path::Path::new("s.yaml"), "suite: s\n"),
            at: Pos::new(1, 1),
        }
    }

    #[test]
    fn stdout_less_its_newline_is_the_secret_and_runs_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pw.txt"), "fake-ops-pw\n").unwrap();
        let runs = SecretRuns::default();
        let c = command(&["cat", "pw.txt"], dir.path(), Duration::from_secs(10));
        assert_eq!(runs.value(&c, &[]).as_deref(), Ok("fake-ops-pw"));
        // Once per run: the file changing afterwards changes nothing.
        std::fs::write(dir.path().join("pw.txt"), "other\n").unwrap();
        assert_eq!(runs.value(&c, &[]).as_deref(), Ok("fake-ops-pw"));
    }

    #[test]
    fn failures_name_the_command_and_show_its_stderr() {
        let dir = tempfile::tempdir().unwrap();
        let runs = SecretRuns::default();
        let c = command(&["cat", "missing.txt"], dir.path(), Duration::from_secs(10));
        let e = runs.value(&c, &[]).unwrap_err().to_string();
        assert!(e.contains("`cat missing.txt`"), "{e}");
        assert!(e.contains("failed (exit status: 1)"), "{e}");
        assert!(e.contains("missing.txt"), "{e}");
        let c = command(
            &["authspec-no-such-program"],
            dir.path(),
            Duration::from_secs(10),
        );
        let e = runs.value(&c, &[]).unwrap_err().to_string();
        assert!(e.contains("could not be started"), "{e}");
        let c = command(&["true"], dir.path(), Duration::from_secs(10));
        let e = runs.value(&c, &[]).unwrap_err().to_string();
        assert!(e.contains("printed nothing"), "{e}");
    }

    #[test]
    fn the_command_sees_the_extra_variables() {
        let dir = tempfile::tempdir().unwrap();
        let c = command(
            &["sh", "-c", "printf %s \"$AUTHSPEC_TEST_VAULT_ADDR\""],
            dir.path(),
            Duration::from_secs(10),
        );
        let extra = [(
            "AUTHSPEC_TEST_VAULT_ADDR".to_string(),
            "http://127.0.0.1:8200".to_string(),
        )];
        assert_eq!(
            SecretRuns::default().value(&c, &extra).as_deref(),
            Ok("http://127.0.0.1:8200")
        );
    }

    #[test]
    fn a_command_past_its_timeout_is_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let c = command(&["sleep", "30"], dir.path(), Duration::from_millis(50));
        let e = SecretRuns::default()
            .value(&c, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("did not finish within its timeout of 50ms"),
            "{e}"
        );
    }
}
