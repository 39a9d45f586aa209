//! Runs probe `webhooks` (cases: `model::WebhookCase`): the correctly signed delivery
//! first, whatever is selected (the positive control), then each selected forged,
//! unsigned, tampered, stale or replayed delivery, which must be refused (4xx). Without
//! the positive control every refusal is a vacuous error: a receiver that refuses
//! everything proves nothing.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{CaseResult, failure, harness, refused, seen, vacuous};
use crate::engine::request::context::Context;
use crate::engine::request::http::Exchange;
use crate::model::{WebhookCase, WebhookProbe};
use crate::results::{Actual, Evidence, HarnessError, LeakLine, Outcome, RequestInfo};
use crate::webhook::{Delivery, Scheme, scheme};

struct Run<'a> {
    ctx: &'a Context,
    si: usize,
    probe: &'a WebhookProbe,
    scheme: Box<dyn Scheme>,
    now: i64,
    serial: u32,
}

impl Run<'_> {
    /// A fresh body: the payload with a unique `id` (when it has a string one), so a
    /// receiver that deduplicates by event id treats each case as a new event.
    fn body(&mut self) -> (String, String) {
        self.serial += 1;
        let id = format!("authspec-{}-{}", self.now, self.serial);
        let mut payload = self.probe.payload.clone();
        if let Some(serde_json::Value::String(s)) = payload.get_mut("id") {
            *s = format!("{s}-{id}");
        }
        (payload.to_string(), id)
    }

    fn sign(
        &self,
        secret: &str,
        body: &str,
        timestamp: i64,
        id: &str,
    ) -> Result<Vec<(String, String)>, HarnessError> {
        self.scheme
            .sign(
                secret,
                &Delivery {
                    body,
                    timestamp,
                    id,
                },
            )
            // The scheme could not sign with the suite's secret: nothing was sent.
            .map_err(HarnessError::setup)
    }

    async fn deliver(
        &self,
        headers: &[(String, String)],
        body: String,
    ) -> Result<(Exchange, Vec<LeakLine>), HarnessError> {
        let ex = self
            .ctx
            .send_raw(self.si, &self.probe.request, headers, body)
            .await?;
        let leaks = self.ctx.leak_lines(self.si, &ex, &[]);
        Ok((ex, leaks))
    }

    /// The outcome of a delivery that must be refused.
    async fn expect_refusal(
        &self,
        what: &str,
        headers: &[(String, String)],
        body: String,
    ) -> Outcome {
        match self.deliver(headers, body).await {
            Err(e) => harness(format!("the delivery could not be made: {e}"), e),
            Ok((ex, leaks)) if refused(ex.status) && leaks.is_empty() => Outcome::Pass,
            Ok((ex, leaks)) if refused(ex.status) => failure(
                format!("refused, but the response leaks {}", leaks[0]),
                Evidence {
                    leaks,
                    ..seen(&ex, "refused (4xx)")
                },
            ),
            Ok((ex, _)) => fail(
                format!("{what} was not refused: got {}", ex.status_line()),
                &ex,
            ),
        }
    }
}

fn fail(message: String, ex: &Exchange) -> Outcome {
    failure(message, seen(ex, "refused (4xx)"))
}

/// The harness failed: the cause's text is the message.
fn error(cause: HarnessError) -> Outcome {
    harness(cause.to_string(), cause)
}

/// The selected cases. The positive control runs whatever is selected: without it a
/// refusal proves nothing.
pub async fn run(
    ctx: &Context,
    si: usize,
    probe: &WebhookProbe,
    cases: &[WebhookCase],
) -> Vec<(WebhookCase, CaseResult)> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let mut r = Run {
        ctx,
        si,
        probe,
        scheme: scheme(probe.scheme, &probe.header),
        now,
        serial: 0,
    };
    let secret = probe.secret.expose();
    let mut out = Vec::new();
    if cases.is_empty() {
        return out;
    }
    let (first, unproven) = control(&mut r, secret).await;
    if cases.contains(&WebhookCase::ValidSignatureAccepted) {
        out.push((WebhookCase::ValidSignatureAccepted, CaseResult::of(first)));
    }
    let others = cases
        .iter()
        .copied()
        .filter(|c| *c != WebhookCase::ValidSignatureAccepted);
    if let Some(why) = unproven {
        out.extend(others.map(|c| (c, CaseResult::of(vacuous(format!("vacuous: {why}"))))));
        return out;
    }
    for case in others {
        let result = match case {
            WebhookCase::ValidSignatureAccepted => continue,
            WebhookCase::UnsignedRefused => {
                let (body, id) = r.body();
                let outcome = match r.sign(secret, &body, now, &id) {
                    Err(e) => error(e),
                    Ok(mut headers) => {
                        let drop: Vec<String> = r
                            .scheme
                            .signature_headers()
                            .iter()
                            .map(|h| h.to_ascii_lowercase())
                            .collect();
                        headers.retain(|(k, _)| !drop.contains(&k.to_ascii_lowercase()));
                        r.expect_refusal("an unsigned delivery", &headers, body)
                            .await
                    }
                };
                CaseResult::of(outcome)
            }
            WebhookCase::WrongSecretRefused => {
                let (body, id) = r.body();
                // Still well-formed for schemes that decode the secret.
                let wrong = format!(
                    "whsec_{}",
                    base64_of(&format!("authspec-wrong-secret-{now}"))
                );
                let outcome = match r.sign(&wrong, &body, now, &id) {
                    Err(e) => error(e),
                    Ok(headers) => {
                        r.expect_refusal("a delivery signed with another secret", &headers, body)
                            .await
                    }
                };
                CaseResult::of(outcome)
            }
            WebhookCase::TamperedBodyRefused => {
                let (body, id) = r.body();
                let tampered = tamper(&body);
                let outcome = match r.sign(secret, &body, now, &id) {
                    Err(e) => error(e),
                    Ok(headers) => {
                        r.expect_refusal(
                            "a delivery whose body was changed after signing",
                            &headers,
                            tampered,
                        )
                        .await
                    }
                };
                CaseResult::of(outcome)
            }
            WebhookCase::StaleTimestampRefused => {
                let (body, id) = r.body();
                let stale = now - probe.tolerance as i64 - 120;
                let outcome = match r.sign(secret, &body, stale, &id) {
                    Err(e) => error(e),
                    Ok(headers) => {
                        let what = format!(
                            "a delivery signed {} s ago (tolerance {} s)",
                            probe.tolerance + 120,
                            probe.tolerance
                        );
                        r.expect_refusal(&what, &headers, body).await
                    }
                };
                CaseResult::of(outcome)
            }
            WebhookCase::ReplayRefused => replay(&mut r, secret).await,
        };
        out.push((case, result));
    }
    out
}

/// The positive control: a correctly signed delivery must be accepted. Its outcome, and
/// why every refusal would be vacuous when it was not.
async fn control(r: &mut Run<'_>, secret: &str) -> (Outcome, Option<String>) {
    let (body, id) = r.body();
    let control = match r.sign(secret, &body, r.now, &id) {
        Err(e) => Err(e),
        Ok(headers) => r
            .deliver(&headers, body)
            .await
            .map(|(ex, leaks)| (ex.status, ex.status_line(), ex.request_line, leaks)),
    };
    match control {
        Ok((status, _, _, leaks)) if (200..300).contains(&status) && leaks.is_empty() => {
            (Outcome::Pass, None)
        }
        Ok((status, _, request, leaks)) if (200..300).contains(&status) => (
            failure(
                format!("accepted, but the response leaks {}", leaks[0]),
                Evidence {
                    request: Some(RequestInfo::new(&request, None)),
                    leaks,
                    ..Evidence::default()
                },
            ),
            None,
        ),
        Ok((_, line, request, _)) => (
            failure(
                format!("a correctly signed delivery was refused: got {line}"),
                Evidence {
                    request: Some(RequestInfo::new(&request, None)),
                    expected: Some("accepted (2xx)".into()),
                    actual: Some(Actual {
                        status: line.clone(),
                        excerpt: None,
                        headers: Vec::new(),
                    }),
                    // Most often the suite's secret is not the receiver's.
                    hint: Some("Is the secret the one the receiver uses?".into()),
                    ..Evidence::default()
                },
            ),
            Some(format!(
                "the correctly signed delivery was not accepted ({line}), so a refusal proves nothing"
            )),
        ),
        Err(e) => (
            harness(format!("the signed delivery could not be made: {e}"), e),
            Some("the signed delivery could not be made, so a refusal proves nothing".to_string()),
        ),
    }
}

/// The identical delivery twice: the first must be accepted, the second refused. Where
/// the scheme does not require refusing it, acceptance is a warning, not a failure.
async fn replay(r: &mut Run<'_>, secret: &str) -> CaseResult {
    let (body, id) = r.body();
    let headers = match r.sign(secret, &body, r.now, &id) {
        Ok(h) => h,
        Err(e) => return CaseResult::of(error(e)),
    };
    let mut leaks = match r.deliver(&headers, body.clone()).await {
        Err(e) => {
            return CaseResult::of(harness(
                format!("the first delivery could not be made: {e}"),
                e,
            ));
        }
        Ok((ex, _)) if !(200..300).contains(&ex.status) => {
            return CaseResult::of(vacuous(format!(
                "vacuous: the first (valid) delivery was not accepted ({}), so the replay proves nothing",
                ex.status_line()
            )));
        }
        Ok((_, leaks)) => leaks,
    };
    let second = r.deliver(&headers, body).await;
    if let Ok((_, more)) = &second {
        leaks.extend(more.iter().cloned());
    }
    replay_verdict(r, second).with_leaks("the deliveries", &leaks)
}

fn replay_verdict(
    r: &Run<'_>,
    second: Result<(Exchange, Vec<LeakLine>), HarnessError>,
) -> CaseResult {
    match second {
        Err(e) => CaseResult::of(harness(format!("the replay could not be made: {e}"), e)),
        Ok((ex, _)) if refused(ex.status) => CaseResult::of(Outcome::Pass),
        Ok((ex, _)) if r.scheme.requires_replay_protection() => CaseResult::of(fail(
            format!(
                "an identical redelivery was accepted: got {}",
                ex.status_line()
            ),
            &ex,
        )),
        Ok((ex, _)) => CaseResult {
            outcome: Outcome::Pass,
            warnings: vec![format!(
                "an identical redelivery was accepted ({}); {} does not require refusing it, but \
                 deduplicating by event or delivery id is recommended",
                ex.status_line(),
                r.probe.scheme.name()
            )],
            info: Vec::new(),
        },
    }
}

/// The signed body with one value changed (or a field added), same length class.
fn tamper(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut map)) => {
            map.insert("authspec_tampered".into(), serde_json::Value::Bool(true));
            serde_json::Value::Object(map).to_string()
        }
        _ => format!("{body} "),
    }
}

fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}
