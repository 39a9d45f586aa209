//! Lowers probe `enumeration`: the request line once, each variant's inputs as a scenario
//! step's (references resolved and redacted, templates checked), and the timing settings.

use std::time::Duration;

use super::context::Cx;
use crate::load::raw::{RawEnumeration, RawVariant, S};
use crate::model::{EnumerationProbe, Request};

const DEFAULT_TRIES: u32 = 10;
const DEFAULT_THRESHOLD: Duration = Duration::from_millis(50);

pub fn enumeration(cx: &mut Cx<'_>, e: &RawEnumeration) -> Option<EnumerationProbe> {
    // Every problem is reported: the role is checked here, given up on at the end.
    let role = e.as_role.as_ref().map(|r| cx.role_id(r));
    let unknown = variant(cx, e, "unknown", &e.unknown);
    let wrong_secret = variant(cx, e, "wrong_secret", &e.wrong_secret);
    let tries = match &e.tries {
        None => Some(DEFAULT_TRIES),
        Some(t) if (1..=100).contains(&t.value) => Some(t.value),
        Some(t) => {
            cx.error(&t.at, "`tries` must be between 1 and 100");
            None
        }
    };
    let threshold = match &e.threshold {
        None => Some(DEFAULT_THRESHOLD),
        Some(t) => match threshold(&t.value) {
            Some(d) => Some(d),
            None => {
                cx.error(&t.at, "`threshold` is a duration with its unit: 50ms, 0.2s")
                    .help("the probe warns when the medians of the two variants' answer times differ by more");
                None
            }
        },
    };
    let (unknown, wrong_secret) = (unknown?, wrong_secret?);
    let role = match role {
        Some(None) => return None,
        Some(Some(id)) => Some(id),
        None => None,
    };
    if same_inputs(&e.unknown.value, &e.wrong_secret.value) {
        cx.error(&e.wrong_secret.at, "`wrong_secret` sends the same as `unknown`")
            .help("`unknown` names an account that does not exist, `wrong_secret` one that does, with a wrong password");
        return None;
    }
    Some(EnumerationProbe {
        role,
        unknown,
        wrong_secret,
        tries: tries?,
        threshold: threshold?,
        location: cx.location(&e.request.at),
    })
}

/// One variant: the probe's request line with what the variant sends.
fn variant(cx: &mut Cx<'_>, e: &RawEnumeration, name: &str, v: &S<RawVariant>) -> Option<Request> {
    if v.value.is_empty() {
        cx.error(&v.at, format!("`{name}` sends nothing"))
            .help("give what its request sends: `json:`, `form:`, `body:`, `query:` or `headers:`");
        return None;
    }
    super::request::request(cx, &v.value.parts(&e.request), &[])
}

fn same_inputs(a: &RawVariant, b: &RawVariant) -> bool {
    let map = |m: &Option<crate::load::raw::SpannedMap<String>>| {
        m.as_ref().map(|m| {
            m.0.iter()
                .map(|(k, v)| (k.value.clone(), v.clone()))
                .collect::<Vec<_>>()
        })
    };
    a.json == b.json
        && a.body == b.body
        && map(&a.form) == map(&b.form)
        && map(&a.headers) == map(&b.headers)
        && map(&a.query) == map(&b.query)
}

/// `50ms`, `0.2s`, `1s`: a number alone is refused, since its unit would be a guess.
fn threshold(v: &serde_json::Value) -> Option<Duration> {
    let s = v.as_str()?.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?);
    let n: f64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "s" => n,
        _ => return None,
    };
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::threshold;
    use serde_json::json;
    use std::time::Duration;

    #[test]
    fn thresholds_need_a_unit() {
        assert_eq!(threshold(&json!("50ms")), Some(Duration::from_millis(50)));
        assert_eq!(threshold(&json!("0.2s")), Some(Duration::from_millis(200)));
        assert_eq!(threshold(&json!(" 1s ")), Some(Duration::from_secs(1)));
        for bad in [json!(50), json!("50"), json!("fast"), json!("5m")] {
            assert_eq!(threshold(&bad), None, "{bad}");
        }
    }
}
