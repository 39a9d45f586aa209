//! The demo orders API. Correct on most routes; two flaws on purpose:
//! - `DELETE /orders/{id}` lets a reader delete (broken function-level authorization,
//!   OWASP API5:2023, CWE-285);
//! - `GET /debug/boom` answers 500 with a Java stack trace that echoes the caller's
//!   `Authorization` header (CWE-209, CWE-200);
//! - `GET /partner/orders` reflects any `Origin` with credentials allowed (CWE-942).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::DemoCredentials;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Invalid,
    Reader,
    Writer,
    Admin,
    Partner,
}

struct Api {
    creds: DemoCredentials,
    orders: Mutex<Vec<(u64, Value)>>,
    next_id: AtomicU64,
}

impl Api {
    fn who(&self, req: &Request) -> Who {
        if let Some(key) = req.headers.get("x-api-key") {
            return if key.as_bytes() == self.creds.partner_key.as_bytes() {
                Who::Partner
            } else {
                Who::Invalid
            };
        }
        let Some(auth) = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
        else {
            return Who::Anonymous;
        };
        match auth.strip_prefix("Bearer ") {
            Some(t) if t == self.creds.reader_token => Who::Reader,
            Some(t) if t == self.creds.writer_token => Who::Writer,
            Some(t) if t == self.creds.admin_token => Who::Admin,
            _ => Who::Invalid,
        }
    }
}

/// The headers a careful API sends; the demo's orders routes carry them.
fn secure(t: ResponseTemplate) -> ResponseTemplate {
    t.insert_header("X-Content-Type-Options", "nosniff")
        .insert_header("X-Frame-Options", "DENY")
        .insert_header("Cache-Control", "no-store")
}

fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401)
        .insert_header("WWW-Authenticate", "Bearer realm=\"demo\"")
        .set_body_json(json!({"error": "unauthorized"}))
}

fn forbidden() -> ResponseTemplate {
    ResponseTemplate::new(403).set_body_json(json!({"error": "forbidden"}))
}

/// 401 for missing or unknown credentials, 403 for known ones not in `allowed`.
fn gate(who: Who, allowed: &[Who]) -> Option<ResponseTemplate> {
    match who {
        Who::Anonymous | Who::Invalid => Some(unauthorized()),
        w if allowed.contains(&w) => None,
        _ => Some(forbidden()),
    }
}

fn order_id(req: &Request) -> Option<u64> {
    req.url.path().rsplit('/').next()?.parse().ok()
}

pub async fn mount(server: &MockServer, creds: &DemoCredentials) {
    let api = std::sync::Arc::new(Api {
        creds: creds.clone(),
        orders: Mutex::new(vec![(1, json!({"id": 1, "item": "widget"}))]),
        next_id: AtomicU64::new(2),
    });
    let staff = [Who::Reader, Who::Writer, Who::Admin];

    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .mount(server)
        .await;

    let a = api.clone();
    Mock::given(method("GET"))
        .and(path("/orders"))
        .respond_with(move |req: &Request| {
            gate(a.who(req), &staff).unwrap_or_else(|| {
                let list: Vec<Value> = a
                    .orders
                    .lock()
                    .map(|o| o.iter().map(|(_, v)| v.clone()).collect())
                    .unwrap_or_default();
                secure(ResponseTemplate::new(200).set_body_json(list))
            })
        })
        .mount(server)
        .await;

    let a = api.clone();
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(move |req: &Request| {
            if let Some(refused) = gate(a.who(req), &[Who::Writer, Who::Admin]) {
                return refused;
            }
            let item = serde_json::from_slice::<Value>(&req.body)
                .ok()
                .and_then(|v| v.get("item").and_then(Value::as_str).map(str::to_string));
            let Some(item) = item else {
                return ResponseTemplate::new(400)
                    .set_body_json(json!({"error": "`item` is required"}));
            };
            let id = a.next_id.fetch_add(1, Ordering::Relaxed);
            let order = json!({"id": id, "item": item});
            if let Ok(mut o) = a.orders.lock() {
                o.push((id, order.clone()));
            }
            ResponseTemplate::new(201).set_body_json(order)
        })
        .mount(server)
        .await;

    let a = api.clone();
    Mock::given(method("GET"))
        .and(path_regex(r"^/orders/[0-9]+$"))
        .respond_with(move |req: &Request| {
            if let Some(refused) = gate(a.who(req), &staff) {
                return refused;
            }
            let found = order_id(req).and_then(|id| {
                a.orders
                    .lock()
                    .ok()?
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, v)| v.clone())
            });
            match found {
                Some(order) => ResponseTemplate::new(200).set_body_json(order),
                None => ResponseTemplate::new(404).set_body_json(json!({"error": "no such order"})),
            }
        })
        .mount(server)
        .await;

    let a = api.clone();
    Mock::given(method("DELETE"))
        .and(path_regex(r"^/orders/[0-9]+$"))
        .respond_with(move |req: &Request| {
            // The flaw: readers pass the gate meant for writers.
            gate(a.who(req), &[Who::Writer, Who::Admin, Who::Reader])
                .unwrap_or_else(|| ResponseTemplate::new(204))
        })
        .mount(server)
        .await;

    let a = api.clone();
    Mock::given(method("GET"))
        .and(path("/partner/orders"))
        .respond_with(move |req: &Request| {
            // The flaw: any Origin is reflected, with credentials allowed (CWE-942).
            let origin = req
                .headers
                .get("origin")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            gate(a.who(req), &[Who::Partner]).unwrap_or_else(|| {
                secure(
                    ResponseTemplate::new(200).set_body_json(json!([{"id": 1, "partner": true}])),
                )
                .insert_header("Access-Control-Allow-Origin", origin.as_str())
                .insert_header("Access-Control-Allow-Credentials", "true")
            })
        })
        .mount(server)
        .await;

    let a = api.clone();
    Mock::given(method("GET"))
        .and(path("/admin/users"))
        .respond_with(move |req: &Request| {
            gate(a.who(req), &[Who::Admin]).unwrap_or_else(|| {
                ResponseTemplate::new(200).set_body_json(json!([{"user": "alice"}]))
            })
        })
        .mount(server)
        .await;

    Mock::given(method("GET"))
        .and(path("/debug/boom"))
        .respond_with(|req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            let trace = format!(
                "java.lang.IllegalStateException: order store unavailable (Authorization: {auth})\n\
                 \tat com.example.orders.OrderService.find(OrderService.java:42)\n\
                 \tat com.example.orders.DebugController.boom(DebugController.java:17)\n"
            );
            ResponseTemplate::new(500).set_body_raw(trace, "text/plain")
        })
        .mount(server)
        .await;
}
