//! The smallest instance valid for a JSON schema, for a request body the spec gives no
//! example of: required properties only, minimal lengths and counts, the first of an
//! enum, the bound of a range. A schema it cannot satisfy (or one that recurses without
//! end) is an error naming where.

use oas3::spec::{
    ObjectOrReference, ObjectSchema, Schema, SchemaType as Type, SchemaTypeSet as TypeSet,
};
use serde_json::{Value, json};

/// Deeper than any honest body; a guard against a schema that requires itself.
const MAX_DEPTH: usize = 16;

pub fn smallest(schema: &Schema, spec: &oas3::Spec) -> Result<Value, String> {
    instance(schema, spec, 0, "body")
}

fn instance(schema: &Schema, spec: &oas3::Spec, depth: usize, at: &str) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "the schema of `{at}` nests deeper than {MAX_DEPTH} levels"
        ));
    }
    let resolved = schema
        .resolve(spec)
        .map_err(|e| format!("the schema of `{at}` does not resolve: {e}"))?;
    match resolved {
        Schema::Boolean(b) if b.0 => Ok(json!({})),
        Schema::Boolean(_) => Err(format!("the schema of `{at}` admits nothing")),
        Schema::Object(o) => match *o {
            ObjectOrReference::Object(s) => of_object(&s, spec, depth, at),
            ObjectOrReference::Ref { ref_path, .. } => {
                Err(format!("`{ref_path}` (at `{at}`) does not resolve"))
            }
        },
    }
}

fn of_object(s: &ObjectSchema, spec: &oas3::Spec, depth: usize, at: &str) -> Result<Value, String> {
    if let Some(v) = s.const_value.clone().or_else(|| s.example.clone()) {
        return Ok(v);
    }
    if let Some(v) = s.examples.first().or(s.enum_values.first()) {
        return Ok(v.clone());
    }
    if let Some(v) = &s.default {
        return Ok(v.clone());
    }
    if !s.all_of.is_empty() {
        let mut merged = serde_json::Map::new();
        for part in &s.all_of {
            match instance(part, spec, depth + 1, at)? {
                Value::Object(m) => merged.extend(m),
                other if s.all_of.len() == 1 => return Ok(other),
                _ => return Err(format!("`{at}`: `allOf` of non-objects cannot be built")),
            }
        }
        // The schema's own properties beside `allOf`.
        if let Value::Object(own) = of_type(s, spec, depth, at, Type::Object)? {
            merged.extend(own);
        }
        return Ok(Value::Object(merged));
    }
    if let Some(first) = s.one_of.first().or(s.any_of.first()) {
        return instance(first, spec, depth + 1, at);
    }
    let ty = match &s.schema_type {
        Some(TypeSet::Single(t)) => *t,
        Some(TypeSet::Multiple(ts)) => ts
            .iter()
            .copied()
            .find(|t| *t != Type::Null)
            .unwrap_or(Type::Null),
        None if !s.properties.is_empty() => Type::Object,
        None if s.items.is_some() => Type::Array,
        None => Type::Object,
    };
    of_type(s, spec, depth, at, ty)
}

fn of_type(
    s: &ObjectSchema,
    spec: &oas3::Spec,
    depth: usize,
    at: &str,
    ty: Type,
) -> Result<Value, String> {
    Ok(match ty {
        Type::Null => Value::Null,
        Type::Boolean => json!(false),
        Type::Integer => {
            let low = s
                .minimum
                .as_ref()
                .and_then(serde_json::Number::as_f64)
                .or(s
                    .exclusive_minimum
                    .as_ref()
                    .and_then(|n| n.as_f64())
                    .map(|n| n.floor() + 1.0))
                .unwrap_or(0.0);
            json!(low.ceil() as i64)
        }
        Type::Number => s
            .minimum
            .clone()
            .map(Value::Number)
            .or_else(|| {
                s.exclusive_minimum
                    .as_ref()
                    .and_then(|n| n.as_f64())
                    .map(|n| json!(n + 1.0))
            })
            .unwrap_or(json!(0)),
        Type::String => json!(string(s)),
        Type::Array => {
            let n = s.min_items.unwrap_or(0);
            let mut items = Vec::new();
            for i in 0..n {
                let Some(item) = &s.items else {
                    items.push(Value::Null);
                    continue;
                };
                items.push(instance(item, spec, depth + 1, &format!("{at}[{i}]"))?);
            }
            Value::Array(items)
        }
        Type::Object => {
            let mut out = serde_json::Map::new();
            for name in &s.required {
                let at = format!("{at}.{name}");
                let value = match s.properties.get(name) {
                    Some(p) => instance(p, spec, depth + 1, &at)?,
                    None => json!(""),
                };
                out.insert(name.clone(), value);
            }
            Value::Object(out)
        }
    })
}

/// A string of the schema's format, else of its minimal length.
fn string(s: &ObjectSchema) -> String {
    let by_format = match s.format.as_deref() {
        Some("date-time") => Some("1970-01-01T00:00:00Z"),
        Some("date") => Some("1970-01-01"),
        Some("time") => Some("00:00:00Z"),
        Some("email") => Some("authspec@example.com"),
        Some("uuid") => Some("00000000-0000-4000-8000-000000000000"),
        Some("uri" | "url") => Some("https://example.com/"),
        Some("hostname") => Some("example.com"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        _ => None,
    };
    match by_format {
        Some(v) => v.to_string(),
        None => "a".repeat(s.min_length.unwrap_or(1).max(1) as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schemas: Value) -> oas3::Spec {
        serde_json::from_value(
            json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "components": {"schemas": schemas}}),
        )
        .unwrap()
    }

    #[test]
    fn required_properties_only_with_refs_and_bounds() {
        let spec = spec(json!({
            "Order": {"type": "object", "required": ["item", "qty", "tags", "ref"],
                "properties": {"item": {"type": "string", "minLength": 3},
                    "qty": {"type": "integer", "minimum": 1},
                    "note": {"type": "string"},
                    "tags": {"type": "array", "minItems": 1, "items": {"enum": ["a", "b"]}},
                    "ref": {"$ref": "#/components/schemas/Ref"}}},
            "Ref": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}}}
        }));
        let order: Schema =
            serde_json::from_value(json!({"$ref": "#/components/schemas/Order"})).unwrap();
        assert_eq!(
            smallest(&order, &spec).unwrap(),
            json!({"item": "aaa", "qty": 1, "tags": ["a"],
                "ref": {"id": "00000000-0000-4000-8000-000000000000"}})
        );
    }

    #[test]
    fn a_schema_that_requires_itself_is_an_error() {
        let spec = spec(json!({"Node": {"type": "object", "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}));
        let node: Schema =
            serde_json::from_value(json!({"$ref": "#/components/schemas/Node"})).unwrap();
        let e = smallest(&node, &spec).unwrap_err();
        assert!(e.contains("deeper"), "{e}");
    }
}
