//! Stub upstreams at run time: one wiremock server per upstream (recording on) behind a
//! TLS front whose certificate each scenario chooses, and what each upstream received
//! since a mark.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use wiremock::matchers::{any, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::model::template::Vars;
use crate::model::{Body, Route, Upstream, UpstreamTls};
use crate::results::HarnessError;
use crate::tls::{Ca, Front, Handshake, Mode, Validity, server_config};

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
}

/// How many requests each upstream had received at some point.
pub struct Mark(Vec<usize>);

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

    pub async fn mark(&self) -> Mark {
        let mut counts = Vec::new();
        for s in &self.servers {
            counts.push(s.mock.received_requests().await.map_or(0, |r| r.len()));
        }
        Mark(counts)
    }

    /// The requests each upstream received since `mark`.
    pub async fn since(&self, mark: &Mark) -> Vec<Vec<wiremock::Request>> {
        let mut out = Vec::new();
        for (i, s) in self.servers.iter().enumerate() {
            let all = s.mock.received_requests().await.unwrap_or_default();
            let from = mark.0.get(i).copied().unwrap_or(0).min(all.len());
            out.push(all[from..].to_vec());
        }
        out
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
    for route in &up.routes {
        mount(&mock, route).await;
    }
    // Unmatched requests get a 404 that, like every answer, closes the connection.
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).insert_header("connection", "close"))
        .with_priority(u8::MAX)
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

async fn mount(mock: &MockServer, route: &Route) {
    // No connection outlives its answer: a SUT's pooled connection must not carry a
    // request past the switch to another certificate.
    let mut respond = ResponseTemplate::new(route.status).insert_header("connection", "close");
    for (k, v) in &route.headers {
        respond = respond.insert_header(k.as_str(), v.as_str());
    }
    respond = match &route.body {
        Some(Body::Json(j)) => respond.set_body_json(j),
        Some(Body::Text(t)) => respond.set_body_string(t.clone()),
        // Stubs answer JSON or text only; the loader never makes a form answer.
        Some(Body::Form(_)) => respond,
        None => respond,
    };
    let mut m = Mock::given(method(route.method.as_str())).and(path(route.path.as_str()));
    for (k, v) in &route.query {
        m = m.and(query_param(k.as_str(), v.as_str()));
    }
    m.respond_with(respond).mount(mock).await;
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
