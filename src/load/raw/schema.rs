//! The JSON Schema of suites and `authspec.yaml` (`authspec schema suite`), generated from
//! the raw types the YAML front end deserializes, so it cannot drift from what loads. The
//! types with a deserializer of their own say here what they accept.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use super::span::{OneOrMany, S, SpannedMap};
use super::suite::{RawConfig, RawLeakage, RawSuite, RawTarget, RawTargetMap};

/// One schema for both kinds of file: a suite (it has `suite:`) or an `authspec.yaml`.
pub fn suite_schema() -> serde_json::Value {
    let mut generator = SchemaGenerator::default();
    let suite = generator.subschema_for::<RawSuite>();
    let config = generator.subschema_for::<RawConfig>();
    let defs: serde_json::Map<String, serde_json::Value> =
        generator.take_definitions(true).into_iter().collect();
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://authspec.invalid/schema/suite.json",
        "title": "authspec suite or authspec.yaml",
        "description": "A suite (*.yaml with `suite:`) or the shared `authspec.yaml` of a directory tree.",
        "anyOf": [suite, config],
        "$defs": defs,
    })
}

/// A position is invisible in the file: the schema is the value's.
impl<T: JsonSchema> JsonSchema for S<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

impl<V: JsonSchema> JsonSchema for SpannedMap<V> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<V>();
        json_schema!({ "type": "object", "additionalProperties": value })
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("One_or_many_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        json_schema!({ "anyOf": [one, { "type": "array", "items": one }] })
    }
}

impl JsonSchema for RawTarget {
    fn schema_name() -> Cow<'static, str> {
        "Target".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let map = generator.subschema_for::<RawTargetMap>();
        json_schema!({
            "description": "`demo` (the built-in demo API), or where the API is.",
            "anyOf": [{ "const": "demo" }, map]
        })
    }
}

impl JsonSchema for RawLeakage {
    fn schema_name() -> Cow<'static, str> {
        "Leakage".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "`off`, `on`, or detectors to leave out.",
            "anyOf": [
                { "enum": ["off", "on"] },
                { "type": "boolean" },
                {
                    "type": "object",
                    "properties": { "ignore": { "type": "array", "items": { "type": "string" } } },
                    "required": ["ignore"],
                    "additionalProperties": false
                }
            ]
        })
    }
}
