//! A request as written in a suite; paths and values may hold `{{var}}` templates.

use super::Location;

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and optional query, relative to the target's base URL; references resolved.
    pub path: String,
    /// The path as written (references unresolved), when it differs from `path`: what
    /// names and messages show. None when it is the same text, as for a path without
    /// references (a matrix of 100,000 cells keeps one copy of each).
    pub written: Option<String>,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    /// Boxed: most requests of a large matrix have none.
    pub body: Option<Box<Body>>,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub enum Body {
    Json(serde_json::Value),
    Text(String),
    /// `application/x-www-form-urlencoded` fields, in order.
    Form(Vec<(String, String)>),
}

impl Request {
    /// `GET /orders`: the short form used in check names.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.written())
    }

    /// The path as written (references unresolved).
    pub fn written(&self) -> &str {
        self.written.as_deref().unwrap_or(&self.path)
    }
}
