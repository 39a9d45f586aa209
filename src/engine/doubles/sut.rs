//! The system under test as a process: started in its own process group with the
//! suite's environment, polled until `ready` answers 2xx (bounded; the error carries its
//! last output lines), and stopped at the end of the run — SIGTERM to the whole group,
//! then SIGKILL — or killed at once when the run is dropped (Ctrl-C, failure).

use std::collections::VecDeque;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::engine::request::http::HttpClient;
use crate::model::Sut;
use crate::model::template::{Vars, render};
use crate::results::HarnessError;

/// Output lines kept for error messages.
const TAIL: usize = 20;

pub struct SutProcess {
    child: Child,
    group: Option<Pid>,
    tail: Arc<Mutex<VecDeque<String>>>,
    /// The tasks reading its stdout and stderr.
    readers: Vec<tokio::task::JoinHandle<()>>,
}

/// A free port on 127.0.0.1 for the SUT (`{{sut.port}}`).
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl SutProcess {
    /// Starts `sut` with `vars` rendered into its command and environment, and waits
    /// until it is ready at `base_url`.
    pub async fn start(
        sut: &Sut,
        vars: &Vars,
        base_url: &str,
        http: &HttpClient,
    ) -> Result<Self, HarnessError> {
        let shown = sut.command.join(" ");
        let args: Vec<String> = sut
            .command
            .iter()
            .map(|a| render(a, vars).map_err(HarnessError::request))
            .collect::<Result<_, _>>()?;
        let mut command = Command::new(&args[0]);
        command
            .args(&args[1..])
            .current_dir(&sut.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .process_group(0);
        for (k, v) in &sut.env {
            command.env(k, render(v, vars).map_err(HarnessError::request)?);
        }
        let mut child = command.spawn().map_err(|e| {
            HarnessError::io(
                format!("cannot start the SUT `{shown}` (in {})", sut.dir.display()),
                &e,
            )
        })?;
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let mut readers = Vec::new();
        if let Some(out) = child.stdout.take() {
            readers.push(tokio::spawn(keep_tail(out, tail.clone())));
        }
        if let Some(err) = child.stderr.take() {
            readers.push(tokio::spawn(keep_tail(err, tail.clone())));
        }
        let group = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .map(Pid::from_raw);
        let mut process = Self {
            child,
            group,
            tail,
            readers,
        };
        match process.wait_ready(sut, base_url, http).await {
            Ok(()) => Ok(process),
            Err(why) => {
                process.stop().await;
                process.drain().await;
                Err(HarnessError::SutNotReady {
                    report: format!(
                        "the SUT `{shown}` did not get ready: {why}\n--> {}\n{}",
                        sut.location,
                        process.last_output()
                    ),
                })
            }
        }
    }

    async fn wait_ready(
        &mut self,
        sut: &Sut,
        base_url: &str,
        http: &HttpClient,
    ) -> Result<(), HarnessError> {
        let url = format!("{base_url}{}", sut.ready_path);
        let method = reqwest::Method::from_bytes(sut.ready_method.as_bytes())
            .map_err(|e| HarnessError::setup(e.to_string()))?;
        let deadline = tokio::time::Instant::now() + sut.ready_timeout;
        let mut last = "no answer yet".to_string();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(HarnessError::SutExited {
                    report: format!(
                        "it exited ({status}) before `{} {}` answered",
                        sut.ready_method, sut.ready_path
                    ),
                });
            }
            let attempt = http.send(http.request(method.clone(), &url));
            match tokio::time::timeout_at(deadline, attempt).await {
                Ok(Ok(ex)) if (200..300).contains(&ex.status) => return Ok(()),
                Ok(Ok(ex)) => last = format!("the last answer was {}", ex.status_line()),
                Ok(Err(e)) => last = format!("the last attempt failed: {e}"),
                Err(_) => {}
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(HarnessError::setup(format!(
                    "`{} {}` gave no 2xx within {}s ({last})",
                    sut.ready_method,
                    sut.ready_path,
                    sut.ready_timeout.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `Some` when the SUT has exited on its own: its status and last output. Called
    /// after a failed request, so it allows the exit a moment to complete (a dying
    /// process closes its sockets before its parent can see it gone).
    pub async fn exited(&mut self) -> Option<String> {
        let wait = self.child.wait();
        let status = tokio::time::timeout(Duration::from_millis(300), wait)
            .await
            .ok()?
            .ok()?;
        self.drain().await;
        Some(format!(
            "the SUT has exited ({status}); {}",
            self.last_output()
        ))
    }

    /// Lets the readers take in what the exited SUT wrote last (bounded: a child it
    /// left behind may hold its output open).
    async fn drain(&mut self) {
        let readers = std::mem::take(&mut self.readers);
        let _ =
            tokio::time::timeout(Duration::from_secs(1), futures::future::join_all(readers)).await;
    }

    /// The last lines the SUT printed, for an error message.
    pub fn last_output(&self) -> String {
        let tail = self
            .tail
            .lock()
            .map(|t| t.iter().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        if tail.is_empty() {
            "the SUT printed nothing".to_string()
        } else {
            format!(
                "the SUT's last output:\n{}",
                tail.iter()
                    .map(|l| format!("  | {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        }
    }

    /// SIGTERM to the SUT's process group, up to 5 seconds to exit, then SIGKILL.
    pub async fn stop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            // The SUT is gone; what it started may not be.
            self.kill();
            self.group = None;
            return;
        }
        if let Some(g) = self.group {
            let _ = killpg(g, Signal::SIGTERM);
        }
        if tokio::time::timeout(Duration::from_secs(5), self.child.wait())
            .await
            .is_err()
        {
            self.kill();
            let _ = self.child.wait().await;
        }
        // Children that outlived the SUT itself.
        self.kill();
        // Done: the group id may be reused from here on.
        self.group = None;
    }

    fn kill(&mut self) {
        match self.group {
            Some(g) => {
                let _ = killpg(g, Signal::SIGKILL);
            }
            None => {
                let _ = self.child.start_kill();
            }
        }
    }
}

impl Drop for SutProcess {
    fn drop(&mut self) {
        // The whole group, even when the SUT itself has exited: its children may not have.
        self.kill();
    }
}

async fn keep_tail(stream: impl AsyncRead + Unpin, tail: Arc<Mutex<VecDeque<String>>>) {
    // Read bytes, not UTF-8 lines: a SUT that prints anything must still be drained.
    // Bounded: a line without end is cut into pieces rather than held whole.
    let mut reader = BufReader::new(stream);
    let mut buf = Vec::new();
    while matches!((&mut reader).take(64 * 1024).read_until(b'\n', &mut buf).await, Ok(n) if n > 0)
    {
        let line = String::from_utf8_lossy(&buf);
        if let Ok(mut t) = tail.lock() {
            if t.len() == TAIL {
                t.pop_front();
            }
            t.push_back(line.trim_end().chars().take(500).collect());
        }
        buf.clear();
    }
}
