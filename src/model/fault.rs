//! Upstream faults: how a stub upstream misbehaves during one scenario, the way real APIs
//! do (slow, failing, flapping, resetting, answering garbage), so a suite can assert that
//! the system under test copes: a timeout, bounded retries with backoff, a generic error.

use std::time::Duration;

use super::Body;

/// The largest `huge_body` a suite may ask for: big enough to exceed any sane client
/// limit, small enough for a CI runner.
pub const MAX_HUGE_BODY: u64 = 256 * 1024 * 1024;

#[derive(Clone, Debug)]
pub enum UpstreamFault {
    /// Answers as usual, after this long.
    Delay(Duration),
    /// Answers every request with this.
    Respond(FaultAnswer),
    /// Answers the requests in turn; after the last, as usual.
    Sequence(Vec<FaultAnswer>),
    /// Resets the connection once the request arrived, without an answer.
    Reset,
    /// A JSON content type with a body that is no JSON.
    Malformed(Malformed),
    /// A JSON body of this many bytes.
    HugeBody(u64),
    /// The usual answer, its body dripped over this long.
    SlowBody(Duration),
}

/// One answer of a fault: a status, with a body and headers or the route's own.
#[derive(Clone, Debug)]
pub struct FaultAnswer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// `None`: the route's own body when the status is the route's, else a small JSON
    /// error naming the status.
    pub body: Option<Body>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// The route's JSON cut off halfway.
    Truncated,
    /// An HTML error page under `content-type: application/json`.
    NotJson,
}

impl UpstreamFault {
    /// For messages: "a 30 s delay", "a connection reset".
    pub fn described(&self) -> String {
        match self {
            UpstreamFault::Delay(d) => format!("a {} delay", seconds(*d)),
            UpstreamFault::Respond(a) => format!("status {}", a.status),
            UpstreamFault::Sequence(s) => format!(
                "the sequence {}",
                s.iter()
                    .map(|a| a.status.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            UpstreamFault::Reset => "a connection reset".into(),
            UpstreamFault::Malformed(Malformed::Truncated) => "a truncated JSON body".into(),
            UpstreamFault::Malformed(Malformed::NotJson) => "a body that is not JSON".into(),
            UpstreamFault::HugeBody(n) => format!("a {n}-byte body"),
            UpstreamFault::SlowBody(d) => format!("a body dripped over {}", seconds(*d)),
        }
    }
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// How many requests an upstream must have received: `requests: 3` or `{ min: 1, max: 3 }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    pub min: usize,
    pub max: Option<usize>,
}

impl Count {
    pub fn exactly(n: usize) -> Self {
        Count {
            min: n,
            max: Some(n),
        }
    }

    pub fn holds(&self, n: usize) -> bool {
        n >= self.min && self.max.is_none_or(|m| n <= m)
    }

    /// "3", "1 to 3", "at least 2".
    pub fn described(&self) -> String {
        match self.max {
            Some(m) if m == self.min => m.to_string(),
            Some(m) => format!("{} to {m}", self.min),
            None => format!("at least {}", self.min),
        }
    }
}

/// How the gaps between an upstream's requests must grow (retries with backoff).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backoff {
    /// Each gap is longer than the one before.
    Increasing,
}
