//! `authspec scaffold --openapi SPEC`: a starter suite for a new user. One role per
//! security scheme of the document, its credential read from an `${env:…}` variable
//! named after the scheme; `anonymous`; and the `openapi:` block that gives each role
//! what its scheme means in the spec's terms (the scopes of an OAuth2 scheme), the path
//! parameters that have no example, and full coverage.

use std::fmt::Write;

use oas3::spec::{ParameterIn, SecurityScheme};

use super::Document;

/// The starter suite for `doc`, read from `spec` (as the suite will name it).
pub fn scaffold(doc: &Document, spec: &str) -> String {
    let title = doc.spec.info.title.trim();
    let mut roles = String::from("  anonymous: {}\n");
    let mut holds = String::new();
    let schemes = doc
        .spec
        .components
        .iter()
        .flat_map(|c| c.security_schemes.iter())
        .filter_map(|(name, s)| Some((name, s.resolve(&doc.spec).ok()?)));
    for (name, scheme) in schemes {
        let env = env_name(name);
        let _ = match &scheme {
            SecurityScheme::ApiKey {
                name: key,
                location,
                ..
            } => {
                let place = match location.as_str() {
                    "query" => "query",
                    "header" => "header",
                    _ => {
                        let _ = writeln!(
                            roles,
                            "  # {name}: an API key in a cookie; log in with a setup step instead"
                        );
                        continue;
                    }
                };
                let env = if env.ends_with("KEY") {
                    env
                } else {
                    format!("{env}_KEY")
                };
                writeln!(
                    roles,
                    "  {name}:\n    api_key: {{ {place}: {key}, value: \"${{env:{env}}}\" }}"
                )
            }
            SecurityScheme::Http { scheme: http, .. } if http.eq_ignore_ascii_case("basic") => {
                writeln!(
                    roles,
                    "  {name}:\n    basic: {{ username: \"${{env:{env}_USER}}\", password: \"${{env:{env}_PASSWORD}}\" }}"
                )
            }
            SecurityScheme::MutualTls { .. } => {
                let _ = writeln!(
                    roles,
                    "  # {name}: mutual TLS; give the role a client certificate"
                );
                continue;
            }
            _ => writeln!(
                roles,
                "  {name}:\n    bearer: \"${{env:{}}}\"",
                token_env(&env)
            ),
        };
        let scopes = scopes(&scheme);
        let _ = match &scheme {
            SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIdConnect { .. } => writeln!(
                holds,
                "    {name}: {{ scopes: [{}] }}   # the scopes its token carries",
                scopes.join(", ")
            ),
            _ => writeln!(holds, "    {name}: {{ schemes: [{name}] }}"),
        };
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A starter suite from {spec}: fill in the variables, then"
    );
    let _ = writeln!(out, "# `authspec validate` and `authspec run` it.");
    let _ = writeln!(
        out,
        "suite: {}",
        if title.is_empty() {
            "API from its OpenAPI document"
        } else {
            title
        }
    );
    out.push_str("\ntarget:\n  base_url: ${env:API_URL}\n\nopenapi:\n");
    let _ = writeln!(out, "  spec: {spec}");
    if !holds.is_empty() {
        out.push_str("  roles:                 # what each role holds, in the spec's terms\n");
        out.push_str(&holds);
    }
    let missing = missing_parameters(doc);
    if !missing.is_empty() {
        out.push_str("  parameters:            # path parameters the spec gives no example of\n");
        for p in missing {
            let _ = writeln!(out, "    {p}: \"1\"");
        }
    }
    out.push_str("  # exclude: [\"DELETE /things/{id}\"]   # operations never sent\n");
    out.push_str("  coverage: { min: 100% }\n\nroles:\n");
    out.push_str(&roles);
    out
}

/// `partnerKey` → `PARTNER_KEY`.
fn env_name(scheme: &str) -> String {
    let mut out = String::new();
    let mut last_lower = false;
    for c in scheme.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && last_lower {
                out.push('_');
            }
            last_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_uppercase());
        } else {
            if !out.ends_with('_') {
                out.push('_');
            }
            last_lower = false;
        }
    }
    out.trim_matches('_').to_string()
}

fn token_env(env: &str) -> String {
    if env.ends_with("TOKEN") {
        env.to_string()
    } else {
        format!("{env}_TOKEN")
    }
}

/// Every scope an OAuth2 scheme's flows define, each once, in order.
fn scopes(scheme: &SecurityScheme) -> Vec<String> {
    let SecurityScheme::OAuth2 { flows, .. } = scheme else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let all = [
        flows.implicit.as_ref().map(|f| &f.scopes),
        flows.password.as_ref().map(|f| &f.scopes),
        flows.client_credentials.as_ref().map(|f| &f.scopes),
        flows.authorization_code.as_ref().map(|f| &f.scopes),
    ];
    for scopes in all.into_iter().flatten() {
        for s in scopes.keys() {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
    }
    out
}

/// Path parameters with no example, default or enum in the spec, each once.
fn missing_parameters(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (path, item) in doc.spec.paths.iter().flatten() {
        for (method, op) in item.methods() {
            let location = crate::model::Location {
                file: "".into(),
                line: 0,
                column: 0,
            };
            let Err(why) = super::build(&doc.spec, path, item, method.as_str(), op, &[], location)
            else {
                continue;
            };
            let Some(name) = why.split('`').nth(1) else {
                continue;
            };
            let declared_path = item
                .parameters
                .iter()
                .chain(&op.parameters)
                .filter_map(|p| p.resolve(&doc.spec).ok())
                .any(|p| p.name == name && p.location == ParameterIn::Path);
            if (declared_path || why.contains("not declared")) && !out.iter().any(|o| o == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}
