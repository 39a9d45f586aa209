//! A request for an operation, from the spec: path parameters from the suite's
//! `parameters:`, else the spec's examples or defaults; required query and header
//! parameters likewise; a JSON body from the operation's example, else the smallest
//! instance valid for its schema. What cannot be built is said, naming what is missing.

use oas3::spec::{ObjectOrReference, Operation, Parameter, ParameterIn, PathItem, Schema};
use serde_json::Value;

use crate::model::{Body, Location, Request};

/// The request for `method path`, or what is missing to build it.
pub fn build(
    spec: &oas3::Spec,
    path: &str,
    item: &PathItem,
    method: &str,
    op: &Operation,
    given: &[(String, String)],
    location: Location,
) -> Result<Request, String> {
    let mut filled = path.to_string();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    let credentials = credential_parameters(spec);
    for p in parameters(spec, item, op)? {
        // The role's credential is the role's: a spec parameter must not replace it (nor
        // give `anonymous` one). OpenAPI ignores these header parameters anyway.
        let named = |n: &str| p.name.eq_ignore_ascii_case(n);
        let ignored = p.location == ParameterIn::Header
            && (named("authorization") || named("accept") || named("content-type"));
        if ignored
            || credentials
                .iter()
                .any(|(name, at)| *at == p.location && p.name.eq_ignore_ascii_case(name))
        {
            continue;
        }
        let required = p.required.unwrap_or(false) || p.location == ParameterIn::Path;
        let value = given
            .iter()
            .find(|(k, _)| *k == p.name)
            .map(|(_, v)| v.clone())
            .or_else(|| example(spec, &p));
        let Some(value) = value else {
            if required {
                return Err(format!(
                    "{} parameter `{}` has no value: the spec gives no example or default; add `{}: …` under `openapi.parameters`",
                    where_(&p.location),
                    p.name,
                    p.name
                ));
            }
            continue;
        };
        match p.location {
            ParameterIn::Path => {
                filled = filled.replace(&format!("{{{}}}", p.name), &encode(&value))
            }
            ParameterIn::Query => query.push((p.name.clone(), value)),
            ParameterIn::Header => headers.push((p.name.clone(), value)),
            // Cookies are the role's business (a login sets them), not the spec's.
            ParameterIn::Cookie => {}
        }
    }
    // A template the spec declares no parameter for: only the suite can fill it.
    while let Some(open) = filled.find('{') {
        let name = filled[open + 1..]
            .split('}')
            .next()
            .unwrap_or_default()
            .to_string();
        let written = format!("{{{name}}}");
        let given = given
            .iter()
            .find(|(k, _)| *k == name)
            .filter(|_| filled.contains(&written));
        let Some((_, v)) = given else {
            return Err(format!(
                "path parameter `{name}` is not declared by the spec; add `{name}: …` under `openapi.parameters`"
            ));
        };
        filled = filled.replace(&written, &encode(v));
    }
    let method = crate::model::method(method)
        .ok_or_else(|| format!("the method `{method}` is none authspec sends"))?;
    Ok(Request {
        method,
        written: (filled != path).then(|| path.into()),
        path: filled,
        headers: headers.into(),
        query: query.into(),
        body: body(spec, op)?.map(|b| Box::new(Body::Json(b))),
        location,
    })
}

/// Where the document's API-key schemes carry their key: (name, place).
fn credential_parameters(spec: &oas3::Spec) -> Vec<(String, ParameterIn)> {
    spec.components
        .iter()
        .flat_map(|c| c.security_schemes.values())
        .filter_map(|s| match s.resolve(spec).ok()? {
            oas3::spec::SecurityScheme::ApiKey { name, location, .. } => {
                let at = match location.as_str() {
                    "query" => ParameterIn::Query,
                    "cookie" => ParameterIn::Cookie,
                    _ => ParameterIn::Header,
                };
                Some((name, at))
            }
            _ => None,
        })
        .collect()
}

/// The path item's parameters with the operation's own in their place.
fn parameters(
    spec: &oas3::Spec,
    item: &PathItem,
    op: &Operation,
) -> Result<Vec<Parameter>, String> {
    let resolve = |p: &ObjectOrReference<Parameter>| {
        p.resolve(spec)
            .map_err(|e| format!("a parameter does not resolve: {e}"))
    };
    let mut out: Vec<Parameter> = Vec::new();
    for p in item.parameters.iter().chain(&op.parameters) {
        let p = resolve(p)?;
        out.retain(|q| !(q.name == p.name && q.location == p.location));
        out.push(p);
    }
    Ok(out)
}

fn where_(location: &ParameterIn) -> &'static str {
    match location {
        ParameterIn::Path => "path",
        ParameterIn::Query => "query",
        ParameterIn::Header => "header",
        ParameterIn::Cookie => "cookie",
    }
}

/// The parameter's example, first of its examples, or its schema's example, default or
/// first enum value.
fn example(spec: &oas3::Spec, p: &Parameter) -> Option<String> {
    let from_examples = || {
        p.examples
            .values()
            .filter_map(|e| e.resolve(spec).ok())
            .find_map(|e| e.value)
    };
    let from_schema = || {
        let Ok(Schema::Object(o)) = p.schema.as_ref()?.resolve(spec) else {
            return None;
        };
        let ObjectOrReference::Object(s) = *o else {
            return None;
        };
        s.example
            .or(s.examples.first().cloned())
            .or(s.default)
            .or(s.enum_values.first().cloned())
    };
    let v = p
        .example
        .clone()
        .or_else(from_examples)
        .or_else(from_schema)?;
    Some(match v {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// The JSON body: the media type's example, else the smallest instance of its schema;
/// none when the operation takes none, an error when it requires one that is not JSON.
fn body(spec: &oas3::Spec, op: &Operation) -> Result<Option<Value>, String> {
    let Some(body) = &op.request_body else {
        return Ok(None);
    };
    let body = body
        .resolve(spec)
        .map_err(|e| format!("its request body does not resolve: {e}"))?;
    let json = body
        .content
        .iter()
        .find(|(t, _)| *t == "application/json" || t.ends_with("+json"));
    let Some((_, media)) = json else {
        if body.required.unwrap_or(false) {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(format!(
                "its required request body is {}: only JSON bodies are built from the spec",
                types.join(", ")
            ));
        }
        return Ok(None);
    };
    if let Some(v) = media.examples(spec).values().find_map(|e| e.value.clone()) {
        return Ok(Some(v));
    }
    match media
        .schema(spec)
        .map_err(|e| format!("its request body's schema does not resolve: {e}"))?
    {
        Some(schema) => super::instance::smallest(&schema, spec)
            .map(Some)
            .map_err(|e| format!("its request body cannot be built: {e}")),
        None => Ok(Some(serde_json::json!({}))),
    }
}

/// A path segment: unreserved characters as they are, every other byte %-encoded.
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.1.0
info: { title: t, version: "1" }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Api-Key }
paths:
  /orders:
    get:
      parameters:
        - { name: Authorization, in: header, schema: { type: string, example: "Bearer from-the-spec" } }
        - { name: x-api-key, in: header, schema: { type: string, example: from-the-spec } }
        - { name: X-Trace, in: header, schema: { type: string, example: abc } }
      responses: { "200": { description: ok } }
"#;

    #[test]
    fn a_spec_parameter_never_stands_in_for_the_roles_credential() {
        let doc = super::super::document::parse_text(SPEC);
        let item = &doc.spec.paths.as_ref().unwrap()["/orders"];
        let op = item.get.as_ref().unwrap();
        let at = Location {
            file: "s.yaml".into(),
            line: 1,
            column: 1,
        };
        let r = build(&doc.spec, "/orders", item, "GET", op, &[], at).unwrap();
        assert_eq!(r.headers, vec![("X-Trace".to_string(), "abc".to_string())]);
    }
}
