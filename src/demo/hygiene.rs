//! The demo's hygiene endpoints, each with a lesson:
//! - `GET /status` answers with version banners and an internal address (CWE-200);
//! - `GET /search` is rate limited: 20 requests per token per 10 s, then 429 with
//!   `Retry-After` (correct);
//! - `POST /webhooks/payments` verifies Stripe-style signatures with a 300 s tolerance
//!   (correct), but does not refuse an identical redelivery (a warning for Stripe).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::DemoCredentials;
use crate::webhook::{hex, hmac_sha256};

const LIMIT: u32 = 20;
const WINDOW_SECS: u64 = 10;
const TOLERANCE: i64 = 300;

pub async fn mount(server: &MockServer, creds: &DemoCredentials) {
    Mock::given(method("GET"))
        .and(path("/status"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Server", "nginx/1.22.1")
                .insert_header("X-Powered-By", "Express")
                .set_body_json(json!({"status": "ok", "database": "10.0.3.17:5432"})),
        )
        .mount(server)
        .await;

    let windows: Mutex<HashMap<String, (Instant, u32)>> = Mutex::new(HashMap::new());
    Mock::given(method("GET"))
        .and(path("/search"))
        .respond_with(move |req: &Request| {
            let caller = req
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("anonymous")
                .to_string();
            let Ok(mut w) = windows.lock() else {
                return ResponseTemplate::new(503);
            };
            let entry = w.entry(caller).or_insert((Instant::now(), 0));
            if entry.0.elapsed().as_secs() >= WINDOW_SECS {
                *entry = (Instant::now(), 0);
            }
            entry.1 += 1;
            if entry.1 > LIMIT {
                let wait = WINDOW_SECS
                    .saturating_sub(entry.0.elapsed().as_secs())
                    .max(1);
                return ResponseTemplate::new(429)
                    .insert_header("Retry-After", wait.to_string().as_str())
                    .set_body_json(json!({"error": "too many requests"}));
            }
            ResponseTemplate::new(200).set_body_json(json!({"results": []}))
        })
        .mount(server)
        .await;

    let secret = creds.webhook_secret.clone();
    Mock::given(method("POST"))
        .and(path("/webhooks/payments"))
        .respond_with(move |req: &Request| {
            if verify_stripe(&secret, req) {
                ResponseTemplate::new(200).set_body_json(json!({"received": true}))
            } else {
                ResponseTemplate::new(400).set_body_json(json!({"error": "invalid signature"}))
            }
        })
        .mount(server)
        .await;
}

fn verify_stripe(secret: &str, req: &Request) -> bool {
    let Some(header) = req
        .headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let field = |name: &str| {
        header.split(',').find_map(|kv| {
            kv.trim()
                .strip_prefix(name)
                .and_then(|r| r.strip_prefix('='))
        })
    };
    let (Some(t), Some(v1)) = (field("t"), field("v1")) else {
        return false;
    };
    let Ok(ts) = t.parse::<i64>() else {
        return false;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    if (now - ts).abs() > TOLERANCE {
        return false;
    }
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(&req.body);
    let expected = hex(&hmac_sha256(secret.as_bytes(), &signed));
    // Constant-time comparison, as a receiver should.
    expected.len() == v1.len()
        && expected
            .bytes()
            .zip(v1.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
