//! How raw structs are read from YAML where a derive cannot say it: positions from
//! serde-saphyr's spans, mappings that keep their keys' positions, one value or a list,
//! and the fields that take either a word or a mapping (`target:`, `leakage:`).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use crate::load::raw::{OneOrMany, Pos, RawLeakage, RawTarget, RawTargetMap, S, SpannedMap};

impl<'de, T: Deserialize<'de>> Deserialize<'de> for S<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let at = spanned.referenced;
        Ok(S::new(spanned.value, Pos::new(at.line(), at.column())))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeakageMap {
    ignore: Vec<S<String>>,
}

impl<'de> Deserialize<'de> for RawLeakage {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawLeakage;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`off`, `on`, or a mapping with `ignore`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawLeakage::Switch(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(RawLeakage::Switch(if v { "on" } else { "off" }.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawLeakageMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|m| RawLeakage::Ignore(m.ignore))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = SpannedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    out.push((k, v));
                }
                Ok(SpannedMap(out))
            }
        }
        d.deserialize_map(MapVisitor(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(OneOrMany(out))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(|t| OneOrMany(vec![t]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(|t| OneOrMany(vec![t]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(|t| OneOrMany(vec![t]))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(|t| OneOrMany(vec![t]))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de> Deserialize<'de> for RawTarget {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTarget;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`demo` or a mapping with `base_url`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawTarget::Named(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawTargetMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawTarget::Url)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every later diagnostic points where serde-saphyr says the value is written.
    #[test]
    fn keys_and_values_keep_their_line_and_column() {
        let map: SpannedMap<S<String>> = serde_saphyr::from_str("k: v\nother:   w\n").unwrap();
        let got: Vec<_> = map
            .0
            .iter()
            .map(|(k, v)| (k.value.as_str(), k.at, v.value.as_str(), v.at))
            .collect();
        assert_eq!(
            got,
            vec![
                ("k", Pos::new(1, 1), "v", Pos::new(1, 4)),
                ("other", Pos::new(2, 1), "w", Pos::new(2, 10)),
            ]
        );
    }

    #[test]
    fn one_value_or_a_list() {
        let one: OneOrMany<u16> = serde_saphyr::from_str("201").unwrap();
        let many: OneOrMany<u16> = serde_saphyr::from_str("[500, 503]").unwrap();
        assert_eq!((one.0, many.0), (vec![201], vec![500, 503]));
    }
}
