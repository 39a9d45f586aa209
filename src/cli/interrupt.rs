//! Ctrl-C, SIGTERM (a CI cancel, `timeout`, `docker stop`) and SIGHUP stop a run. The
//! handlers are installed before the first request, so a signal never kills authspec
//! half-way: the run is dropped (which kills any SUT process group it started), and the
//! report is written with what finished. The exit code is the shell's for that signal.

use tokio::signal::unix::{Signal, SignalKind, signal};

use crate::exit_codes;

/// The signal that stopped a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    Interrupt,
    Terminate,
    Hangup,
}

impl Stop {
    pub fn name(self) -> &'static str {
        match self {
            Stop::Interrupt => "SIGINT",
            Stop::Terminate => "SIGTERM",
            Stop::Hangup => "SIGHUP",
        }
    }

    pub fn exit_code(self) -> u8 {
        match self {
            Stop::Interrupt => exit_codes::INTERRUPTED,
            Stop::Terminate => exit_codes::TERMINATED,
            Stop::Hangup => exit_codes::HUNG_UP,
        }
    }
}

/// The installed handlers; `wait` resolves on the first signal.
pub struct Signals {
    int: Option<Signal>,
    term: Option<Signal>,
    hup: Option<Signal>,
}

impl Signals {
    /// Must be called inside the runtime. A handler that cannot be installed leaves that
    /// signal's default (the process ends; the stale report is already gone).
    pub fn install() -> Self {
        Self {
            int: signal(SignalKind::interrupt()).ok(),
            term: signal(SignalKind::terminate()).ok(),
            hup: signal(SignalKind::hangup()).ok(),
        }
    }

    pub async fn wait(&mut self) -> Stop {
        async fn recv(s: &mut Option<Signal>) {
            match s {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        tokio::select! {
            _ = recv(&mut self.int) => Stop::Interrupt,
            _ = recv(&mut self.term) => Stop::Terminate,
            _ = recv(&mut self.hup) => Stop::Hangup,
        }
    }
}
