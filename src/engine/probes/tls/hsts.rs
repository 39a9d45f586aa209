//! The `hsts` case: `Strict-Transport-Security` with a max-age of at least the policy's
//! (RFC 6797), read over a verified connection.

use super::verdict::{error, fail, pass};
use crate::engine::probes::CaseResult;
use crate::engine::request::context::Context;
use crate::model::TlsProbe;
use crate::results::{Actual, Evidence, RequestInfo};

/// `Strict-Transport-Security` with a long enough max-age (RFC 6797).
pub async fn hsts(ctx: &Context, si: usize, probe: &TlsProbe, url: &str) -> CaseResult {
    let http = ctx.http_for(si);
    let ex = match http.send(http.request(reqwest::Method::GET, url)).await {
        Ok(ex) => ex,
        Err(e) => {
            return error(
                format!(
                    "the HSTS header could not be read (browsers ignore it over an untrusted connection anyway): {e}"
                ),
                e,
            );
        }
    };
    let policy = probe.hsts_min_age;
    match ex.header("strict-transport-security") {
        None => fail(
            "no Strict-Transport-Security header".into(),
            Evidence {
                request: Some(RequestInfo::new(&format!("GET {url}"), None)),
                expected: Some(format!("max-age >= {policy}")),
                actual: Some(Actual {
                    status: ex.status_line(),
                    excerpt: None,
                    headers: Vec::new(),
                }),
                ..Evidence::default()
            },
        ),
        Some(value) => match max_age(value) {
            Some(age) if age >= policy => pass(),
            Some(age) => fail(
                format!(
                    "`Strict-Transport-Security: {value}`: max-age {age} is below the policy's {policy}"
                ),
                requested(url),
            ),
            None => fail(
                format!("`Strict-Transport-Security: {value}` has no valid max-age"),
                requested(url),
            ),
        },
    }
}

/// The request the header was read from, as the suite wrote its URL.
fn requested(url: &str) -> Evidence {
    Evidence {
        request: Some(RequestInfo::new(&format!("GET {url}"), None)),
        ..Evidence::default()
    }
}

/// The `max-age` directive, quoted or not (RFC 6797 §6.1.1).
fn max_age(value: &str) -> Option<u64> {
    value.split(';').find_map(|d| {
        let (k, v) = d.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::max_age;

    #[test]
    fn hsts_max_age_forms() {
        assert_eq!(
            max_age("max-age=31536000; includeSubDomains"),
            Some(31_536_000)
        );
        assert_eq!(max_age("includeSubDomains; Max-Age=\"60\""), Some(60));
        assert_eq!(max_age("max-age=soon"), None);
        assert_eq!(max_age("includeSubDomains"), None);
    }
}
