//! Stub upstreams at run time: one wiremock server per upstream (recording on) behind a
//! TLS front whose certificate each scenario chooses, and what each upstream received
//! since a mark, and when.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use super::stub::{Stub, StubState};
use crate::model::template::Vars;
use crate::model::{Upstream, UpstreamFault, UpstreamTls};
use crate::results::HarnessError;
use crate::tls::{Ca, Front, Handshake, Mode, Validity, Wire, server_config};

/// The CA whose certificates valid upstreams present, and the file a SUT trusts.
pub struct UpstreamCa {
    pub ca: Ca,
    pub file: PathBuf,
    _temp: Option<tempfile::TempPath>,
}

impl UpstreamCa {
    /// A CA made for this run, in a temporary file.
    pub fn fresh() -> Result<Self, HarnessError> {
        let ca = Ca::new("authspec upstream CA").map_err(|e| HarnessError::setup(e.to_string()))?;
        let mut file = tempfile::Builder::new()
            .prefix("authspec-upstream-ca-")
            .suffix(".pem")
            .tempfile()
            .map_err(|e| HarnessError::setup(e.to_string()))?;
        std::io::Write::write_all(&mut file, ca.pem().as_bytes())
            .map_err(|e| HarnessError::setup(e.to_string()))?;
        let temp = file.into_temp_path();
        Ok(Self {
            ca,
            file: temp.to_path_buf(),
            _temp: Some(temp),
        })
    }

    /// A CA written ahead of time (`authspec upstream-ca --out DIR`).
    pub fn stored(ca: Ca, file: PathBuf) -> Self {
        Self {
            ca,
            file,
            _temp: None,
        }
    }
}

/// The upstreams of one suite, running.
pub struct Upstreams {
    servers: Vec<Server>,
    ca_file: String,
}

struct Server {
    name: String,
    mock: MockServer,
    front: Front,
    url: String,
    /// A mode per `UpstreamTls::ALL` entry, made once.
    modes: Vec<(UpstreamTls, Mode)>,
    current: Mutex<UpstreamTls>,
    stub: Arc<StubState>,
}

/// How many requests each upstream had received at some point (as wiremock recorded
/// them, and as the stub logged their arrival).
pub struct Mark(Vec<(usize, usize)>);

impl Upstreams {
    pub async fn start(upstreams: &[Upstream], ca: &UpstreamCa) -> Result<Self, HarnessError> {
        let mut servers = Vec::new();
        for up in upstreams {
            servers.push(start_one(up, &ca.ca).await?);
        }
        Ok(Self {
            servers,
            ca_file: ca.file.display().to_string(),
        })
    }

    /// `{{upstreams.NAME.url}}` and `{{upstreams.ca_file}}`.
    pub fn vars(&self, vars: &mut Vars) {
        vars.insert("upstreams.ca_file".into(), self.ca_file.clone());
        for s in &self.servers {
            vars.insert(format!("upstreams.{}.url", s.name), s.url.clone());
        }
    }

    pub fn name(&self, i: usize) -> &str {
        &self.servers[i].name
    }

    /// Each upstream presents what `chosen` says, a valid certificate otherwise. A
    /// switch closes the upstream's open connections.
    pub fn present(&self, chosen: &[(usize, UpstreamTls)]) {
        for (i, s) in self.servers.iter().enumerate() {
            let want = chosen
                .iter()
                .find(|(j, _)| *j == i)
                .map_or(UpstreamTls::Valid, |(_, t)| *t);
            let Ok(mut current) = s.current.lock() else {
                continue;
            };
            if *current != want
                && let Some((_, mode)) = s.modes.iter().find(|(t, _)| *t == want)
            {
                s.front.set_mode(mode.clone());
                *current = want;
            }
        }
    }

    /// Each upstream misbehaves as `chosen` says, and answers as usual otherwise. A
    /// fault on the wire (a reset, a dripped body) closes the upstream's open connections.
    pub fn stage(&self, chosen: &[(usize, UpstreamFault)]) {
        for (i, s) in self.servers.iter().enumerate() {
            let fault = chosen.iter().find(|(j, _)| *j == i).map(|(_, f)| f.clone());
            s.front.set_wire(match &fault {
                Some(UpstreamFault::Reset) => Wire::Reset,
                Some(UpstreamFault::SlowBody(d)) => Wire::Drip(*d),
                _ => Wire::Relay,
            });
            s.stub.stage(fault);
        }
    }

    pub async fn mark(&self) -> Mark {
        let mut counts = Vec::new();
        for s in &self.servers {
            let recorded = s.mock.received_requests().await.map_or(0, |r| r.len());
            counts.push((recorded, s.stub.arrivals().len()));
        }
        Mark(counts)
    }

    /// The requests each upstream received since `mark`.
    pub async fn since(&self, mark: &Mark) -> Vec<Vec<wiremock::Request>> {
        let mut out = Vec::new();
        for (i, s) in self.servers.iter().enumerate() {
            let all = s.mock.received_requests().await.unwrap_or_default();
            let from = mark.0.get(i).map_or(0, |m| m.0).min(all.len());
            out.push(all[from..].to_vec());
        }
        out
    }

    /// When each upstream's requests since `mark` arrived.
    pub fn arrivals_since(&self, mark: &Mark) -> Vec<Vec<Instant>> {
        self.servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let all = s.stub.arrivals();
                let from = mark.0.get(i).map_or(0, |m| m.1).min(all.len());
                all[from..].to_vec()
            })
            .collect()
    }

    /// The handshakes each upstream saw since the last call, once settled.
    pub async fn handshakes(&self) -> Vec<Vec<Handshake>> {
        let mut out = Vec::new();
        for s in &self.servers {
            out.push(s.front.settled_log(Duration::from_secs(2)).await);
        }
        out
    }
}

async fn start_one(up: &Upstream, ca: &Ca) -> Result<Server, HarnessError> {
    let addr = up
        .listen
        .unwrap_or(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0));
    let listener = TcpListener::bind(addr).map_err(|e| {
        HarnessError::setup(format!(
            "upstream `{}` cannot listen on {addr}: {e}",
            up.name
        ))
    })?;
    let port = listener
        .local_addr()
        .map_err(|e| HarnessError::setup(e.to_string()))?
        .port();
    let mock = MockServer::builder().start().await;
    // One responder for every request: the routes, or the fault a scenario staged;
    // unmatched requests get a 404.
    let stub = Arc::new(StubState::default());
    Mock::given(any())
        .respond_with(Stub {
            routes: up.routes.clone(),
            state: stub.clone(),
        })
        .mount(&mock)
        .await;
    let modes = modes(ca, addr.ip())
        .map_err(|e| HarnessError::setup(format!("upstream `{}`: {e}", up.name)))?;
    let valid = modes
        .iter()
        .find(|(t, _)| *t == UpstreamTls::Valid)
        .map(|(_, m)| m.clone())
        .ok_or_else(|| HarnessError::setup("no valid certificate"))?;
    let front = Front::start(listener, *mock.address(), valid)
        .map_err(|e| HarnessError::setup(format!("upstream `{}`: {e}", up.name)))?;
    Ok(Server {
        name: up.name.clone(),
        mock,
        front,
        url: url(addr.ip(), port),
        modes,
        current: Mutex::new(UpstreamTls::Valid),
        stub,
    })
}

/// `https://localhost:PORT` on loopback or every address, else the address itself (the
/// certificates name both).
fn url(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(v4) if v4 == Ipv4Addr::LOCALHOST || v4.is_unspecified() => {
            format!("https://localhost:{port}")
        }
        IpAddr::V6(v6) if v6.is_loopback() || v6.is_unspecified() => {
            format!("https://localhost:{port}")
        }
        other => format!("https://{}", SocketAddr::new(other, port)),
    }
}

/// Every certificate an upstream can present: for `localhost` and its address.
fn modes(ca: &Ca, ip: IpAddr) -> Result<Vec<(UpstreamTls, Mode)>, HarnessError> {
    let ip = if ip.is_unspecified() {
        Ipv4Addr::LOCALHOST.to_string()
    } else {
        ip.to_string()
    };
    let hosts = ["localhost", ip.as_str()];
    let other_ca =
        Ca::new("authspec untrusted CA").map_err(|e| HarnessError::setup(e.to_string()))?;
    let mut out = Vec::new();
    for (_, tls) in UpstreamTls::ALL {
        let leaf = match tls {
            UpstreamTls::PlainHttp => {
                out.push((tls, Mode::Plain));
                continue;
            }
            UpstreamTls::Valid => ca.issue(&hosts, Validity::Days(30)),
            UpstreamTls::Expired => ca.issue(&hosts, Validity::Expired),
            UpstreamTls::NotYetValid => ca.issue(&hosts, Validity::NotYetValid),
            UpstreamTls::SelfSigned => Ca::self_signed(&hosts),
            UpstreamTls::WrongHost => ca.issue(&["wrong-host.invalid"], Validity::Days(30)),
            UpstreamTls::UntrustedCa => other_ca.issue(&hosts, Validity::Days(30)),
        }
        .map_err(|e| HarnessError::setup(e.to_string()))?;
        let config = server_config(&leaf).map_err(|e| HarnessError::setup(e.to_string()))?;
        out.push((tls, Mode::Tls(config)));
    }
    Ok(out)
}
