//! Where the demo listens, decided before suites load so `${demo:url}`,
//! `${demo:https_url}` and `${demo:ca_file}` resolve: a plain HTTP port, an HTTPS port
//! whose certificate comes from a CA made for this process, and that CA's file.

use std::net::TcpListener;

use crate::tls::{Ca, Leaf, Validity};

pub struct DemoEndpoints {
    pub(super) plain: TcpListener,
    pub(super) tls: TcpListener,
    pub(super) leaf: Leaf,
    ca_file: tempfile::TempPath,
    url: String,
    https_url: String,
}

impl DemoEndpoints {
    pub fn bind() -> std::io::Result<Self> {
        let plain = TcpListener::bind("127.0.0.1:0")?;
        let tls = TcpListener::bind("127.0.0.1:0")?;
        let ca = Ca::new("authspec demo CA").map_err(std::io::Error::other)?;
        let leaf = ca
            .issue(&["localhost", "127.0.0.1"], Validity::Days(90))
            .map_err(std::io::Error::other)?;
        let mut file = tempfile::Builder::new()
            .prefix("authspec-demo-ca-")
            .suffix(".pem")
            .tempfile()?;
        std::io::Write::write_all(&mut file, ca.pem().as_bytes())?;
        Ok(Self {
            url: format!("http://127.0.0.1:{}", plain.local_addr()?.port()),
            https_url: format!("https://localhost:{}", tls.local_addr()?.port()),
            plain,
            tls,
            leaf,
            ca_file: file.into_temp_path(),
        })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn https_url(&self) -> &str {
        &self.https_url
    }

    /// By the names `${demo:NAME}` uses. None of these is a secret.
    pub fn references(&self) -> Vec<(&'static str, String)> {
        vec![
            ("url", self.url.clone()),
            ("https_url", self.https_url.clone()),
            ("ca_file", self.ca_file.display().to_string()),
        ]
    }
}
