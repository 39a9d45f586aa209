//! The built-in demo target: an orders API served in-process (wiremock) with correct and
//! deliberately flawed endpoints, so a first run shows passes and real findings.

mod credentials;
mod hygiene;
mod orders;

pub use credentials::DemoCredentials;

use std::net::TcpListener;

use wiremock::MockServer;

pub struct DemoServer {
    server: MockServer,
    pub credentials: DemoCredentials,
}

impl DemoServer {
    /// Serves the demo on `listener`, or on a free port of 127.0.0.1.
    pub async fn start(
        credentials: DemoCredentials,
        listener: Option<TcpListener>,
    ) -> std::io::Result<Self> {
        let listener = match listener {
            Some(l) => l,
            None => TcpListener::bind("127.0.0.1:0")?,
        };
        // Recording every request would grow without bound in a long-running demo.
        let server = MockServer::builder()
            .listener(listener)
            .disable_request_recording()
            .start()
            .await;
        orders::mount(&server, &credentials).await;
        hygiene::mount(&server, &credentials).await;
        Ok(Self {
            server,
            credentials,
        })
    }

    pub fn url(&self) -> String {
        self.server.uri()
    }
}
