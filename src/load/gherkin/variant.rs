//! A probe table cell that holds a request variant, written as the YAML probe writes it:
//! a flow mapping of `json:`, `form:`, `body:`, `query:` and `headers:` (enumeration's
//! `unknown` and `wrong_secret`). Every key and value is placed at the cell.

use crate::load::raw::{RawVariant, S, SpannedMap};

const KEYS: &str = "json, form, body, query, headers";

/// The variant in `text`, or what is wrong with it.
pub fn variant(text: &str, at: S<()>) -> Result<RawVariant, String> {
    let value: serde_json::Value = serde_saphyr::from_str(text)
        .map_err(|_| "is neither JSON nor a YAML flow mapping".to_string())?;
    let serde_json::Value::Object(fields) = value else {
        return Err(format!("is a mapping of {KEYS}"));
    };
    let mut v = RawVariant::default();
    for (key, value) in fields {
        match key.as_str() {
            "json" => v.json = Some(value),
            "body" => match value {
                serde_json::Value::String(s) => v.body = Some(s),
                _ => return Err("`body` is a text".into()),
            },
            "form" => v.form = Some(strings(&key, value, at.at)?),
            "query" => v.query = Some(strings(&key, value, at.at)?),
            "headers" => v.headers = Some(strings(&key, value, at.at)?),
            other => return Err(format!("has an unknown key `{other}` (keys: {KEYS})")),
        }
    }
    Ok(v)
}

/// A mapping of texts (numbers and booleans as YAML would read them into text).
fn strings(
    key: &str,
    value: serde_json::Value,
    at: crate::load::raw::Pos,
) -> Result<SpannedMap<String>, String> {
    let serde_json::Value::Object(m) = value else {
        return Err(format!("`{key}` is a mapping of names to values"));
    };
    let mut out = Vec::new();
    for (name, v) in m {
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => return Err(format!("`{key}.{name}` is a text")),
        };
        out.push((S::new(name, at), text));
    }
    Ok(SpannedMap(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::Pos;

    #[test]
    fn a_cell_reads_as_the_yaml_variant() {
        let at = S::new((), Pos::new(3, 7));
        let v = variant(
            r#"{ json: { username: "nobody-{{run.id}}", password: "${env:P}" } }"#,
            at.clone(),
        )
        .unwrap();
        assert_eq!(v.json.unwrap()["username"], "nobody-{{run.id}}");
        let v = variant("{ form: { user: bob, pin: 1234 } }", at.clone()).unwrap();
        let form = v.form.unwrap();
        let pin = form.0.iter().find(|(k, _)| k.value == "pin").unwrap();
        assert_eq!((pin.1.as_str(), pin.0.at), ("1234", Pos::new(3, 7)));
        let Err(why) = variant("{ jsno: {} }", at.clone()) else {
            panic!("an unknown key was taken")
        };
        assert!(why.contains("`jsno`"), "{why}");
        assert!(variant("[1, 2]", at).is_err());
    }
}
