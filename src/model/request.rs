//! A request as written in a suite; paths and values may hold `{{var}}` templates.

use thin_vec::ThinVec;

use super::Location;

/// The methods a request line may name.
pub const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
];

/// `name` as one of `METHODS` (exactly, in upper case).
pub fn method(name: &str) -> Option<&'static str> {
    METHODS.iter().copied().find(|m| *m == name)
}

/// Field types are chosen for a matrix of 100,000 requests: a method that is a static
/// name, and lists that hold one pointer (and no room) when they are empty, as most are.
#[derive(Clone, Debug)]
pub struct Request {
    /// One of `METHODS`.
    pub method: &'static str,
    /// Path and optional query, relative to the target's base URL; references resolved.
    pub path: String,
    /// The path as written (references unresolved), when it differs from `path`: what
    /// names and messages show. None when it is the same text, as for a path without
    /// references (a matrix of 100,000 cells keeps one copy of each).
    pub written: Option<Box<str>>,
    pub headers: ThinVec<(String, String)>,
    pub query: ThinVec<(String, String)>,
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
