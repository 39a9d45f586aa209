//! Lowers `roles:`, which a suite and an `authspec.yaml` share: each role with its one
//! credential (references only, resolved and registered for redaction) and its proof.

use super::context::Cx;
use crate::load::raw::{RawBasic, RawRole, S, SpannedMap};
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
        raw.basic.is_some(),
        raw.login.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        cx.error(
            &name.at,
            format!(
                "role `{n}` has more than one of `bearer`, `api_key`, `oauth2`, `basic`, `login`"
            ),
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
    } else if let Some(b) = &raw.basic {
        basic(cx, n, &b.value, demo)?
    } else if let Some(l) = &raw.login {
        super::login::login(cx, n, &l.value)?
    } else {
        Credential::None
    };
    let proof = match &raw.proof {
        Some(line) => Some(super::request::request_line_only(cx, line)?),
        None => None,
    };
    let client_cert = match &raw.client_cert {
        Some(c) => {
            let field = format!("roles.{n}.client_cert");
            Some(super::client_cert::client_cert(
                cx,
                c,
                &field,
                &format!("{n}.client_cert"),
            )?)
        }
        None => None,
    };
    Some(Role {
        name: n.clone(),
        credential,
        proof,
        client_cert,
    })
}

/// `basic: { username, password }`: the password a reference, the user name free of
/// `:` (RFC 7617 §2), and the header value a secret as soon as it is made.
fn basic(cx: &mut Cx<'_>, n: &str, raw: &RawBasic, demo: bool) -> Option<Credential> {
    let at = &raw.username.at;
    let username = match cx.interpolate(&raw.username.value) {
        Ok(u) => u,
        Err(e) => {
            cx.reference_error(at, &format!("roles.{n}.basic.username"), e);
            return None;
        }
    };
    let password = secret(cx, &raw.password, format!("{n}.basic.password"), demo);
    if username.is_empty() || username.contains(':') || username.contains(char::is_control) {
        cx.error(
            at,
            format!("role `{n}`: a Basic user name is not empty and has no `:`"),
        )
        .help("RFC 7617 joins user name and password with `:`, so a user name cannot hold one");
        return None;
    }
    let password = password?;
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD
        .encode(format!("{username}:{}", password.expose()));
    let label = format!("{n}.basic");
    cx.redactor.add(&label, &encoded);
    let header = format!("Basic {encoded}");
    cx.redactor.add(&label, &header);
    Some(Credential::Basic {
        username,
        password,
        header: Secret::new(label, header),
    })
}

/// A credential field: exactly one reference, resolved and registered for redaction
/// as `label`.
fn secret(cx: &mut Cx<'_>, field: &S<String>, label: String, demo: bool) -> Option<Secret> {
    super::secret::secret_at(cx, field, &format!("roles.{label}"), label, demo)
}
