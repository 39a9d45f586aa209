//! Who an operation admits, by the spec's security requirements: its own `security`, or
//! the document's where it has none. An empty requirement `{}` among them (or none at
//! all) makes it public. A role is admitted when it satisfies one requirement: every
//! scheme of it, OAuth2 and OpenID Connect schemes by the scopes the role holds (all
//! those the requirement lists), other schemes (API keys, HTTP, mutual TLS) by being
//! named under the role's `schemes:`.

use serde_json::Value;

use super::Document;

/// What a role holds, in the spec's terms (`openapi.roles`); no credential holds nothing.
#[derive(Clone, Debug, Default)]
pub struct Holds {
    /// Its token's scopes, when it has an OAuth2 / OIDC token.
    pub scopes: Option<Vec<String>>,
    pub schemes: Vec<String>,
}

/// An operation's security requirements.
#[derive(Clone, Debug, PartialEq)]
pub enum Need {
    Public,
    /// Any one of these; each is every scheme it names, with the scopes listed.
    Any(Vec<Vec<(String, Vec<String>)>>),
}

/// The requirements that apply to `method path`.
pub fn need(doc: &Document, path: &str, method: &str) -> Need {
    let list = doc
        .own_security(path, method)
        .or_else(|| doc.json.get("security").and_then(Value::as_array));
    let Some(list) = list else {
        return Need::Public;
    };
    let mut any = Vec::new();
    for requirement in list {
        let Some(map) = requirement.as_object() else {
            continue;
        };
        if map.is_empty() {
            return Need::Public;
        }
        any.push(
            map.iter()
                .map(|(scheme, scopes)| {
                    let scopes = scopes
                        .as_array()
                        .map(|s| {
                            s.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default();
                    (scheme.clone(), scopes)
                })
                .collect(),
        );
    }
    if any.is_empty() {
        Need::Public
    } else {
        Need::Any(any)
    }
}

impl Need {
    /// Whether `holds` is admitted, and why in the spec's terms: the requirement it
    /// satisfies, or every requirement when it satisfies none.
    pub fn admits(&self, doc: &Document, holds: &Holds) -> (bool, String) {
        let any = match self {
            Need::Public => return (true, "public".into()),
            Need::Any(any) => any,
        };
        if let Some(met) = any.iter().find(|r| {
            r.iter()
                .all(|(scheme, scopes)| satisfies(doc, holds, scheme, scopes))
        }) {
            return (true, label(met));
        }
        (
            false,
            any.iter()
                .map(|r| label(r))
                .collect::<Vec<_>>()
                .join(" or "),
        )
    }
}

/// An OAuth2 / OIDC scheme is met by the scopes it lists, whether or not the role also
/// names the scheme (naming it is no scope); any other scheme by being named.
fn satisfies(doc: &Document, holds: &Holds, scheme: &str, scopes: &[String]) -> bool {
    if scoped(doc, scheme) {
        return holds
            .scopes
            .as_ref()
            .is_some_and(|held| scopes.iter().all(|s| held.contains(s)));
    }
    holds.schemes.iter().any(|s| s == scheme)
}

/// Whether the document defines `scheme` as OAuth2 or OpenID Connect.
pub fn scoped(doc: &Document, scheme: &str) -> bool {
    let Some(found) = doc
        .spec
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(scheme))
        .and_then(|s| s.resolve(&doc.spec).ok())
    else {
        return false;
    };
    matches!(
        found,
        oas3::spec::SecurityScheme::OAuth2 { .. }
            | oas3::spec::SecurityScheme::OpenIdConnect { .. }
    )
}

/// `oauth2 orders:read`, `partnerKey`, `a + b scope`.
fn label(requirement: &[(String, Vec<String>)]) -> String {
    requirement
        .iter()
        .map(|(scheme, scopes)| {
            std::iter::once(scheme.as_str())
                .chain(scopes.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.1.0
info: { title: t, version: "1" }
components:
  securitySchemes:
    oauth: { type: oauth2, flows: { clientCredentials: { tokenUrl: "https://x/t", scopes: { "orders:write": w } } } }
    key: { type: apiKey, in: header, name: X-Api-Key }
paths:
  /orders:
    post:
      security: [{ oauth: ["orders:write"] }]
      responses: { "201": { description: ok } }
  /partner:
    get:
      security: [{ key: [] }]
      responses: { "200": { description: ok } }
"#;

    fn holds(scopes: Option<&[&str]>, schemes: &[&str]) -> Holds {
        Holds {
            scopes: scopes.map(|s| s.iter().map(|x| x.to_string()).collect()),
            schemes: schemes.iter().map(|x| x.to_string()).collect(),
        }
    }

    #[test]
    fn an_oauth2_scheme_is_met_by_its_scopes_only_and_an_api_key_by_its_name() {
        let doc = super::super::document::parse_text(SPEC);
        let write = need(&doc, "/orders", "post");
        // Naming the OAuth2 scheme is no scope.
        assert!(
            !write
                .admits(&doc, &holds(Some(&["orders:read"]), &["oauth"]))
                .0
        );
        assert!(!write.admits(&doc, &holds(None, &["oauth"])).0);
        assert!(write.admits(&doc, &holds(Some(&["orders:write"]), &[])).0);
        let partner = need(&doc, "/partner", "get");
        assert!(partner.admits(&doc, &holds(None, &["key"])).0);
        assert!(!partner.admits(&doc, &holds(Some(&["orders:write"]), &[])).0);
    }
}
