//! The notes API that issue 15's acceptance file (`tests/acceptance/notes.yaml`) runs
//! against, on 127.0.0.1, in a flawed and a sound variant. Plain HTTP (wiremock):
//!
//! - `POST /auth/register {username, password}` → 201; 409 when the name is taken.
//! - `POST /auth/login {username, password}` → 200 `{"auth_token": <HS256 JWT>}` (`sub`,
//!   `iat`, `exp` in 5 minutes); 401 `{"message": …}` otherwise.
//! - `GET /me` (Bearer) → 200 `{"username"}`.
//! - `POST /notes {title, body}` (Bearer) → 201 `{"id", "title"}`, owned by the caller;
//!   `GET /notes/{id}` → 200 with the note.
//! - `GET /ops/health` (Basic `ops:<ops password>`) → 200 `{"status": "ok"}`.
//!
//! And an HTTPS admin listener that requires a client certificate of the API's client CA
//! (the test's own, made here): `GET /admin/users` with `Bearer <admin token>` → 200.
//!
//! | | flawed | sound |
//! |---|---|---|
//! | `GET /notes/{id}` | any logged-in user | the owner only (404 for others) |
//! | failed login message | `unknown user` / `wrong password` | `invalid username or password` for both |
//! | HS256 key | `secret` | 32 random bytes |
//! | failed logins | no limit | 429 + `Retry-After: 60` once a user name had `login_limit` failures |
//!
//! A test includes this file with `#[path = "common/notes_api.rs"] mod notes_api;`.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Flawed,
    Sound,
}

/// What the API is started with. `login_limit` counts failed logins per user name before
/// the sound variant answers 429: above what the checks before the rate-limit probe
/// (which runs last) spend on one name, at or below what its burst reaches.
pub struct Options {
    pub variant: Variant,
    pub ops_password: String,
    pub admin_token: String,
    pub login_limit: usize,
}

impl Options {
    pub fn new(variant: Variant, ops_password: &str, admin_token: &str) -> Self {
        Self {
            variant,
            ops_password: ops_password.to_string(),
            admin_token: admin_token.to_string(),
            login_limit: 15,
        }
    }
}

/// The running API; stops when dropped.
pub struct NotesApi {
    server: MockServer,
    state: Arc<Mutex<State>>,
    _admin_backend: MockServer,
    admin: authspec::tls::Front,
    pub variant: Variant,
    /// The HS256 key tokens are signed with (`secret` in the flawed variant).
    pub jwt_key: Vec<u8>,
    /// The CA the admin listener's certificate chains to, for `target.tls.ca_file`.
    pub server_ca_pem: String,
    /// A client certificate (CN=admin) the admin listener accepts, and its key.
    pub admin_cert_pem: String,
    pub admin_key_pem: String,
}

struct User {
    password: String,
    failures: usize,
}

struct State {
    options: Options,
    key: Vec<u8>,
    users: HashMap<String, User>,
    /// id → (owner, title, body).
    notes: Vec<(String, String, String)>,
    /// Every token a login handed out: no output may hold one.
    issued: Vec<String>,
}

impl NotesApi {
    pub async fn start(options: Options) -> Self {
        let variant = options.variant;
        let key = match variant {
            Variant::Flawed => b"secret".to_vec(),
            Variant::Sound => {
                let mut k = vec![0u8; 32];
                aws_lc_rs::rand::fill(&mut k).unwrap();
                k
            }
        };
        let admin_token = options.admin_token.clone();
        let state = Arc::new(Mutex::new(State {
            options,
            key: key.clone(),
            users: HashMap::new(),
            notes: Vec::new(),
            issued: Vec::new(),
        }));
        let server = MockServer::start().await;
        let s = state.clone();
        Mock::given(any())
            .respond_with(move |req: &Request| route(&s, req))
            .mount(&server)
            .await;

        let (admin_backend, admin, pki) = admin_listener(&admin_token).await;
        Self {
            server,
            state,
            _admin_backend: admin_backend,
            admin,
            variant,
            jwt_key: key,
            server_ca_pem: pki.server_ca_pem,
            admin_cert_pem: pki.admin_cert_pem,
            admin_key_pem: pki.admin_key_pem,
        }
    }

    /// Every token a login handed out so far.
    pub fn issued(&self) -> Vec<String> {
        self.state.lock().unwrap().issued.clone()
    }

    /// `NOTES_API_URL`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    /// The admin listener, `https://localhost:PORT`.
    pub fn admin_url(&self) -> String {
        format!("https://localhost:{}", self.admin.addr().port())
    }

    /// What the acceptance file reads next to it: `certs/admin.crt`, `certs/admin.key`,
    /// `certs/server-ca.pem` and `secrets/ops-password.txt`. Copy the file into `dir`
    /// and run it there: the repository holds no key.
    pub fn write_fixtures(&self, dir: &Path, ops_password: &str) {
        std::fs::create_dir_all(dir.join("certs")).unwrap();
        std::fs::create_dir_all(dir.join("secrets")).unwrap();
        std::fs::write(dir.join("certs/admin.crt"), &self.admin_cert_pem).unwrap();
        std::fs::write(dir.join("certs/admin.key"), &self.admin_key_pem).unwrap();
        std::fs::write(dir.join("certs/server-ca.pem"), &self.server_ca_pem).unwrap();
        std::fs::write(
            dir.join("secrets/ops-password.txt"),
            format!("{ops_password}\n"),
        )
        .unwrap();
    }
}

fn json_of(req: &Request) -> Value {
    serde_json::from_slice(&req.body).unwrap_or(Value::Null)
}

fn field(v: &Value, name: &str) -> Option<String> {
    v.get(name).and_then(Value::as_str).map(str::to_string)
}

fn message(status: u16, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({ "message": text }))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn route(state: &Mutex<State>, req: &Request) -> ResponseTemplate {
    let mut st = state.lock().unwrap();
    let path = req.url.path().to_string();
    match (req.method.as_str(), path.as_str()) {
        ("POST", "/auth/register") => register(&mut st, req),
        ("POST", "/auth/login") => login(&mut st, req),
        ("GET", "/me") => match caller(&st, req) {
            Some(user) => ResponseTemplate::new(200).set_body_json(json!({ "username": user })),
            None => unauthorized(),
        },
        ("POST", "/notes") => create_note(&mut st, req),
        ("GET", p) if p.starts_with("/notes/") => read_note(&st, req, &p["/notes/".len()..]),
        ("GET", "/ops/health") => ops_health(&st, req),
        _ => message(404, "no such route"),
    }
}

fn unauthorized() -> ResponseTemplate {
    message(401, "authentication required").insert_header("WWW-Authenticate", "Bearer")
}

fn register(st: &mut State, req: &Request) -> ResponseTemplate {
    let body = json_of(req);
    let (Some(username), Some(password)) = (field(&body, "username"), field(&body, "password"))
    else {
        return message(400, "username and password are required");
    };
    if st.users.contains_key(&username) {
        return message(409, "that username is taken");
    }
    st.users.insert(
        username.clone(),
        User {
            password,
            failures: 0,
        },
    );
    ResponseTemplate::new(201).set_body_json(json!({ "username": username }))
}

fn login(st: &mut State, req: &Request) -> ResponseTemplate {
    let body = json_of(req);
    let (Some(username), Some(password)) = (field(&body, "username"), field(&body, "password"))
    else {
        return message(400, "username and password are required");
    };
    let sound = st.options.variant == Variant::Sound;
    let limit = st.options.login_limit;
    let outcome = match st.users.get_mut(&username) {
        Some(u) if sound && u.failures >= limit => {
            return message(429, "too many attempts").insert_header("Retry-After", "60");
        }
        Some(u) if u.password == password => Ok(()),
        Some(u) => {
            u.failures += 1;
            Err("wrong password")
        }
        None => Err("unknown user"),
    };
    match outcome {
        Ok(()) => {
            let iat = now();
            let claims = json!({ "sub": username, "iat": iat, "exp": iat + 300 });
            let token = jsonwebtoken::encode(
                &Header::new(Algorithm::HS256),
                &claims,
                &EncodingKey::from_secret(&st.key),
            )
            .unwrap();
            st.issued.push(token.clone());
            ResponseTemplate::new(200).set_body_json(json!({ "auth_token": token }))
        }
        Err(_) if sound => message(401, "invalid username or password"),
        Err(why) => message(401, why),
    }
}

/// The user name of a valid `Authorization: Bearer` JWT (HS256 only, unexpired).
fn caller(st: &State, req: &Request) -> Option<String> {
    let header = req.headers.get("authorization")?.to_str().ok()?;
    let token = header.strip_prefix("Bearer ")?;
    let data = jsonwebtoken::decode::<Value>(
        token,
        &DecodingKey::from_secret(&st.key),
        &Validation::new(Algorithm::HS256),
    )
    .ok()?;
    let user = data.claims.get("sub")?.as_str()?.to_string();
    st.users.contains_key(&user).then_some(user)
}

fn create_note(st: &mut State, req: &Request) -> ResponseTemplate {
    let Some(owner) = caller(st, req) else {
        return unauthorized();
    };
    let body = json_of(req);
    let (Some(title), Some(text)) = (field(&body, "title"), field(&body, "body")) else {
        return message(400, "title and body are required");
    };
    st.notes.push((owner, title.clone(), text));
    let id = st.notes.len();
    ResponseTemplate::new(201).set_body_json(json!({ "id": id, "title": title }))
}

fn read_note(st: &State, req: &Request, id: &str) -> ResponseTemplate {
    let Some(user) = caller(st, req) else {
        return unauthorized();
    };
    let note = id
        .parse::<usize>()
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| st.notes.get(i));
    match note {
        Some((owner, title, body)) if st.options.variant == Variant::Flawed || *owner == user => {
            ResponseTemplate::new(200)
                .set_body_json(json!({ "id": id, "title": title, "body": body }))
        }
        _ => message(404, "no such note"),
    }
}

fn ops_health(st: &State, req: &Request) -> ResponseTemplate {
    use base64::Engine;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("ops:{}", st.options.ops_password))
    );
    let given = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if given == Some(expected.as_str()) {
        ResponseTemplate::new(200).set_body_json(json!({ "status": "ok" }))
    } else {
        message(401, "authentication required")
            .insert_header("WWW-Authenticate", "Basic realm=\"ops\"")
    }
}

struct AdminPki {
    server_ca_pem: String,
    admin_cert_pem: String,
    admin_key_pem: String,
}

fn issuer(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, name);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let now = time::OffsetDateTime::now_utc();
    p.not_before = now - time::Duration::days(1);
    p.not_after = now + time::Duration::days(30);
    CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
}

/// The HTTPS admin listener: a TLS front that requires a client certificate of the
/// API's client CA, before a backend that wants the admin token.
async fn admin_listener(token: &str) -> (MockServer, authspec::tls::Front, AdminPki) {
    let server_ca = authspec::tls::Ca::new("notes API server CA").unwrap();
    let leaf = server_ca
        .issue(
            &["localhost", "127.0.0.1"],
            authspec::tls::Validity::Days(30),
        )
        .unwrap();
    let client_ca = issuer("notes API client CA");
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, "admin");
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let now = time::OffsetDateTime::now_utc();
    p.not_before = now - time::Duration::days(1);
    p.not_after = now + time::Duration::days(30);
    let admin_key = KeyPair::generate().unwrap();
    let admin_cert = p.signed_by(&admin_key, &client_ca).unwrap();

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(client_ca.der().clone()).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(leaf.chain.clone(), leaf.key())
        .unwrap();

    let backend = MockServer::start().await;
    let expected = format!("Bearer {token}");
    Mock::given(any())
        .respond_with(move |req: &Request| {
            let authorized = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                == Some(expected.as_str());
            match (req.url.path(), authorized) {
                ("/admin/users", true) => {
                    ResponseTemplate::new(200).set_body_json(json!({ "users": [] }))
                }
                ("/admin/users", false) => unauthorized(),
                _ => message(404, "no such route"),
            }
        })
        .mount(&backend)
        .await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let front = authspec::tls::Front::start(
        listener,
        *backend.address(),
        authspec::tls::Mode::Tls(Arc::new(config)),
    )
    .unwrap();
    let pki = AdminPki {
        server_ca_pem: server_ca.pem(),
        admin_cert_pem: admin_cert.pem(),
        admin_key_pem: admin_key.serialize_pem(),
    };
    (backend, front, pki)
}
