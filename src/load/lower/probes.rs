//! Lowers `probes:` entries: each names its role and request(s) like a scenario step,
//! plus the probe's own settings, checked here so a run never starts with a bad one.

use super::context::Cx;
use crate::load::raw::{
    OneOrMany, RawHeaders, RawOAuthProbe, RawProbe, RawRateLimit, RawTokens, RawWebhooks, S,
};
use crate::load::reference::parse_whole;
use crate::load::suggest::did_you_mean;
use crate::model::{
    HeadersProbe, MUTATIONS, OAUTH_CHECKS, OAuthProbe, Probe, RateLimitProbe, TokensProbe,
    WebhookProbe, WebhookScheme, Wordlist,
};

/// `120`, `90s`, `2m`, `1h` as seconds.
pub fn seconds(v: &serde_json::Value) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let s = v.as_str()?.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().ok()?;
    match unit.trim() {
        "" | "s" => Some(n),
        "m" => Some(n * 60),
        "h" => Some(n * 3600),
        _ => None,
    }
}

const SCHEMES: [(&str, WebhookScheme); 5] = [
    ("stripe", WebhookScheme::Stripe),
    ("github", WebhookScheme::Github),
    ("slack", WebhookScheme::Slack),
    ("standard_webhooks", WebhookScheme::StandardWebhooks),
    ("hmac_sha256", WebhookScheme::HmacSha256),
];

pub fn probe(cx: &mut Cx<'_>, index: usize, raw: &RawProbe, demo: bool) -> Option<Probe> {
    match raw {
        RawProbe::RateLimit(r) => rate_limit(cx, r).map(Probe::RateLimit),
        RawProbe::Webhooks(w) => webhooks(cx, index, w, demo).map(Probe::Webhooks),
        RawProbe::Headers(h) => headers_probe(cx, h).map(Probe::Headers),
        RawProbe::Tokens(t) => tokens_probe(cx, index, t, demo).map(Probe::Tokens),
        RawProbe::Oauth(o) => oauth_probe(cx, o).map(Probe::OAuth),
        RawProbe::Tls(t) => super::tls::tls_probe(cx, t).map(Probe::Tls),
        RawProbe::Enumeration(e) => super::enumeration::enumeration(cx, e).map(Probe::Enumeration),
    }
}

fn oauth_probe(cx: &mut Cx<'_>, o: &RawOAuthProbe) -> Option<OAuthProbe> {
    let server = cx.server_names.iter().position(|s| *s == o.server.value);
    if server.is_none() {
        let help = format!("auth servers: {}", cx.server_names.join(", "));
        cx.error(
            &o.server.at,
            format!("unknown auth server `{}`", o.server.value),
        )
        .help(help);
    }
    let roles: Vec<Option<crate::model::RoleId>> = match &o.as_roles {
        None => Vec::new(),
        Some(r) => r
            .value
            .0
            .iter()
            .map(|name| cx.role_id(&S::new(name.clone(), r.at)))
            .collect(),
    };
    let checks = all_or_named(
        cx,
        o.checks.as_ref(),
        &OAUTH_CHECKS,
        ("oauth check", "checks"),
    );
    let max_token_lifetime = match &o.max_token_lifetime {
        None => None,
        Some(v) => match seconds(&v.value) {
            Some(s) => Some(std::time::Duration::from_secs(s)),
            None => {
                cx.error(
                    &v.at,
                    "`max_token_lifetime` is a duration such as 3600, 15m or 1h",
                );
                return None;
            }
        },
    };
    let request = match &o.request {
        Some(r) => Some(super::request::request_line_only(cx, r)?),
        None => None,
    };
    Some(OAuthProbe {
        server: server?,
        roles: roles.into_iter().collect::<Option<Vec<_>>>()?,
        max_token_lifetime,
        checks,
        request,
        location: cx.location(&o.server.at),
    })
}

fn tokens_probe(cx: &mut Cx<'_>, index: usize, t: &RawTokens, demo: bool) -> Option<TokensProbe> {
    let role = cx.role_id(&t.as_role);
    let request = super::request::request_line_only(cx, &t.request);
    let mutations = all_or_named(
        cx,
        t.mutations.as_ref(),
        MUTATIONS,
        ("mutation", "mutations"),
    );
    let max_wait = match &t.max_wait {
        None => Some(std::time::Duration::from_secs(120)),
        Some(w) => match seconds(&w.value) {
            Some(s) => Some(std::time::Duration::from_secs(s)),
            None => {
                cx.error(&w.at, "`max_wait` is a duration such as 120, 90s, 2m or 1h");
                None
            }
        },
    };
    let signing_key = match &t.signing_key {
        Some(k) => {
            let key = super::secret::secret_at(
                cx,
                k,
                &format!("probes[{index}].tokens.signing_key"),
                format!("tokens[{index}].signing_key"),
                demo,
            )?;
            // Proven before anything is sent: a key that cannot sign would leave every
            // claim mutation unjudged.
            if let Err(why) = crate::jose::SigningKey::parse(key.expose()) {
                cx.error(&k.at, why).help(
                    "give the issuer's private key: a PEM block, a private JWK, a JWKS of them (chosen by the token's `kid`), or an HS secret",
                );
                return None;
            }
            Some(key)
        }
        None => None,
    };
    let wordlist = match &t.wordlist {
        Some(w) => wordlist(cx, w)?,
        None => Wordlist::default(),
    };
    Some(TokensProbe {
        location: cx.location(&t.as_role.at),
        wordlist,
        role: role?,
        request: request?,
        mutations,
        max_wait: max_wait?,
        signing_key,
        fuzz: t.fuzz.as_ref().map(|f| f.value.clamp(1, 100_000)),
        leeway: std::time::Duration::from_secs(
            t.leeway
                .as_ref()
                .and_then(|l| seconds(&l.value))
                .unwrap_or(60),
        ),
    })
}

/// `wordlist: ${file:PATH}`: candidate keys, one a line (`#!` lines are comments). Not
/// registered for redaction as a whole: only the key `weak_secret` finds becomes a secret.
fn wordlist(cx: &mut Cx<'_>, w: &S<String>) -> Option<Wordlist> {
    let reference = match parse_whole(&w.value) {
        Some(Ok(r)) => r,
        Some(Err(e)) => {
            cx.reference_error(&w.at, "wordlist", e);
            return None;
        }
        None => {
            cx.error(
                &w.at,
                "`wordlist` is a reference to a file of candidate keys",
            )
            .help("write `wordlist: ${file:PATH}`, one candidate a line");
            return None;
        }
    };
    let text = match cx.resolve(&reference) {
        Ok(t) => t,
        Err(e) => {
            cx.reference_error(&w.at, "wordlist", e);
            return None;
        }
    };
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty() && !l.starts_with("#!"))
        .map(str::to_string)
        .collect();
    if lines.is_empty() {
        cx.error(&w.at, "`wordlist` holds no candidate key")
            .help("one candidate a line; lines starting `#!` are comments");
        return None;
    }
    Some(Wordlist(lines))
}

/// `all` (or nothing) for every name of `known`, or the names listed; an unknown name is
/// an error with a suggestion. `noun` is what one name is, and what the list is called.
fn all_or_named(
    cx: &mut Cx<'_>,
    listed: Option<&S<OneOrMany<String>>>,
    known: &[&str],
    (noun, plural): (&str, &str),
) -> Vec<String> {
    let Some(list) = listed.filter(|l| l.value.0 != ["all"]) else {
        return known.iter().map(|s| s.to_string()).collect();
    };
    let names = known.join(", ");
    for name in list.value.0.iter().filter(|n| !known.contains(&n.as_str())) {
        let help = match did_you_mean(name, known.iter().copied()) {
            Some(best) => {
                let mut title = plural.to_string();
                title[..1].make_ascii_uppercase();
                format!("did you mean `{best}`? {title}: all, {names}")
            }
            None => format!("{plural}: all, {names}"),
        };
        cx.error(&list.at, format!("unknown {noun} `{name}`"))
            .help(help);
    }
    list.value.0.clone()
}

fn rate_limit(cx: &mut Cx<'_>, r: &RawRateLimit) -> Option<RateLimitProbe> {
    let role = r.as_role.as_ref().map(|name| cx.role_id(name));
    let parts = crate::load::raw::RawRequestParts {
        request: &r.request,
        json: r.json.as_ref(),
        form: r.form.as_ref(),
        body: r.body.as_ref(),
        headers: r.headers.as_ref(),
        query: None,
    };
    let request = super::request::request(cx, &parts, &[]);
    let burst = r.burst.as_ref().map_or(200, |b| b.value);
    if let Some(b) = &r.burst
        && !(1..=10_000).contains(&b.value)
    {
        cx.error(&b.at, "`burst` must be between 1 and 10000");
    }
    let expect_within = r.expect_within.as_ref().map_or(burst, |e| e.value);
    if let Some(e) = &r.expect_within
        && (e.value == 0 || e.value > burst)
    {
        cx.error(
            &e.at,
            format!("`expect_within` must be between 1 and `burst` ({burst})"),
        );
    }
    let retry_after_required = match r.retry_after.as_ref().map(|s| (s, s.value.as_str())) {
        None | Some((_, "required")) => true,
        Some((_, "optional")) => false,
        Some((s, other)) => {
            cx.error(
                &s.at,
                format!("`retry_after: {other}` is neither required nor optional"),
            );
            true
        }
    };
    if matches!(role, Some(None)) {
        return None;
    }
    Some(RateLimitProbe {
        role: role.flatten(),
        request: request?,
        burst,
        expect_within,
        retry_after_required,
        location: cx.location(&r.as_role.as_ref().map_or(r.request.at, |a| a.at)),
    })
}

fn webhooks(cx: &mut Cx<'_>, index: usize, w: &RawWebhooks, demo: bool) -> Option<WebhookProbe> {
    let request = super::request::request_line_only(cx, &w.request);
    let scheme = match SCHEMES.iter().find(|(n, _)| *n == w.scheme.value) {
        Some((_, s)) => Some(*s),
        None => {
            let names: Vec<&str> = SCHEMES.iter().map(|(n, _)| *n).collect();
            let help = match did_you_mean(&w.scheme.value, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? Schemes: {}", names.join(", ")),
                None => format!("schemes: {}", names.join(", ")),
            };
            cx.error(
                &w.scheme.at,
                format!("unknown webhook scheme `{}`", w.scheme.value),
            )
            .help(help);
            None
        }
    };
    let path = format!("probes[{index}].webhooks.secret");
    let secret = super::secret::secret_at(
        cx,
        &w.secret,
        &path,
        format!("webhooks[{index}].secret"),
        demo,
    );
    let header = match (&w.header, scheme) {
        (Some(h), Some(WebhookScheme::HmacSha256)) => h.value.clone(),
        (Some(h), Some(_)) => {
            cx.error(&h.at, "`header` only applies to the `hmac_sha256` scheme")
                .help("the other schemes use the header names their provider documents");
            String::new()
        }
        (Some(_), None) | (None, _) => "X-Signature".to_string(),
    };
    Some(WebhookProbe {
        request: request?,
        scheme: scheme?,
        secret: secret?,
        payload: w.payload.clone(),
        tolerance: w.tolerance.as_ref().map_or(300, |t| t.value),
        header,
        location: cx.location(&w.request.at),
    })
}

fn headers_probe(cx: &mut Cx<'_>, h: &RawHeaders) -> Option<HeadersProbe> {
    let role = cx.role_id(&h.as_role);
    let requests: Vec<_> = h
        .requests
        .iter()
        .map(|r| super::request::request_line_only(cx, r))
        .collect();
    if h.requests.is_empty() {
        cx.error(&h.as_role.at, "`requests` is empty");
    }
    let location = cx.location(&h.as_role.at);
    Some(HeadersProbe {
        role: role?,
        requests: requests.into_iter().collect::<Option<Vec<_>>>()?,
        location,
    })
}
