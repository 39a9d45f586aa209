//! Lowers `roles:`, which a suite and an `authspec.yaml` share: each role with its one
//! credential (references only, resolved and registered for redaction) and its proof.

use super::context::Cx;
use crate::load::raw::{RawRole, S, SpannedMap};
use crate::model::{Credential, KeyPlacement, Role, Secret};

/// Every role of a `roles:` block; also sets the names later references resolve to.
pub fn roles(cx: &mut Cx<'_>, raw: &SpannedMap<RawRole>, demo: bool) -> Vec<Role> {
    cx.role_names = raw.0.iter().map(|(k, _)| k.value.clone()).collect();
    raw.0
        .iter()
        .filter_map(|(name, raw_role)| role(cx, name, raw_role, demo))
        .collect()
}

fn role(cx: &mut Cx<'_>, name: &S<String>, raw: &RawRole, demo: bool) -> Option<Role> {
    let n = &name.value;
    let given = [
        raw.bearer.is_some(),
        raw.api_key.is_some(),
        raw.oauth2.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        cx.error(
            &name.at,
            format!("role `{n}` has more than one of `bearer`, `api_key`, `oauth2`"),
        )
        .help("give each role one credential; define a second role for the other");
        return None;
    }
    let credential = if let Some(b) = &raw.bearer {
        Credential::Bearer(secret(cx, b, format!("{n}.bearer"), demo)?)
    } else if let Some(key) = &raw.api_key {
        let placement = match (&key.header, &key.query) {
            (Some(h), None) => KeyPlacement::Header(h.value.clone()),
            (None, Some(q)) => KeyPlacement::Query(q.value.clone()),
            _ => {
                let msg = format!("role `{n}`: `api_key` needs exactly one of `header` or `query`");
                cx.error(&key.value.at, msg)
                    .help("e.g. `api_key: { header: X-Api-Key, value: ${env:PARTNER_KEY} }`");
                return None;
            }
        };
        let value = secret(cx, &key.value, format!("{n}.api_key"), demo)?;
        Credential::ApiKey { placement, value }
    } else if let Some(o) = &raw.oauth2 {
        Credential::OAuth2(super::oauth::oauth2_role(cx, n, o)?)
    } else {
        Credential::None
    };
    let proof = match &raw.proof {
        Some(line) => Some(super::request::request_line_only(cx, line)?),
        None => None,
    };
    Some(Role {
        name: n.clone(),
        credential,
        proof,
    })
}

/// A credential field: exactly one reference, resolved and registered for redaction
/// as `label`.
fn secret(cx: &mut Cx<'_>, field: &S<String>, label: String, demo: bool) -> Option<Secret> {
    super::secret::secret_at(cx, field, &format!("roles.{label}"), label, demo)
}
