//! The demo publishes its own OpenAPI document at `GET /openapi.json`: the orders API
//! with its security as the demo means to enforce it. The document is the one the
//! sample suite `scenarios/openapi.yaml` reads (`scenarios/demo-openapi.json`), so what
//! the demo serves and what the sample tests cannot drift apart.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const DOCUMENT: &str = include_str!("../../scenarios/demo-openapi.json");

pub async fn mount(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/openapi.json"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(DOCUMENT, "application/json"))
        .mount(server)
        .await;
}
