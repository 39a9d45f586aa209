//! A probe table's cell that holds a YAML flow mapping, as the YAML probe writes the
//! same field: a JSON body or webhook payload (`{ username: alice }`), or a map of
//! texts (headers, form fields), each key at the cell's position.

use super::table::Cell;
use crate::load::raw::{S, SpannedMap};

/// Why a cell is not what its key holds: the message and the help.
pub struct Refused {
    pub message: String,
    pub help: String,
}

/// JSON, or a YAML flow mapping.
pub fn json(cell: &Cell, key: &str) -> Result<serde_json::Value, Refused> {
    serde_saphyr::from_str::<serde_json::Value>(&cell.text).map_err(|_| Refused {
        message: format!("`{key}` is neither JSON nor a YAML flow mapping"),
        help: "e.g. `{ type: payment_intent.succeeded, id: evt_1 }`".into(),
    })
}

/// A flow mapping of texts; a number or `true` is taken as written.
pub fn texts(cell: &Cell) -> Result<SpannedMap<String>, Refused> {
    let map = serde_saphyr::from_str::<serde_json::Map<String, serde_json::Value>>(&cell.text)
        .map_err(|_| Refused {
            message: "this cell is not a YAML flow mapping".into(),
            help: "e.g. `{ name: value, other: value }`".into(),
        })?;
    let at = cell.spanned().at;
    let text = |v: serde_json::Value| match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    Ok(SpannedMap(
        map.into_iter()
            .map(|(k, v)| (S::new(k, at), text(v)))
            .collect(),
    ))
}
