//! Client certificates (mTLS) against rustls listeners started here on 127.0.0.1, with
//! certificates made by rcgen: one listener that requires a client certificate of the
//! test's client CA, and its lax twins (one that asks but lets a client in without one,
//! one that never asks, one that only trusts another CA). Each guarantee is shown on the
//! requiring listener and on a lax twin: a role's certificate is presented (PEM and
//! PKCS#12), a role without one gets nothing; `client_cert_required` passes only where a
//! certificate is required; a bad certificate or key is exit 2 at its field; and the key
//! never reaches any output.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

type Issuer = CertifiedIssuer<'static, KeyPair>;

fn issuer(name: &str) -> Issuer {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, name);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let now = OffsetDateTime::now_utc();
    p.not_before = now - Duration::days(1);
    p.not_after = now + Duration::days(365);
    CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
}

/// A certificate and its PKCS#8 key, as PEM files hold them.
struct Leaf {
    cert_pem: String,
    key_pem: String,
}

impl Leaf {
    fn new(cn: &str, by: &Issuer, client: bool) -> Self {
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.distinguished_name.push(DnType::CommonName, cn);
        if client {
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        } else {
            p.subject_alt_names
                .push(SanType::DnsName(cn.try_into().unwrap()));
        }
        let now = OffsetDateTime::now_utc();
        p.not_before = now - Duration::days(1);
        p.not_after = now + Duration::days(90);
        let key = KeyPair::generate().unwrap();
        let cert = p.signed_by(&key, by).unwrap();
        Self {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }

    fn chain(&self) -> Vec<CertificateDer<'static>> {
        use rustls::pki_types::pem::PemObject;
        CertificateDer::pem_slice_iter(self.cert_pem.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn key(&self) -> PrivateKeyDer<'static> {
        use rustls::pki_types::pem::PemObject;
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from_pem_slice(self.key_pem.as_bytes()).unwrap())
    }

    /// The key's base64 lines: none may appear in any output.
    fn key_lines(&self) -> Vec<String> {
        self.key_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::to_string)
            .collect()
    }

    /// The same certificate and key as a PKCS#12 archive (AES-256, PBKDF2).
    fn pkcs12(&self, password: &str) -> Vec<u8> {
        let key = openssl::pkey::PKey::private_key_from_pem(self.key_pem.as_bytes()).unwrap();
        let cert = openssl::x509::X509::from_pem(self.cert_pem.as_bytes()).unwrap();
        openssl::pkcs12::Pkcs12::builder()
            .name("client")
            .pkey(&key)
            .cert(&cert)
            .build2(password)
            .unwrap()
            .to_der()
            .unwrap()
    }
}

/// How a listener treats client certificates.
#[derive(Clone, Copy, PartialEq)]
enum Auth {
    /// A certificate of the trusted client CA, or no handshake.
    Required,
    /// Asks for one, and lets a client without one in too.
    Optional,
    /// Never asks.
    Never,
    /// Asks for one and lets a client without one in, then refuses it in HTTP, as
    /// nginx's `ssl_verify_client on` does: 400 "No required SSL certificate was sent".
    InHttp,
}

/// An HTTPS listener on 127.0.0.1 for `localhost`. `GET /whoami` answers `client: CN`
/// (`client: none` without a certificate); `GET /leak` answers `leak` (a key, for the
/// redaction test); every answer carries HSTS.
async fn server(leaf: &Leaf, auth: Auth, clients: &Issuer, leak: &str) -> u16 {
    use rustls::version::{TLS12, TLS13};
    serve(leaf, auth, clients, leak, &[&TLS13, &TLS12]).await
}

async fn serve(
    leaf: &Leaf,
    auth: Auth,
    clients: &Issuer,
    leak: &str,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> u16 {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .unwrap();
    let builder = if auth == Auth::Never {
        builder.with_no_client_auth()
    } else {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(clients.der().clone()).unwrap();
        let verifier =
            rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider);
        let verifier = match auth {
            Auth::Optional | Auth::InHttp => verifier.allow_unauthenticated().build().unwrap(),
            _ => verifier.build().unwrap(),
        };
        builder.with_client_cert_verifier(verifier)
    };
    let config = builder.with_single_cert(leaf.chain(), leaf.key()).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let leak = leak.to_string();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let leak = leak.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let client = tls
                    .get_ref()
                    .1
                    .peer_certificates()
                    .and_then(|c| c.first().map(common_name))
                    .unwrap_or_else(|| "none".into());
                let mut buf = vec![0u8; 4096];
                let n = tls.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]);
                let body = if head.starts_with("GET /leak") {
                    leak
                } else {
                    format!("client: {client}")
                };
                let status = if auth == Auth::InHttp && client == "none" {
                    "400 Bad Request"
                } else {
                    "200 OK"
                };
                let body = if status == "200 OK" {
                    body
                } else {
                    "No required SSL certificate was sent".to_string()
                };
                let answer = format!(
                    "HTTP/1.1 {status}\r\nStrict-Transport-Security: max-age=31536000\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

fn common_name(der: &CertificateDer<'_>) -> String {
    let (_, cert) = x509_parser::parse_x509_certificate(der.as_ref()).unwrap();
    cert.subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .unwrap_or("?")
        .to_string()
}

/// The test's certificates: the server's CA and leaf, the client CA and its clients.
struct Pki {
    server_ca: Issuer,
    server: Leaf,
    clients: Issuer,
    admin: Leaf,
    ops: Leaf,
}

impl Pki {
    fn new() -> Self {
        let server_ca = issuer("authspec test server CA");
        let clients = issuer("authspec test client CA");
        Self {
            server: Leaf::new("localhost", &server_ca, false),
            admin: Leaf::new("admin", &clients, true),
            ops: Leaf::new("ops", &clients, true),
            server_ca,
            clients,
        }
    }

    /// `server-ca.pem`, `admin.crt`/`admin.key` and `ops.p12` (password `P12_PASSWORD`).
    fn write_files(&self, dir: &Path, p12_password: &str) {
        std::fs::write(dir.join("server-ca.pem"), self.server_ca.pem()).unwrap();
        std::fs::write(dir.join("admin.crt"), &self.admin.cert_pem).unwrap();
        std::fs::write(dir.join("admin.key"), &self.admin.key_pem).unwrap();
        std::fs::write(dir.join("ops.p12"), self.ops.pkcs12(p12_password)).unwrap();
    }
}

const ROLES: &str = "roles:\n  anonymous: {}\n  admin:\n    client_cert: { cert: \"${file:admin.crt}\", key: \"${file:admin.key}\" }\n  ops:\n    client_cert: { pkcs12: \"${file:ops.p12}\", password: \"${env:P12_PASSWORD}\" }\n";

fn whoami(name: &str, role: &str, body: &str) -> String {
    format!(
        "  - name: {name}\n    as: {role}\n    request: GET /whoami\n    expect: {{ status: 200, body_contains: [\"{body}\"] }}\n"
    )
}

/// The JUnit outcome of the test case whose name contains `name`.
fn outcome(report: &Path, name: &str) -> String {
    let case = format!("//testcase[contains(@name, '{name}')]");
    match (
        count(report, &format!("{case}[failure]")),
        count(report, &format!("{case}[error]")),
        count(report, &case),
    ) {
        (1, 0, 1) => "failure".into(),
        (0, 1, 1) => "error".into(),
        (0, 0, 1) => "pass".into(),
        other => format!("{other:?} test cases named {name}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_presents_its_certificate_pem_or_pkcs12_and_a_role_without_one_gets_nothing() {
    let pki = Pki::new();
    let password = fake_secret("p12");
    let required = server(&pki.server, Auth::Required, &pki.clients, "").await;
    let lax = server(&pki.server, Auth::Optional, &pki.clients, "").await;
    let dir = tempfile::tempdir().unwrap();
    pki.write_files(dir.path(), &password);
    let env = [("P12_PASSWORD", password.as_str())];
    let suite = |port: u16, anonymous_sees: &str| {
        format!(
            "suite: mtls\ntarget:\n  base_url: https://localhost:{port}\n  tls: {{ ca_file: server-ca.pem }}\n{ROLES}scenarios:\n{}{}{}",
            whoami(
                "admin presents its PEM certificate",
                "admin",
                "client: admin"
            ),
            whoami("ops presents its PKCS#12 certificate", "ops", "client: ops"),
            whoami("anonymous presents none", "anonymous", anonymous_sees),
        )
    };

    // Requiring: the roles with a certificate get in; the one without gets no answer,
    // an error that names the refused handshake (no HTTP status to judge).
    write(dir.path(), "req.yaml", &suite(required, "client: none"));
    let report = dir.path().join("req.xml");
    let run = authspec(
        &["run", "req.yaml", "--junit", report.to_str().unwrap()],
        &env,
        dir.path(),
    );
    let log = run.all_output();
    assert_eq!(outcome(&report, "admin presents"), "pass", "{log}");
    assert_eq!(outcome(&report, "ops presents"), "pass", "{log}");
    assert_eq!(outcome(&report, "anonymous presents"), "error", "{log}");
    // Over TLS 1.3 the client learns of the refusal after its handshake: it reads the
    // server's alert, or, when the server closed first, finds the connection gone.
    assert!(
        log.contains("received fatal alert: CertificateRequired")
            || log.contains("connection was not ready"),
        "the error says why: {log}"
    );
    assert_eq!(run.code, 3, "an error and no finding: {log}");

    // The lax twin lets everyone in: each role's client sends its own certificate, and
    // the role without one sends none.
    write(dir.path(), "lax.yaml", &suite(lax, "client: none"));
    let run = authspec(&["run", "lax.yaml"], &env, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_cert_required_passes_only_where_a_certificate_is_required() {
    let pki = Pki::new();
    let required = server(&pki.server, Auth::Required, &pki.clients, "").await;
    let optional = server(&pki.server, Auth::Optional, &pki.clients, "").await;
    let never = server(&pki.server, Auth::Never, &pki.clients, "").await;
    // Requires a certificate of a CA the suite has none of: it refuses everyone, so a
    // refusal without a certificate proves nothing.
    let strangers = issuer("someone else's client CA");
    let everyone_refused = server(&pki.server, Auth::Required, &strangers, "").await;
    let in_http = server(&pki.server, Auth::InHttp, &pki.clients, "").await;
    let dir = tempfile::tempdir().unwrap();
    pki.write_files(dir.path(), "unused");
    let urls = [required, optional, never, everyone_refused, in_http]
        .map(|p| format!("https://localhost:{p}"))
        .join(", ");
    write(
        dir.path(),
        "p.yaml",
        &format!(
            "suite: mtls probe\ntarget:\n  base_url: https://localhost:{required}\n  tls:\n    ca_file: server-ca.pem\n    client_cert: {{ cert: \"${{file:admin.crt}}\", key: \"${{file:admin.key}}\" }}\nprobes:\n  - tls:\n      urls: [{urls}]\n      client_cert_required: true\n"
        ),
    );
    let report = dir.path().join("p.xml");
    let run = authspec(
        &[
            "run",
            "p.yaml",
            "--junit",
            report.to_str().unwrap(),
            "--sarif",
            "p.sarif",
        ],
        &[],
        dir.path(),
    );
    let log = run.all_output();
    assert_eq!(run.code, 1, "{log}");
    let case = |port: u16| format!(":{port}: client_cert_required");
    assert_eq!(outcome(&report, &case(required)), "pass", "{log}");
    assert_eq!(outcome(&report, &case(optional)), "failure", "{log}");
    assert_eq!(outcome(&report, &case(never)), "failure", "{log}");
    assert_eq!(outcome(&report, &case(everyone_refused)), "error", "{log}");
    // nginx's refusal in HTTP, and the same request with the certificate answered 200.
    assert_eq!(outcome(&report, &case(in_http)), "pass", "{log}");
    let junit = std::fs::read_to_string(&report).unwrap();
    assert!(
        junit.contains("a refusal in HTTP, as nginx makes it"),
        "{junit}"
    );
    assert!(
        log.contains("asked for a client certificate, completed the handshake without one"),
        "{log}"
    );
    assert!(
        log.contains("never asked for a client certificate"),
        "{log}"
    );
    assert!(
        log.contains("proves nothing about client certificates"),
        "{log}"
    );
    // The rule and its CWE travel with the finding.
    let failure = xpath(
        &report,
        &format!(
            "string(//testcase[contains(@name, '{}')]/failure/@message)",
            case(never)
        ),
    );
    assert!(failure.contains("never asked"), "{failure}");
    let sarif = std::fs::read_to_string(dir.path().join("p.sarif")).unwrap();
    assert!(sarif.contains("\"tls.client_cert_required\""), "{sarif}");
    assert!(sarif.contains("external/cwe/cwe-306"), "{sarif}");
    assert!(sarif.contains("external/cwe/cwe-295"), "{sarif}");
    // The other TLS cases of the requiring listener still pass: their handshakes judge
    // its certificate, and HSTS is read with the suite's certificate.
    for check in ["certificate_trusted", "hostname_matches", "hsts"] {
        assert_eq!(
            outcome(&report, &format!(":{required}: {check}")),
            "pass",
            "{log}"
        );
    }
}

/// TLS 1.2 refuses a client without a certificate inside the handshake: the version was
/// still accepted and the chain sent, so only `client_cert_required` tells the listeners
/// apart; the certificate and protocol cases pass on both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_1_2_a_refused_client_certificate_is_no_refused_version() {
    use rustls::version::TLS12;
    let pki = Pki::new();
    let required = serve(&pki.server, Auth::Required, &pki.clients, "", &[&TLS12]).await;
    let lax = serve(&pki.server, Auth::Optional, &pki.clients, "", &[&TLS12]).await;
    let dir = tempfile::tempdir().unwrap();
    pki.write_files(dir.path(), "unused");
    write(
        dir.path(),
        "t.yaml",
        &format!(
            "suite: tls 1.2
target:
  base_url: https://localhost:{required}
  tls: {{ ca_file: server-ca.pem }}
probes:
  - tls:
      urls: [https://localhost:{required}, https://localhost:{lax}]
      client_cert_required: true
"
        ),
    );
    let report = dir.path().join("t.xml");
    let run = authspec(
        &["run", "t.yaml", "--junit", report.to_str().unwrap()],
        &[],
        dir.path(),
    );
    let log = run.all_output();
    for port in [required, lax] {
        for check in [
            "certificate_trusted",
            "hostname_matches",
            "key_strength",
            "modern_protocol_offered",
        ] {
            assert_eq!(
                outcome(&report, &format!(":{port}: {check}")),
                "pass",
                "{log}"
            );
        }
    }
    assert_eq!(
        outcome(&report, &format!(":{required}: client_cert_required")),
        "pass",
        "{log}"
    );
    assert_eq!(
        outcome(&report, &format!(":{lax}: client_cert_required")),
        "failure",
        "{log}"
    );
}

/// Each suite differs from the good one in one field; the error names that field's line
/// and column, and the key never shows.
#[test]
fn a_client_certificate_that_cannot_be_used_is_exit_2_at_its_field() {
    let pki = Pki::new();
    let other = Leaf::new("other", &pki.clients, true);
    let dir = tempfile::tempdir().unwrap();
    pki.write_files(dir.path(), "right-password");
    std::fs::write(dir.path().join("other.key"), &other.key_pem).unwrap();
    std::fs::write(dir.path().join("garbage.pem"), "not a certificate\n").unwrap();
    let cases = [
        (
            "cert: \"${file:garbage.pem}\", key: \"${file:admin.key}\"",
            "cert:",
            "holds no PEM certificate",
        ),
        (
            "cert: \"${file:admin.crt}\", key: \"${file:other.key}\"",
            "key:",
            "does not belong to its certificate (CN=admin)",
        ),
        (
            "cert: \"${file:admin.crt}\", key: \"${file:admin.crt}\"",
            "key:",
            "holds no PEM private key",
        ),
        (
            "pkcs12: \"${file:ops.p12}\", password: \"${env:P12_PASSWORD}\"",
            "pkcs12:",
            "cannot open `roles.admin.client_cert.pkcs12`",
        ),
        (
            "cert: \"${file:admin.crt}\", key: \"${file:admin.key}\", password: \"${env:P12_PASSWORD}\"",
            "{",
            "opens a `pkcs12` archive, and there is none",
        ),
    ];
    for (fields, at, message) in cases {
        let line = format!("    client_cert: {{ {fields} }}");
        let column = match at {
            "{" => line.find('{').unwrap() + 1,
            _ => line.find(&format!("{at} \"")).unwrap() + at.len() + 2,
        };
        write(
            dir.path(),
            "c.yaml",
            &format!(
                "suite: bad\ntarget:\n  base_url: https://localhost:1\nroles:\n  admin:\n{line}\naccess:\n  - request: GET /\n    allow: [admin]\n"
            ),
        );
        let run = authspec(
            &["run", "c.yaml"],
            &[("P12_PASSWORD", "wrong-password")],
            dir.path(),
        );
        let log = run.all_output();
        assert_eq!(run.code, 2, "{fields}: {log}");
        assert!(log.contains(message), "{fields}: {log}");
        assert!(
            log.contains(&format!("c.yaml:6:{column}")),
            "{fields}: want 6:{column}: {log}"
        );
        for secret in pki.admin.key_lines().iter().chain(&other.key_lines()) {
            assert!(
                !log.contains(secret.as_str()),
                "{fields}: a key line shows: {log}"
            );
        }
    }
}

/// A listener that answers the admin's key back: the leak is found, and the key is in no
/// output (console, JUnit, JSON, SARIF, HTML) in any form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_reaches_no_output() {
    let pki = Pki::new();
    let password = fake_secret("p12");
    let port = server(
        &pki.server,
        Auth::Required,
        &pki.clients,
        &pki.admin.key_pem,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    pki.write_files(dir.path(), &password);
    write(
        dir.path(),
        "k.yaml",
        &format!(
            "suite: key\ntarget:\n  base_url: https://localhost:{port}\n  tls: {{ ca_file: server-ca.pem }}\n{ROLES}scenarios:\n  - name: the API echoes a key\n    as: admin\n    request: GET /leak\n    expect: {{ status: 200 }}\n{}",
            whoami("ops gets in", "ops", "client: ops")
        ),
    );
    let out = dir.path();
    let reports = ["r.xml", "r.json", "r.sarif", "r.html"].map(|f| out.join(f));
    let run = authspec(
        &[
            "run",
            "k.yaml",
            "--junit",
            reports[0].to_str().unwrap(),
            "--json",
            reports[1].to_str().unwrap(),
            "--sarif",
            reports[2].to_str().unwrap(),
            "--html",
            reports[3].to_str().unwrap(),
        ],
        &[("P12_PASSWORD", password.as_str())],
        out,
    );
    let log = run.all_output();
    assert_eq!(run.code, 1, "the echoed key is a finding: {log}");
    assert!(log.contains("«redacted:admin.client_cert.key»"), "{log}");
    let mut texts = vec![log.clone()];
    texts.extend(reports.iter().map(|r| std::fs::read_to_string(r).unwrap()));
    for text in &texts {
        for line in pki.admin.key_lines().iter().chain(&pki.ops.key_lines()) {
            assert!(!text.contains(line.as_str()), "a key line shows: {text}");
        }
        assert!(
            !text.contains(&password),
            "the PKCS#12 password shows: {text}"
        );
    }
}

/// `client_cert` on a role of `authspec.yaml`, used by a feature; the tls probe's table
/// takes `client_cert_required`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feature_uses_a_role_with_a_certificate_and_the_probe_step_requires_one() {
    let pki = Pki::new();
    let required = server(&pki.server, Auth::Required, &pki.clients, "").await;
    let lax = server(&pki.server, Auth::Optional, &pki.clients, "").await;
    let dir = tempfile::tempdir().unwrap();
    pki.write_files(dir.path(), "unused");
    for (port, probe) in [(required, "pass"), (lax, "failure")] {
        write(
            dir.path(),
            "authspec.yaml",
            &format!(
                "target:\n  base_url: https://localhost:{port}\n  tls: {{ ca_file: server-ca.pem }}\nroles:\n  admin:\n    client_cert: {{ cert: \"${{file:admin.crt}}\", key: \"${{file:admin.key}}\" }}\n"
            ),
        );
        write(
            dir.path(),
            "m.feature",
            "Feature: mtls\n  Scenario: the admin presents its certificate\n    Given I am \"admin\"\n    When I send \"GET /whoami\"\n    Then the response body contains \"client: admin\"\n\n  Scenario: the listener requires one\n    Then the tls probe passes with:\n      | client_cert_required | true |\n",
        );
        let report = dir.path().join("m.xml");
        let run = authspec(
            &["run", "m.feature", "--junit", report.to_str().unwrap()],
            &[],
            dir.path(),
        );
        let log = run.all_output();
        assert_eq!(outcome(&report, "the admin presents"), "pass", "{log}");
        assert_eq!(
            outcome(&report, &format!(":{port}: client_cert_required")),
            probe,
            "{log}"
        );
    }
    // A misspelt value is a load error at its cell.
    write(
        dir.path(),
        "m.feature",
        "Feature: mtls\n  Scenario: s\n    Then the tls probe passes with:\n      | client_cert_required | yes |\n",
    );
    let run = authspec(&["run", "m.feature"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.all_output().contains("m.feature:4:"),
        "{}",
        run.all_output()
    );
}

/// `validate` without the variables a certificate comes from lints the rest; with them,
/// and with `--require-env`, the certificate is checked like `run` checks it.
#[test]
fn validate_checks_a_certificate_only_when_its_variables_are_set() {
    let pki = Pki::new();
    let dir = tempfile::tempdir().unwrap();
    pki.write_files(dir.path(), "right-password");
    write(
        dir.path(),
        "v.yaml",
        "suite: v\ntarget:\n  base_url: https://localhost:1\nroles:\n  admin:\n    client_cert: { cert: \"${file:admin.crt}\", key: \"${env:ADMIN_KEY}\" }\n  ops:\n    client_cert: { pkcs12: \"${file:ops.p12}\", password: \"${env:P12_PASSWORD}\" }\naccess:\n  - request: GET /\n    allow: [admin, ops]\n",
    );
    let run = authspec(&["validate", "v.yaml"], &[], dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    assert!(
        run.stdout.contains("ADMIN_KEY, P12_PASSWORD"),
        "{}",
        run.stdout
    );
    let good = [
        ("ADMIN_KEY", pki.admin.key_pem.as_str()),
        ("P12_PASSWORD", "right-password"),
    ];
    let run = authspec(&["validate", "--require-env", "v.yaml"], &good, dir.path());
    assert_eq!(run.code, 0, "{}", run.all_output());
    let bad = [
        ("ADMIN_KEY", "not a key"),
        ("P12_PASSWORD", "right-password"),
    ];
    let run = authspec(&["validate", "v.yaml"], &bad, dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(
        run.all_output().contains("v.yaml:6:"),
        "{}",
        run.all_output()
    );
}
