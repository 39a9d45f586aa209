//! A TLS front: accepts connections, terminates TLS with the certificate currently
//! chosen, and relays the plain bytes to a backend on 127.0.0.1 (a wiremock server).
//! It records how each handshake ended, so a report can tell "the client refused the
//! certificate" from "the client never called". Switching the mode closes the open
//! connections, so a client's pooled connection cannot carry a request past the switch.
//! It can also misbehave on the wire (`Wire`): reset a connection once the request has
//! arrived, or drip the answer's body, faults an HTTP server above it cannot stage.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::ServerConfig;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{AbortHandle, JoinHandle};
use tokio_rustls::TlsAcceptor;

use super::Leaf;

/// What the front speaks.
#[derive(Clone)]
pub enum Mode {
    Tls(Arc<ServerConfig>),
    /// No TLS at all: plain HTTP relayed as is.
    Plain,
}

/// What the front does with the bytes once a connection is up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wire {
    /// Relays both ways as they come.
    #[default]
    Relay,
    /// Reads the request's head, then resets the connection (RST, no answer).
    Reset,
    /// Relays the request; sends the answer's head at once and its body in small pieces
    /// spread over this long.
    Drip(Duration),
}

/// How one incoming connection's handshake ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Handshake {
    Completed,
    /// The client aborted, e.g. with a `bad_certificate` or `unknown_ca` alert.
    Aborted(String),
    /// In plain mode: the client sent a TLS hello, got plain HTTP back, and gave up.
    TlsToPlain,
    /// In TLS mode: the client sent plain bytes (a request in cleartext); refused.
    PlainToTls,
    /// The client closed the connection before sending anything.
    NoAttempt,
    /// Accepted; the handshake has not ended (yet).
    Pending,
}

struct State {
    /// The mode, and the open connections: one lock, so no connection accepted under
    /// the old mode escapes a switch.
    conn: Mutex<(Mode, Vec<AbortHandle>)>,
    wire: Mutex<Wire>,
    /// By connection number, in accept order.
    log: Mutex<Vec<(u64, Handshake)>>,
    next: AtomicU64,
    settled: tokio::sync::Notify,
}

impl State {
    fn record(&self, id: u64, h: Handshake) {
        if let Ok(mut log) = self.log.lock() {
            match log.iter_mut().find(|(i, _)| *i == id) {
                Some(entry) => entry.1 = h,
                None => log.push((id, h)),
            }
        }
        self.settled.notify_waiters();
    }

    fn pending(&self) -> bool {
        self.log
            .lock()
            .map(|l| l.iter().any(|(_, h)| *h == Handshake::Pending))
            .unwrap_or(false)
    }
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
            conn: Mutex::new((mode, Vec::new())),
            wire: Mutex::new(Wire::Relay),
            log: Mutex::new(Vec::new()),
            next: AtomicU64::new(0),
            settled: tokio::sync::Notify::new(),
        });
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(mut conn) = shared.conn.lock() else {
                    break;
                };
                let id = shared.next.fetch_add(1, Ordering::Relaxed);
                shared.record(id, Handshake::Pending);
                let mode = conn.0.clone();
                let wire = shared.wire.lock().map(|w| *w).unwrap_or_default();
                let task = tokio::spawn(serve(client, backend, (mode, wire), shared.clone(), id));
                conn.1.retain(|t| !t.is_finished());
                conn.1.push(task.abort_handle());
            }
        });
        Ok(Self { addr, state, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted from now on use `mode`; open ones are closed.
    pub fn set_mode(&self, mode: Mode) {
        if let Ok(mut conn) = self.state.conn.lock() {
            conn.0 = mode;
            conn.1.drain(..).for_each(|t| t.abort());
        }
    }

    /// Connections accepted from now on get `wire`; open ones are closed.
    pub fn set_wire(&self, wire: Wire) {
        if let (Ok(mut w), Ok(mut conn)) = (self.state.wire.lock(), self.state.conn.lock())
            && *w != wire
        {
            *w = wire;
            conn.1.drain(..).for_each(|t| t.abort());
        }
    }

    /// The handshakes since the last call.
    pub fn take_log(&self) -> Vec<Handshake> {
        self.state
            .log
            .lock()
            .map(|mut l| {
                std::mem::take(&mut *l)
                    .into_iter()
                    .map(|(_, h)| h)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Like `take_log`, once no handshake is still under way (or `limit` passed): a
    /// client's alert may reach the front after the client has answered its own caller.
    pub async fn settled_log(&self, limit: Duration) -> Vec<Handshake> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.state.settled.notified();
            if !self.state.pending() {
                break;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                break;
            }
        }
        self.take_log()
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    client: TcpStream,
    backend: SocketAddr,
    (mode, wire): (Mode, Wire),
    state: Arc<State>,
    id: u64,
) {
    let record = |h: Handshake| state.record(id, h);
    let mut client = client;
    let mut first = [0u8; 1];
    // 0x16 starts a TLS handshake record; anything else is plain text.
    let hello = match client.peek(&mut first).await {
        Ok(1) => first[0] == 0x16,
        _ => return record(Handshake::NoAttempt),
    };
    match (mode, hello) {
        (Mode::Plain, true) | (Mode::Tls(_), false) => {
            record(if hello {
                Handshake::TlsToPlain
            } else {
                Handshake::PlainToTls
            });
            let refusal =
                b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
            let _ = client.write_all(refusal).await;
            let _ = client.shutdown().await;
        }
        (Mode::Plain, false) => {
            record(Handshake::Completed);
            if wire == Wire::Reset {
                let _ = client.set_zero_linger();
            }
            relay(client, backend, wire).await;
        }
        (Mode::Tls(config), true) => {
            if wire == Wire::Reset {
                // Set before the handshake: dropping the TLS stream then sends RST.
                let _ = client.set_zero_linger();
            }
            match TlsAcceptor::from(config).accept(client).await {
                Ok(tls) => {
                    record(Handshake::Completed);
                    relay(tls, backend, wire).await;
                }
                Err(e) => record(Handshake::Aborted(e.to_string())),
            }
        }
    }
}

/// The bytes between a client and the backend, as `wire` says.
async fn relay<C>(mut client: C, backend: SocketAddr, wire: Wire)
where
    C: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    match wire {
        Wire::Relay => {
            if let Ok(mut upstream) = TcpStream::connect(backend).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            }
        }
        Wire::Reset => {
            // Until the request's head has arrived (or 64 KiB, or the client gives up),
            // then drop: the zero linger set on the socket turns the close into RST.
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 64 * 1024 {
                match client.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
        }
        Wire::Drip(over) => {
            let Ok(upstream) = TcpStream::connect(backend).await else {
                return;
            };
            let (mut from_client, mut to_client) = tokio::io::split(client);
            let (mut from_backend, mut to_backend) = upstream.into_split();
            let requests = tokio::spawn(async move {
                let _ = tokio::io::copy(&mut from_client, &mut to_backend).await;
            });
            // The backend closes after each answer (`connection: close`): read it whole.
            let mut answer = Vec::new();
            let _ = from_backend.read_to_end(&mut answer).await;
            requests.abort();
            let head = answer
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or(answer.len(), |i| i + 4);
            if to_client.write_all(&answer[..head]).await.is_err() {
                return;
            }
            let body = &answer[head..];
            const PIECES: usize = 20;
            let piece = body.len().div_ceil(PIECES).max(1);
            let pause = over / PIECES as u32;
            for chunk in body.chunks(piece) {
                tokio::time::sleep(pause).await;
                if to_client.write_all(chunk).await.is_err() || to_client.flush().await.is_err() {
                    return;
                }
            }
            let _ = to_client.shutdown().await;
        }
    }
}
