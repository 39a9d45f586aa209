//! Raw `login:` roles: the login request (shaped like a scenario step's), where its
//! answer carries the token, and how the role sends it.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::span::{S, SpannedMap};
use super::suite::RawRequestParts;

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLoginRole {
    /// `POST /auth/login`.
    pub request: S<String>,
    pub json: Option<serde_json::Value>,
    pub form: Option<SpannedMap<String>>,
    pub body: Option<String>,
    pub headers: Option<SpannedMap<String>>,
    pub query: Option<SpannedMap<String>>,
    /// A JSONPath into the answer's body (`$.auth_token`), `{ header: X-Auth-Token }` or
    /// `{ cookie: session }`.
    pub token: S<RawTokenFrom>,
    /// How requests send it: `{ header: NAME, prefix: "…" }` or `{ cookie: NAME }`.
    /// Default: `Authorization: Bearer <token>`, or the cookie it came in.
    pub send: Option<S<RawTokenPlace>>,
}

impl RawLoginRole {
    pub fn parts(&self) -> RawRequestParts<'_> {
        RawRequestParts {
            request: &self.request,
            json: self.json.as_ref(),
            form: self.form.as_ref(),
            body: self.body.as_ref(),
            headers: self.headers.as_ref(),
            query: self.query.as_ref(),
        }
    }
}

/// `token:` as written: a JSONPath, or where in the answer's headers.
pub enum RawTokenFrom {
    Path(String),
    Place(RawTokenPlace),
}

/// `{ header: NAME }` or `{ cookie: NAME }` (`prefix:` only where a header is sent).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTokenPlace {
    pub header: Option<S<String>>,
    pub cookie: Option<S<String>>,
    /// Before the token in the header sent (`send:` only): `Bearer ` for `Authorization`,
    /// nothing for any other header, unless given.
    pub prefix: Option<S<String>>,
}

impl<'de> Deserialize<'de> for RawTokenFrom {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTokenFrom;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a JSONPath such as `$.auth_token`, `{ header: NAME }` or `{ cookie: NAME }`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawTokenFrom::Path(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawTokenPlace::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawTokenFrom::Place)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for RawTokenFrom {
    fn schema_name() -> Cow<'static, str> {
        "LoginToken".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let place = generator.subschema_for::<RawTokenPlace>();
        json_schema!({
            "description": "A JSONPath into the login's answer (`$.auth_token`), or `{ header: NAME }` / `{ cookie: NAME }`.",
            "anyOf": [{ "type": "string" }, place]
        })
    }
}
