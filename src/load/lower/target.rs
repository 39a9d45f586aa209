//! Lowers `target:`: the demo, or a base URL (references resolved; a reference inside
//! the URL is a secret, and must fill one part of it; run templates such as
//! `{{sut.url}}` allowed).

use super::context::Cx;
use crate::load::raw::{RawTarget, S};
use crate::load::reference::parse_whole;
use crate::model::Target;

pub fn target(cx: &mut Cx<'_>, raw: &S<RawTarget>) -> Option<Target> {
    match &raw.value {
        RawTarget::Named(name) if name == "demo" => Some(Target::Demo),
        RawTarget::Named(name) => {
            cx.error(&raw.at, format!("unknown target `{name}`")).help(
                "use `target: demo` for the built-in demo API, or `target: { base_url: https://… }`",
            );
            None
        }
        RawTarget::Url(map) => {
            let url = &map.base_url;
            let resolved = match cx.interpolate(&url.value) {
                Ok(v) => v,
                Err(e) => {
                    cx.reference_error(&url.at, "target.base_url", e);
                    return None;
                }
            };
            // A reference that is the whole URL names where the API is; one inside
            // a URL (a path token, a query key) is a secret.
            if parse_whole(&url.value).is_none() && !secrets_fill_one_part(cx, url) {
                return None;
            }
            // `{{sut.url}}` and friends are known once the run starts.
            if resolved.contains("{{")
                && !super::templates::run_templates(cx, &resolved, &url.at, "target.base_url")
            {
                return None;
            }
            match reqwest::Url::parse(&super::templates::with_placeholders(cx, &resolved)) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                    Some(Target::Url(resolved.trim_end_matches('/').to_string()))
                }
                _ => {
                    let msg = format!("`target.base_url` is not an http(s) URL: `{}`", url.value);
                    cx.error(&url.at, msg)
                        .help("write a full URL such as https://api.example.test");
                    None
                }
            }
        }
    }
}

/// Registers the secrets written inside the URL, and refuses one whose value would
/// change the URL's structure: with `#`, `@`, `/`, `?`, `\` or a blank, part of the secret
/// would become the fragment, the user info, the path or the query, and be shown as
/// such (a report prints a URL's parts as it parses them). A reference that starts the
/// URL (`${env:API_URL}/hooks/${env:HOOK}`) says where the API is, so it may hold the
/// scheme's `//`, a path and user info, but no fragment, query or blank either. The error
/// names the reference, never its value.
fn secrets_fill_one_part(cx: &mut Cx<'_>, url: &S<String>) -> bool {
    let mut fine = true;
    let leading = url.value.trim_start().starts_with("${");
    let refs = cx.resolved_each(&url.value);
    for (i, (reference, value)) in refs.into_iter().enumerate() {
        cx.redactor.add("target.base_url", &value);
        let prefix = i == 0 && leading;
        let structural = |c: char| {
            matches!(c, '#' | '?' | '\\')
                || c.is_whitespace()
                || (!prefix && matches!(c, '@' | '/'))
        };
        if value.contains(structural) {
            let message = format!(
                "the value of `{reference}` in `target.base_url` would change the URL's structure"
            );
            let help = if prefix {
                "a reference that starts a URL may hold its scheme, host and path, without `#`, `?`, `\\` or blanks: \
                 percent-encode them, or make the reference the whole `base_url`"
            } else {
                "a reference inside a URL fills one part of it, without `#`, `@`, `/`, `?`, `\\` or blanks: \
                 percent-encode its value, or make the reference the whole `base_url`"
            };
            cx.error(&url.at, message).help(help);
            fine = false;
        }
    }
    fine
}
