//! A connection budget per origin: a client never holds more than its pool size
//! (`--jobs`) connections to one origin, so a target with strict connection limits or
//! per-connection rate limiting sees a polite client.
//!
//! Why a budget is needed at all: hyper's pool puts a connection back only once its
//! connection task has seen the end of the body, in a task of its own. A request that
//! starts right after the previous body was read often finds the pool empty, and hyper
//! then races a new connection against the pool; the connection that loses is kept
//! idle, and beyond the pool's idle limit closed. With `--jobs 1`, about one request in
//! ten opened a connection that way.
//!
//! The budget is a connector layer: a connection is only dialled while the origin has
//! fewer than `limit` counted connections; otherwise the connect waits, and the pool hands
//! the request the connection that is on its way back. The layer learns which origin and
//! which request a connect is for from a task-local that `HttpClient::send` sets around
//! each request (the connector's own argument cannot be read outside reqwest). A connect
//! that hyper moves to a background task after the pool served its request is polled
//! outside that scope, and gives up without dialling.
//!
//! Connections closed where authspec sees it (`Connection: close`, an HTTP/1.0 answer, a
//! body cut at `--max-body` or broken off, a failed request) are uncounted at once. One a
//! server closes while it sits idle in the pool is not seen: a connect that waited
//! `UNSEEN_CLOSE` for a connection that never came takes that one's place.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// How long a connect waits for a counted connection before it assumes that one was
/// closed unseen. A connection on its way back to the pool arrives within microseconds.
const UNSEEN_CLOSE: Duration = Duration::from_millis(250);

tokio::task_local! {
    /// The origin of the request this task is sending.
    static SENDING: Arc<Slot>;
}

/// The counted connections of one origin.
pub struct Slot {
    limit: usize,
    open: Mutex<usize>,
    freed: tokio::sync::Notify,
}

impl Slot {
    /// Counts a new connection, if there is room for one.
    fn try_open(&self) -> bool {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if *open < self.limit {
            *open += 1;
            true
        } else {
            false
        }
    }

    /// A counted connection was closed (or never opened): another may be dialled.
    pub fn closed(&self) {
        {
            let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
            *open = open.saturating_sub(1);
        }
        self.freed.notify_waiters();
    }

    /// Runs `f` (one request's exchange) as a request to this slot's origin.
    pub async fn sending<F: Future>(self: &Arc<Self>, f: F) -> F::Output {
        SENDING.scope(self.clone(), f).await
    }

    /// Waits until a connection may be dialled for the request this task sends; an error
    /// when the task is not (or no longer) that request's (see the module doc).
    async fn admit(&self) -> Result<(), &'static str> {
        loop {
            // Registered before the count is read, so a close in between is not missed.
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            if self.try_open() {
                return Ok(());
            }
            let waited = tokio::time::timeout(UNSEEN_CLOSE, freed).await;
            if !self.wanted() {
                return Err("not dialled: the pool served the request");
            }
            if waited.is_err() {
                // A counted connection was closed unseen; this one takes its place.
                return Ok(());
            }
        }
    }

    /// Whether the task polling now is sending a request to this slot's origin.
    fn wanted(&self) -> bool {
        SENDING
            .try_with(|s| std::ptr::eq(&**s, self))
            .unwrap_or(false)
    }
}

/// Every origin's slot for one client.
#[derive(Clone)]
pub struct Budget {
    limit: usize,
    slots: Arc<Mutex<HashMap<String, Arc<Slot>>>>,
}

impl Budget {
    pub fn new(limit: usize) -> Self {
        Self {
            limit: limit.max(1),
            slots: Arc::default(),
        }
    }

    /// The slot of `url`'s origin.
    pub fn slot(&self, url: &reqwest::Url) -> Arc<Slot> {
        let origin = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots
            .entry(origin)
            .or_insert_with(|| {
                Arc::new(Slot {
                    limit: self.limit,
                    open: Mutex::new(0),
                    freed: tokio::sync::Notify::new(),
                })
            })
            .clone()
    }
}

/// The connector layer (`reqwest::ClientBuilder::connector_layer`).
#[derive(Clone)]
pub struct Gate;

impl<S> tower_layer::Layer<S> for Gate {
    type Service = Gated<S>;

    fn layer(&self, inner: S) -> Gated<S> {
        Gated { inner }
    }
}

#[derive(Clone)]
pub struct Gated<S> {
    inner: S,
}

impl<S, R> tower_service::Service<R> for Gated<S>
where
    S: tower_service::Service<R> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: From<&'static str>,
    R: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        // The service that was polled ready makes the call; a clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let slot = SENDING.try_with(Arc::clone).ok();
        Box::pin(async move {
            if let Some(slot) = &slot {
                slot.admit().await?;
            }
            let conn = inner.call(request).await;
            if let (Err(_), Some(slot)) = (&conn, &slot) {
                slot.closed();
            }
            conn
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slot_counts_to_its_limit_and_a_close_frees_a_place() {
        let budget = Budget::new(2);
        let url = reqwest::Url::parse("http://127.0.0.1:8080/a").unwrap();
        let slot = budget.slot(&url);
        // Same origin, same slot; the default port is the origin's too.
        assert!(Arc::ptr_eq(&slot, &budget.slot(&url.join("/b").unwrap())));
        let other = reqwest::Url::parse("http://127.0.0.1/").unwrap();
        assert!(!Arc::ptr_eq(&slot, &budget.slot(&other)));
        assert!(slot.try_open() && slot.try_open());
        assert!(!slot.try_open());
        slot.closed();
        assert!(slot.try_open());
    }

    #[tokio::test]
    async fn a_connect_outside_the_requests_task_is_not_dialled() {
        let slot = Budget::new(1).slot(&reqwest::Url::parse("http://127.0.0.1:1/").unwrap());
        assert!(slot.try_open());
        // Full, and polled outside any request's scope (as hyper's background connect
        // is): it gives up instead of dialling once the wait ends.
        let waiting = slot.clone();
        let gave_up = tokio::spawn(async move { waiting.admit().await })
            .await
            .unwrap();
        assert!(gave_up.is_err());
        // Inside the request's scope, a place freed is taken.
        let inside = slot.clone();
        let admitted = tokio::spawn(async move {
            let slot = inside.clone();
            inside.sending(async move { slot.admit().await }).await
        });
        tokio::task::yield_now().await;
        slot.closed();
        assert!(admitted.await.unwrap().is_ok());
    }
}
