//! A TLS front: accepts connections, terminates TLS with the certificate currently
//! chosen, and relays the plain bytes to a backend on 127.0.0.1 (a wiremock server).
//! It records how each handshake ended, so a report can tell "the client refused the
//! certificate" from "the client never called".

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use super::Leaf;

/// What the front speaks.
#[derive(Clone)]
pub enum Mode {
    Tls(Arc<ServerConfig>),
    /// No TLS at all: plain HTTP relayed as is.
    Plain,
}

/// How one incoming connection's handshake ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handshake {
    Completed,
    /// The client aborted, e.g. with a `bad_certificate` or `unknown_ca` alert.
    Aborted(String),
}

struct State {
    mode: Mutex<Mode>,
    log: Mutex<Vec<Handshake>>,
}

pub struct Front {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

/// A server config for `leaf`, TLS 1.2 and 1.3, aws-lc-rs.
pub fn server_config(leaf: &Leaf) -> Result<Arc<ServerConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(leaf.chain.clone(), leaf.key())?;
    Ok(Arc::new(config))
}

impl Front {
    pub fn start(
        listener: std::net::TcpListener,
        backend: SocketAddr,
        mode: Mode,
    ) -> std::io::Result<Self> {
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let listener = TcpListener::from_std(listener)?;
        let state = Arc::new(State {
            mode: Mutex::new(mode),
            log: Mutex::new(Vec::new()),
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let mode = shared.mode.lock().map(|m| m.clone());
                let state = shared.clone();
                if let Ok(mode) = mode {
                    tokio::spawn(serve(client, backend, mode, state));
                }
            }
        });
        Ok(Self { addr, state, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted from now on use `mode`.
    pub fn set_mode(&self, mode: Mode) {
        if let Ok(mut m) = self.state.mode.lock() {
            *m = mode;
        }
    }

    /// The handshakes since the last call.
    pub fn take_log(&self) -> Vec<Handshake> {
        self.state
            .log
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(client: TcpStream, backend: SocketAddr, mode: Mode, state: Arc<State>) {
    let record = |h: Handshake| {
        if let Ok(mut log) = state.log.lock() {
            log.push(h);
        }
    };
    let Ok(mut upstream) = TcpStream::connect(backend).await else {
        return;
    };
    match mode {
        Mode::Plain => {
            let mut client = client;
            record(Handshake::Completed);
            let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
        }
        Mode::Tls(config) => match TlsAcceptor::from(config).accept(client).await {
            Ok(mut tls) => {
                record(Handshake::Completed);
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
            }
            Err(e) => record(Handshake::Aborted(e.to_string())),
        },
    }
}
