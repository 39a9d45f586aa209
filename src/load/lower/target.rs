//! Lowers `target:`: the demo, or a base URL (references resolved; a reference inside
//! the URL is a secret; run templates such as `{{sut.url}}` allowed).

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
            let resolved = match cx.ctx.interpolate(&url.value, &cx.source.dir) {
                Ok(v) => v,
                Err(e) => {
                    cx.reference_error(&url.at, "target.base_url", e);
                    return None;
                }
            };
            // A reference that is the whole URL names where the API is; one inside
            // a URL (a path token, a query key) is a secret.
            if parse_whole(&url.value).is_none() {
                for piece in cx.ctx.resolved_references(&url.value, &cx.source.dir) {
                    cx.redactor.add("target.base_url", &piece);
                }
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
