//! Reads an OpenAPI document into `oas3`'s types. `oas3` reads 3.1; a 3.0 document is
//! first lifted to 3.1 where the two differ in shape (`nullable`, boolean
//! `exclusiveMinimum`/`exclusiveMaximum`), so both versions go through one set of types.
//! A document that does not parse is a diagnostic at its line and column.

use serde_json::Value;

use crate::load::{SourceFile, SuiteDiagnostic, parse_yaml};

/// A parsed document, and the JSON it was read from (which says what the types cannot:
/// whether an operation writes `security:` at all).
pub struct Document {
    pub spec: oas3::Spec,
    pub json: Value,
}

impl Document {
    /// The operation's own `security:` as written: `None` when it has none (the
    /// document's global `security` then applies), `Some([])` when it clears it.
    pub fn own_security(&self, path: &str, method: &str) -> Option<&Vec<Value>> {
        self.json
            .get("paths")?
            .get(path)?
            .get(method.to_ascii_lowercase())?
            .get("security")?
            .as_array()
    }
}

/// `source` as an OpenAPI 3.0 or 3.1 document (YAML, or JSON, which is YAML too).
/// `text` as a document named `spec.yaml`, for unit tests.
#[cfg(test)]
pub fn parse_text(text: &str) -> Document {
    let source = SourceFile::from_text(std::path::Path::new("spec.yaml"), text);
    parse(&source).unwrap_or_else(|e| panic!("{e:?}"))
}

pub fn parse(source: &SourceFile) -> Result<Document, Vec<SuiteDiagnostic>> {
    let mut json: Value = parse_yaml(source).map_err(first)?;
    let version = json
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if version.starts_with("3.0") {
        lift(&mut json);
    } else if !version.starts_with("3.1") {
        let (line, column) = key_position(source, &["openapi", "swagger"]);
        let found = match (json.get("openapi"), json.get("swagger")) {
            (_, Some(s)) => format!("a Swagger {} document", plain(s)),
            (Some(v), _) => format!("`openapi: {}`", plain(v)),
            (None, None) => "no `openapi:` version".into(),
        };
        let mut d = SuiteDiagnostic::new(
            source,
            line,
            column,
            format!("not an OpenAPI 3.0 or 3.1 document: {found}"),
        );
        d.help("authspec reads OpenAPI 3.0 and 3.1; convert a Swagger 2.0 document first");
        return Err(vec![d]);
    }
    match serde_json::from_value::<oas3::Spec>(json.clone()) {
        Ok(spec) => Ok(Document { spec, json }),
        Err(e) => Err(vec![locate(
            source,
            &e.to_string(),
            version.starts_with("3.0"),
        )]),
    }
}

/// A document's first problem is enough: the rest may follow from it.
fn first(mut all: Vec<SuiteDiagnostic>) -> Vec<SuiteDiagnostic> {
    all.truncate(1);
    all
}

fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// A shape error found in the JSON value has no position: the same document read
/// straight from its text trips at one, the same place unless the document is 3.0 and
/// trips first on what `lift` fixes (a boolean `exclusiveMinimum`).
fn locate(source: &SourceFile, message: &str, lifted: bool) -> SuiteDiagnostic {
    let at = match parse_yaml::<oas3::Spec>(source) {
        Err(all) => all.first().map(|d| (d.location.line, d.location.column)),
        Ok(_) => None,
    }
    .filter(|(line, _)| !(lifted && source.line_text(*line).contains("exclusiveM")));
    let (line, column) = at.unwrap_or((1, 1));
    let mut d = SuiteDiagnostic::new(
        source,
        line,
        column,
        format!("not an OpenAPI document: {message}"),
    );
    d.help("check the document against the OpenAPI specification (an OpenAPI linter shows more)");
    d
}

/// Where the first of `keys` is written at the start of a line, else 1:1.
fn key_position(source: &SourceFile, keys: &[&str]) -> (u64, u64) {
    for (n, line) in source.text.lines().enumerate() {
        let trimmed = line.trim_start().trim_start_matches(['{', '"', '\'']);
        if keys.iter().any(|k| trimmed.starts_with(k)) {
            let column = line.len() - line.trim_start().len() + 1;
            return (n as u64 + 1, column as u64);
        }
    }
    (1, 1)
}

/// OpenAPI 3.0 schemas into their 3.1 shape, everywhere but inside example values.
fn lift(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(lift),
        Value::Object(map) => {
            for (bound, exclusive) in [
                ("minimum", "exclusiveMinimum"),
                ("maximum", "exclusiveMaximum"),
            ] {
                match map.get(exclusive) {
                    Some(Value::Bool(true)) => match map.remove(bound) {
                        Some(n) => {
                            map.insert(exclusive.into(), n);
                        }
                        None => {
                            map.remove(exclusive);
                        }
                    },
                    Some(Value::Bool(false)) => {
                        map.remove(exclusive);
                    }
                    _ => {}
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(t)) = map.get("type").cloned()
            {
                map.insert("type".into(), serde_json::json!([t, "null"]));
            }
            if map.get("nullable").is_some_and(Value::is_boolean) {
                map.remove("nullable");
            }
            for (k, v) in map.iter_mut() {
                if !matches!(
                    k.as_str(),
                    "example" | "examples" | "default" | "enum" | "const"
                ) {
                    lift(v);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceFile {
        SourceFile::from_text(std::path::Path::new("spec.yaml"), text)
    }

    #[test]
    fn a_3_0_schema_is_lifted_to_3_1() {
        let mut v = serde_json::json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true,
            "nullable": true, "example": {"exclusiveMinimum": true}});
        lift(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"type": ["integer", "null"], "exclusiveMinimum": 1,
                "example": {"exclusiveMinimum": true}})
        );
    }

    #[test]
    fn swagger_2_is_refused_at_its_key() {
        let Err(d) = parse(&source("info: {}\nswagger: \"2.0\"\n")) else {
            panic!("swagger 2.0 was read");
        };
        let d = &d[0];
        assert_eq!((d.location.line, d.location.column), (2, 1));
        assert!(d.message.contains("Swagger 2.0"), "{}", d.message);
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let Err(d) = parse(&source("openapi: 3.1.0\ninfo: [\n")) else {
            panic!("a broken document was read");
        };
        let d = &d[0];
        assert!(d.location.line >= 2, "{}", d.location);
    }
}
