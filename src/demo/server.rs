//! `DemoServer`: the demo API on a local port, plain HTTP and, with endpoints, HTTPS in
//! front of it.

use std::net::TcpListener;

use wiremock::MockServer;

use super::{DemoCredentials, DemoEndpoints, hygiene, openapi, orders};

/// The demo API, served until dropped.
pub struct DemoServer {
    server: MockServer,
    pub credentials: DemoCredentials,
    /// HTTPS in front of the same API, when started with endpoints.
    _tls: Option<(crate::tls::Front, DemoEndpoints)>,
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
        openapi::mount(&server).await;
        Ok(Self {
            server,
            credentials,
            _tls: None,
        })
    }

    /// Serves the demo on the endpoints chosen before loading: plain HTTP, and HTTPS
    /// with the demo CA's certificate.
    pub async fn start_with(
        credentials: DemoCredentials,
        endpoints: DemoEndpoints,
    ) -> std::io::Result<Self> {
        let mut demo = Self::start(credentials, Some(endpoints.plain.try_clone()?)).await;
        if let Ok(demo) = &mut demo {
            let config =
                crate::tls::server_config(&endpoints.leaf).map_err(std::io::Error::other)?;
            let backend = *demo.server.address();
            let front = crate::tls::Front::start(
                endpoints.tls.try_clone()?,
                backend,
                crate::tls::Mode::Tls(config),
            )?;
            demo._tls = Some((front, endpoints));
        }
        demo
    }

    /// The plain-HTTP base URL.
    pub fn url(&self) -> String {
        self.server.uri()
    }
}
