//! The `tls` probe against endpoints started here, each broken in one way: certificates
//! made with rcgen (expired, not yet valid, wrong host, self-signed, incomplete chain,
//! expiring soon) and OpenSSL (RSA-1024), rustls listeners offering chosen protocol
//! versions, an OpenSSL listener that still speaks TLS 1.0, and plain-HTTP listeners that
//! serve, redirect or refuse. Every check is shown passing on the good endpoint and
//! failing on the endpoint broken for it.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use common::*;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const YEAR: &str = "max-age=31536000; includeSubDomains";

fn ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, name);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let now = OffsetDateTime::now_utc();
    p.not_before = now - Duration::days(1);
    p.not_after = now + Duration::days(365);
    CertifiedIssuer::self_signed(p, KeyPair::generate().unwrap()).unwrap()
}

struct Leaf {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

/// A leaf for `host`, valid from `from` to `to` days from now, signed by `issuer`
/// (self-signed when `None`); `extra` is sent after it (intermediates).
fn leaf(
    host: &str,
    from: i64,
    to: i64,
    issuer: Option<&CertifiedIssuer<'static, KeyPair>>,
    extra: &[CertificateDer<'static>],
) -> Leaf {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.distinguished_name.push(DnType::CommonName, host);
    p.subject_alt_names
        .push(SanType::DnsName(host.try_into().unwrap()));
    let now = OffsetDateTime::now_utc();
    p.not_before = now + Duration::days(from);
    p.not_after = now + Duration::days(to);
    let key = KeyPair::generate().unwrap();
    let cert = match issuer {
        Some(i) => p.signed_by(&key, i).unwrap(),
        None => p.self_signed(&key).unwrap(),
    };
    let mut chain = vec![cert.der().clone()];
    chain.extend_from_slice(extra);
    Leaf {
        chain,
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

/// A rustls HTTPS listener on 127.0.0.1 offering `versions`; every request gets 200
/// with `hsts` as its Strict-Transport-Security header (none when empty).
async fn rustls_server(
    leaf: Leaf,
    versions: &[&'static rustls::SupportedProtocolVersion],
    hsts: &'static str,
) -> u16 {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(leaf.chain, leaf.key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    let mut buf = vec![0u8; 4096];
                    let _ = tls.read(&mut buf).await;
                    let _ = tls.write_all(response(hsts).as_bytes()).await;
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    port
}

fn response(hsts: &str) -> String {
    let header = if hsts.is_empty() {
        String::new()
    } else {
        format!("Strict-Transport-Security: {hsts}\r\n")
    };
    format!("HTTP/1.1 200 OK\r\n{header}Content-Length: 2\r\nConnection: close\r\n\r\nok")
}

/// An OpenSSL listener that still speaks TLS 1.0 (security level 0), serving an
/// RSA-1024 leaf signed by `issuer`: a legacy server.
fn legacy_server(issuer: &CertifiedIssuer<'static, KeyPair>, issuer_key_pem: &str) -> u16 {
    use openssl::asn1::Asn1Time;
    use openssl::hash::MessageDigest;
    use openssl::pkey::PKey;
    use openssl::ssl::{SslAcceptor, SslMethod, SslVersion};
    use openssl::x509::extension::SubjectAlternativeName;
    use openssl::x509::{X509, X509NameBuilder};

    let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(1024).unwrap()).unwrap();
    let ca_cert = X509::from_der(issuer.der()).unwrap();
    let ca_key = PKey::private_key_from_pem(issuer_key_pem.as_bytes()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "localhost").unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(ca_cert.subject_name()).unwrap();
    b.set_pubkey(&rsa).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(60).unwrap())
        .unwrap();
    let serial = openssl::bn::BigNum::from_u32(7)
        .unwrap()
        .to_asn1_integer()
        .unwrap();
    b.set_serial_number(&serial).unwrap();
    let san = SubjectAlternativeName::new()
        .dns("localhost")
        .build(&b.x509v3_context(Some(&ca_cert), None))
        .unwrap();
    b.append_extension(san).unwrap();
    b.sign(&ca_key, MessageDigest::sha256()).unwrap();
    let cert = b.build();

    let mut acceptor = SslAcceptor::mozilla_intermediate(SslMethod::tls_server()).unwrap();
    acceptor
        .set_min_proto_version(Some(SslVersion::TLS1))
        .unwrap();
    acceptor.set_cipher_list("ALL:@SECLEVEL=0").unwrap();
    acceptor.set_private_key(&rsa).unwrap();
    acceptor.set_certificate(&cert).unwrap();
    acceptor.add_extra_chain_cert(ca_cert).unwrap();
    let acceptor = acceptor.build();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let acceptor = acceptor.clone();
            std::thread::spawn(move || {
                if let Ok(mut tls) = acceptor.accept(tcp) {
                    let mut buf = [0u8; 4096];
                    let _ = tls.read(&mut buf);
                    let _ = tls.write_all(response(YEAR).as_bytes());
                    let _ = tls.shutdown();
                }
            });
        }
    });
    port
}

/// The outcome of case `check` of `port` in the report: "pass", "failure" or "error".
fn outcome(report: &std::path::Path, port: u16, check: &str) -> String {
    let case = format!(
        "//testcase[@name='tls localhost:{port}: {check}' or contains(@name, ':{port}: {check}')]"
    );
    if count(report, &format!("{case}[failure]")) == 1 {
        "failure".into()
    } else if count(report, &format!("{case}[error]")) == 1 {
        "error".into()
    } else if count(report, &case) == 1 {
        "pass".into()
    } else {
        format!("missing: {case}")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_tls_check_passes_on_a_good_endpoint_and_fails_on_its_broken_one() {
    use rustls::version::{TLS12, TLS13};
    let root = ca("authspec test root");
    let root_key_pem = root.key().serialize_pem();
    // An intermediate CA: a leaf it signs is trusted only when the server sends it too.
    let mut ip = CertificateParams::new(Vec::<String>::new()).unwrap();
    ip.distinguished_name
        .push(DnType::CommonName, "authspec test intermediate");
    ip.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let now = OffsetDateTime::now_utc();
    ip.not_before = now - Duration::days(1);
    ip.not_after = now + Duration::days(365);
    let inter = CertifiedIssuer::signed_by(ip, KeyPair::generate().unwrap(), &root).unwrap();
    let other_ca = ca("someone else's CA");

    let both = [&TLS13, &TLS12];
    let good = rustls_server(leaf("localhost", -1, 90, Some(&root), &[]), &both, YEAR).await;
    let chained = rustls_server(
        leaf("localhost", -1, 90, Some(&inter), &[inter.der().clone()]),
        &both,
        YEAR,
    )
    .await;
    let incomplete = rustls_server(leaf("localhost", -1, 90, Some(&inter), &[]), &both, YEAR).await;
    let untrusted =
        rustls_server(leaf("localhost", -1, 90, Some(&other_ca), &[]), &both, YEAR).await;
    let self_signed = rustls_server(leaf("localhost", -1, 90, None, &[]), &both, YEAR).await;
    let wrong_host = rustls_server(
        leaf("api.other.test", -1, 90, Some(&root), &[]),
        &both,
        YEAR,
    )
    .await;
    let expired = rustls_server(leaf("localhost", -90, -1, Some(&root), &[]), &both, YEAR).await;
    let future = rustls_server(leaf("localhost", 30, 120, Some(&root), &[]), &both, YEAR).await;
    let soon = rustls_server(leaf("localhost", -1, 5, Some(&root), &[]), &both, YEAR).await;
    let tls12_only =
        rustls_server(leaf("localhost", -1, 90, Some(&root), &[]), &[&TLS12], YEAR).await;
    let tls13_only =
        rustls_server(leaf("localhost", -1, 90, Some(&root), &[]), &[&TLS13], YEAR).await;
    let no_hsts = rustls_server(leaf("localhost", -1, 90, Some(&root), &[]), &both, "").await;
    let short_hsts = rustls_server(
        leaf("localhost", -1, 90, Some(&root), &[]),
        &both,
        "max-age=300",
    )
    .await;
    let legacy = legacy_server(&root, &root_key_pem);
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), root.pem()).unwrap();
    let servers = [
        good,
        chained,
        incomplete,
        untrusted,
        self_signed,
        wrong_host,
        expired,
        future,
        soon,
        no_hsts,
        short_hsts,
        legacy,
        closed,
    ];
    let urls: Vec<String> = servers
        .iter()
        .map(|p| format!("https://localhost:{p}"))
        .collect();
    let suite = |urls: &[String], min_version: &str, plain: &str| {
        format!(
            "suite: transport\ntarget:\n  base_url: https://localhost:{good}\n  tls:\n    ca_file: ca.pem\nprobes:\n  - tls:\n      urls: [{}]\n      min_version: \"{min_version}\"\n      min_days_to_expiry: 14\n      min_rsa_bits: 2048\n      hsts_min_age: 15552000\n{plain}",
            urls.join(", ")
        )
    };
    write(dir.path(), "t.yaml", &suite(&urls, "1.2", ""));
    let report = dir.path().join("r.xml");
    let run = authspec(
        &["run", "t.yaml", "--junit", report.to_str().unwrap()],
        &[],
        dir.path(),
    );
    let log = &run.stdout;
    assert_eq!(run.code, 1, "{log}\n{}", run.stderr);
    assert_valid_junit(&report);
    assert_eq!(count(&report, "//testcase"), 9 * servers.len(), "{log}");

    let checks = [
        "certificate_trusted",
        "hostname_matches",
        "not_expired",
        "not_yet_valid",
        "expiry_horizon",
        "key_strength",
        "legacy_protocols_refused",
        "modern_protocol_offered",
        "hsts",
    ];
    for port in [good, chained] {
        for check in checks {
            assert_eq!(
                outcome(&report, port, check),
                "pass",
                "{port} {check}\n{log}"
            );
        }
    }
    let expect_failure = [
        (incomplete, "certificate_trusted"),
        (untrusted, "certificate_trusted"),
        (self_signed, "certificate_trusted"),
        (wrong_host, "hostname_matches"),
        (expired, "not_expired"),
        (expired, "expiry_horizon"),
        (future, "not_yet_valid"),
        (soon, "expiry_horizon"),
        (no_hsts, "hsts"),
        (short_hsts, "hsts"),
        (legacy, "key_strength"),
        (legacy, "legacy_protocols_refused"),
    ];
    for (port, check) in expect_failure {
        assert_eq!(
            outcome(&report, port, check),
            "failure",
            "{port} {check}\n{log}"
        );
    }
    // Each broken endpoint fails only where it is broken.
    for port in [
        incomplete,
        untrusted,
        self_signed,
        wrong_host,
        future,
        soon,
        no_hsts,
    ] {
        let failing = count(
            &report,
            &format!("//testcase[contains(@name, ':{port}: ')][failure]"),
        );
        assert_eq!(failing, 1, "{port}\n{log}");
    }
    // An unreachable URL measures nothing: errors, not failures or passes.
    for check in checks {
        assert_eq!(outcome(&report, closed, check), "error", "{check}\n{log}");
    }
    // The failures say what was seen.
    for says in [
        "the certificate is not valid for `localhost`: it names api.other.test",
        "the certificate expired on",
        "the certificate is not valid before",
        "days left), policy: at least 14 days",
        "the certificate's key is RSA 1024 bits, policy: at least 2048 bits",
        "the server accepted TLS 1.0 and TLS 1.1",
        "no Strict-Transport-Security header",
        "max-age 300 is below the policy's 15552000",
        "subject CN=localhost, issuer CN=someone else's CA",
        "unreachable",
    ] {
        assert!(log.contains(says), "expected {says:?} in\n{log}");
    }

    // min_version 1.3: a TLS 1.2-only server offers nothing modern enough, and
    // accepting 1.2 counts as legacy.
    let plain_ok = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&plain_ok)
        .await;
    let redirecting = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(301)
                .insert_header("Location", format!("https://localhost:{good}/").as_str()),
        )
        .mount(&redirecting)
        .await;
    // Accepts, then never answers: silence proves nothing, so an error.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    for (plain, verdict) in [
        (format!("http://127.0.0.1:{silent_port}"), "error"),
        (plain_ok.uri(), "failure"),
        (redirecting.uri(), "pass"),
        (format!("http://127.0.0.1:{closed}"), "pass"),
    ] {
        let urls = [
            format!("https://localhost:{tls12_only}"),
            format!("https://localhost:{tls13_only}"),
        ];
        write(
            dir.path(),
            "t13.yaml",
            &suite(&urls, "1.3", &format!("      plain_http: {plain}\n")),
        );
        let run = authspec(
            &[
                "run",
                "t13.yaml",
                "--timeout",
                "2",
                "--junit",
                report.to_str().unwrap(),
            ],
            &[],
            dir.path(),
        );
        let log = &run.stdout;
        assert_eq!(count(&report, "//testcase"), 19, "{log}");
        let plain_port: u16 = plain.rsplit(':').next().unwrap().parse().unwrap();
        assert_eq!(
            outcome(&report, plain_port, "plain_http_refused_or_redirected"),
            verdict,
            "{plain}\n{log}"
        );
        assert_eq!(
            outcome(&report, tls12_only, "modern_protocol_offered"),
            "failure",
            "{log}"
        );
        assert_eq!(
            outcome(&report, tls12_only, "legacy_protocols_refused"),
            "failure",
            "{log}"
        );
        assert!(
            log.contains("the server accepted TLS 1.2 (below the policy's TLS 1.3)"),
            "{log}"
        );
        assert_eq!(
            outcome(&report, tls13_only, "modern_protocol_offered"),
            "pass",
            "{log}"
        );
        assert_eq!(
            outcome(&report, tls13_only, "legacy_protocols_refused"),
            "pass",
            "{log}"
        );
    }
}

/// The suite's own requests verify TLS: an untrusted certificate is an error of the
/// request, the same certificate under a `ca_file` that trusts its CA passes (the roots
/// are read on the first handshake), and `verify: false` lets it through but marks every
/// case with a warning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suite_requests_verify_tls_unless_turned_off_with_a_warning() {
    use rustls::version::{TLS12, TLS13};
    let other = ca("someone else's CA");
    let port = rustls_server(
        leaf("localhost", -1, 90, Some(&other), &[]),
        &[&TLS13, &TLS12],
        YEAR,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), other.pem()).unwrap();
    // An untrusted certificate is an error of every request, and no finding: exit 3.
    for (verify, code) in [
        ("", 3),
        ("\n  tls:\n    ca_file: ca.pem", 0),
        ("\n  tls:\n    verify: false", 0),
    ] {
        write(
            dir.path(),
            "v.yaml",
            &format!(
                "suite: verify\ntarget:\n  base_url: https://localhost:{port}{verify}\nroles:\n  anonymous: {{}}\nscenarios:\n  - name: fetch\n    as: anonymous\n    request: GET /\n    expect: {{ status: 200 }}\n  - name: fetch again\n    as: anonymous\n    request: GET /\n    expect: {{ status: 200 }}\n"
            ),
        );
        let report = dir.path().join("v.xml");
        let run = authspec(
            &["run", "v.yaml", "--junit", report.to_str().unwrap()],
            &[],
            dir.path(),
        );
        assert_eq!(run.code, code, "{}", run.stdout);
        if code == 3 {
            assert_eq!(count(&report, "//testcase[error]"), 2, "{}", run.stdout);
            assert!(run.stdout.contains("could not be made"), "{}", run.stdout);
        } else {
            assert_eq!(count(&report, "//testcase[not(failure) and not(error)]"), 2);
            let warned = if verify.contains("verify: false") {
                2
            } else {
                0
            };
            assert_eq!(
                count(
                    &report,
                    "//testcase/system-out[contains(., 'TLS verification is off')]"
                ),
                warned,
                "{}",
                run.stdout
            );
        }
    }
}

/// The same probe written in Gherkin: a key table, the target as the default URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tls_probe_in_gherkin_checks_the_target_by_default() {
    use rustls::version::{TLS12, TLS13};
    let root = ca("authspec test root");
    let port = rustls_server(
        leaf("localhost", -1, 90, Some(&root), &[]),
        &[&TLS13, &TLS12],
        YEAR,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), root.pem()).unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        &format!(
            "target:\n  base_url: https://localhost:{port}\n  tls:\n    ca_file: ca.pem\nroles:\n  anonymous: {{}}\n"
        ),
    );
    write(
        dir.path(),
        "t.feature",
        "Feature: transport\n  Scenario: the API meets the TLS policy\n    Then the tls probe passes with:\n      | min_version        | 1.2      |\n      | min_days_to_expiry | 14       |\n      | hsts_min_age       | 15552000 |\n",
    );
    let report = dir.path().join("g.xml");
    let run = authspec(
        &["run", "t.feature", "--junit", report.to_str().unwrap()],
        &[],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        count(
            &report,
            &format!("//testcase[starts-with(@name, 'tls localhost:{port}: ')]")
        ),
        9,
        "{}",
        run.stdout
    );
}
