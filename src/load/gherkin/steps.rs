//! The step vocabulary of `.feature` files: one table that the matcher, the "did you
//! mean" suggestions and `authspec steps` all read, so the docs cannot drift. Each step
//! maps one-to-one onto a model operation, and says what it takes under its line.

use super::probes::ProbeKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Role,
    Anonymous,
    RequestHeader,
    RequestHeaders,
    QueryParam,
    QueryParams,
    Send,
    SendJson,
    SendBody,
    AccessAllowed,
    AccessDenied,
    Status,
    StatusOneOf,
    BodyContains,
    BodyNotContains,
    HeaderIs,
    HeaderAbsent,
    JsonIs,
    KeyQuality,
    Remember,
    /// What a stub upstream does during the scenario (`upstream_faults`).
    Fault(FaultStep),
    /// `within:` on the latest request.
    Within,
    /// `expect.upstream.NAME.requests`: exactly, or between two counts.
    UpstreamReceived,
    UpstreamReceivedBetween,
    /// `expect.upstream.NAME.backoff: increasing`.
    UpstreamBackoff,
    Probe(ProbeKind),
}

/// The fault steps, one per `upstream_faults` kind (with the defaults of the short forms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultStep {
    Delay,
    Status,
    StatusWith,
    Sequence,
    Reset,
    Truncated,
    NotJson,
    HugeBody,
    HugeBodyOf,
    SlowBody,
    SlowBodyOver,
}

/// What a step takes under its line. Anything else there is an error, and so is a
/// missing doc string or table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    Nothing,
    /// A doc string (`"""` … `"""`).
    DocString,
    /// A data table of `| name | value |` rows, any names, no header row.
    Pairs,
    /// A data table of `| key | value |` rows with these keys (the YAML probe's), no
    /// header row.
    Keys(&'static [Key]),
}

/// A key of a probe's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub required: bool,
    /// A list: the items comma-separated in one cell (`GET /a, GET /b`).
    pub list: bool,
}

pub struct StepDef {
    /// `{string}` is a double-quoted text, `{int}` a number, `{ints}` a list of numbers,
    /// `{duration}` (`30s`, `500ms`) and `{size}` (`20MiB`) a number with its unit.
    pub pattern: &'static str,
    pub op: Op,
    pub meaning: &'static str,
    pub takes: Takes,
}

const fn step(pattern: &'static str, op: Op, meaning: &'static str) -> StepDef {
    StepDef {
        pattern,
        op,
        meaning,
        takes: Takes::Nothing,
    }
}

const fn fault(pattern: &'static str, kind: FaultStep, meaning: &'static str) -> StepDef {
    step(pattern, Op::Fault(kind), meaning)
}

const fn probe(pattern: &'static str, kind: ProbeKind, meaning: &'static str) -> StepDef {
    StepDef {
        pattern,
        op: Op::Probe(kind),
        meaning,
        takes: Takes::Keys(kind.keys()),
    }
}

pub const CATALOGUE: &[StepDef] = &[
    step(
        "I am {string}",
        Op::Role,
        "the next requests are sent as this role of `roles:`",
    ),
    step(
        "I am anonymous",
        Op::Anonymous,
        "the next requests carry no credentials",
    ),
    step(
        "the request header {string} is {string}",
        Op::RequestHeader,
        "the next request carries this header",
    ),
    StepDef {
        takes: Takes::Pairs,
        ..step(
            "the request headers are:",
            Op::RequestHeaders,
            "the next request carries these headers",
        )
    },
    step(
        "the query parameter {string} is {string}",
        Op::QueryParam,
        "the next request carries this query parameter",
    ),
    StepDef {
        takes: Takes::Pairs,
        ..step(
            "the query parameters are:",
            Op::QueryParams,
            "the next request carries these query parameters",
        )
    },
    step(
        "I send {string}",
        Op::Send,
        "sends `METHOD /path` as the current role",
    ),
    StepDef {
        takes: Takes::DocString,
        ..step(
            "I send {string} with JSON:",
            Op::SendJson,
            "sends it with the doc string as a JSON body",
        )
    },
    StepDef {
        takes: Takes::DocString,
        ..step(
            "I send {string} with body:",
            Op::SendBody,
            "sends it with the doc string as the body",
        )
    },
    step(
        "access is allowed",
        Op::AccessAllowed,
        "any 2xx (and the role is proven from then on)",
    ),
    step(
        "access is denied",
        Op::AccessDenied,
        "a refusal status of the policy (401/403); an error unless the role is proven",
    ),
    step(
        "the response status is {int}",
        Op::Status,
        "exactly this status",
    ),
    step(
        "the response status is one of {ints}",
        Op::StatusOneOf,
        "any of these statuses (`500, 503`)",
    ),
    step(
        "the response body contains {string}",
        Op::BodyContains,
        "the body contains the text",
    ),
    step(
        "the response body does not contain {string}",
        Op::BodyNotContains,
        "the body does not contain the text",
    ),
    step(
        "the response header {string} is {string}",
        Op::HeaderIs,
        "the header has exactly this value",
    ),
    step(
        "the response header {string} is absent",
        Op::HeaderAbsent,
        "the response has no such header",
    ),
    step(
        "the JSON at {string} is {string}",
        Op::JsonIs,
        "the JSONPath has this value (a number, true, false or null where the text is one)",
    ),
    step(
        "the JSON at {string} is a key of at least {int} characters and {int} bits of entropy",
        Op::KeyQuality,
        "an API key the API issued is long and random enough (`json_key_quality`); redacted from then on",
    ),
    step(
        "I remember {string} as {string}",
        Op::Remember,
        "captures the JSONPath value as `{{name}}` for later steps",
    ),
    fault(
        "the upstream {string} delays {duration}",
        FaultStep::Delay,
        "during this scenario the stub upstream answers as usual, after this long (`delay`)",
    ),
    fault(
        "the upstream {string} answers {int}",
        FaultStep::Status,
        "during this scenario the stub upstream answers every request with this status",
    ),
    StepDef {
        takes: Takes::DocString,
        ..fault(
            "the upstream {string} answers {int} with:",
            FaultStep::StatusWith,
            "… with the doc string as its JSON body (`${random:…}` in it are canaries)",
        )
    },
    fault(
        "the upstream {string} answers in sequence {ints}",
        FaultStep::Sequence,
        "answers the requests in turn with these statuses, then as usual (`sequence`)",
    ),
    fault(
        "the upstream {string} resets the connection",
        FaultStep::Reset,
        "resets the connection once a request arrived (`reset`)",
    ),
    fault(
        "the upstream {string} sends a malformed body",
        FaultStep::Truncated,
        "its route's JSON cut off halfway, as application/json (`malformed: truncated`)",
    ),
    fault(
        "the upstream {string} sends a body that is not JSON",
        FaultStep::NotJson,
        "an HTML page as application/json (`malformed: not_json`)",
    ),
    fault(
        "the upstream {string} sends a huge body",
        FaultStep::HugeBody,
        "a 20 MiB JSON body (`huge_body: 20MiB`)",
    ),
    fault(
        "the upstream {string} sends a huge body of {size}",
        FaultStep::HugeBodyOf,
        "a JSON body this large, at most 256MiB (`huge_body`)",
    ),
    fault(
        "the upstream {string} sends a slow body",
        FaultStep::SlowBody,
        "its usual answer, the body dripped over 30 s (`slow_body: 30s`)",
    ),
    fault(
        "the upstream {string} sends a slow body over {duration}",
        FaultStep::SlowBodyOver,
        "its usual answer, the body dripped over this long (`slow_body`)",
    ),
    step(
        "the response arrives within {duration}",
        Op::Within,
        "the SUT answered (anything) within this long; past it the check fails (`within`)",
    ),
    step(
        "the upstream {string} received {int} requests",
        Op::UpstreamReceived,
        "the stub upstream received exactly this many requests during the scenario",
    ),
    step(
        "the upstream {string} received between {int} and {int} requests",
        Op::UpstreamReceivedBetween,
        "… at least the first and at most the second (`requests: { min:, max: }`)",
    ),
    step(
        "the upstream {string} was retried with increasing backoff",
        Op::UpstreamBackoff,
        "each gap between the upstream's requests is longer than the one before (`backoff: increasing`)",
    ),
    probe(
        "the rate limit probe passes with:",
        ProbeKind::RateLimit,
        "probe `rate_limit`: a burst is answered with 429 and a valid Retry-After",
    ),
    probe(
        "the webhooks probe passes with:",
        ProbeKind::Webhooks,
        "probe `webhooks`: forged, unsigned, stale and replayed deliveries are refused",
    ),
    probe(
        "the headers probe passes with:",
        ProbeKind::Headers,
        "probe `headers`: nosniff, framing, no-store on token responses, CORS",
    ),
    probe(
        "the tokens probe passes with:",
        ProbeKind::Tokens,
        "probe `tokens`: doctored tokens are refused where the genuine one is accepted",
    ),
    probe(
        "the oauth probe passes with:",
        ProbeKind::OAuth,
        "probe `oauth`: the authorization server's checks",
    ),
    probe(
        "the tls probe passes with:",
        ProbeKind::Tls,
        "probe `tls`: certificate, protocol versions, HSTS and plain HTTP meet the policy",
    ),
    probe(
        "the enumeration probe passes with:",
        ProbeKind::Enumeration,
        "probe `enumeration`: an unknown account and a wrong secret get the same status, body and headers, in about the same time",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_unique() {
        for (i, a) in CATALOGUE.iter().enumerate() {
            assert!(
                CATALOGUE[i + 1..].iter().all(|b| b.pattern != a.pattern),
                "{}",
                a.pattern
            );
        }
    }

    #[test]
    fn every_probe_has_one_step_and_table_steps_end_with_a_colon() {
        for kind in super::super::probes::KINDS {
            let n = CATALOGUE.iter().filter(|d| d.op == Op::Probe(kind)).count();
            assert_eq!(n, 1, "{kind:?}");
        }
        for d in CATALOGUE {
            let colon = d.pattern.ends_with(':');
            assert_eq!(colon, d.takes != Takes::Nothing, "{}", d.pattern);
        }
    }
}
