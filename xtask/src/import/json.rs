//! A JSON value that keeps its objects' key order, so that rewriting `spec/iamport.json` leaves
//! everything the import did not touch byte for byte as it was (`serde_json::Value` sorts keys
//! unless the workspace-wide `preserve_order` feature is on, which would change other crates).

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// An ordered JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Num(serde_json::Number),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<J>),
    /// An object, in document order.
    Obj(IndexMap<String, J>),
}

/// An ordered JSON object.
pub type Obj = IndexMap<String, J>;

impl J {
    /// The object, if this is one.
    pub fn obj(&self) -> Option<&Obj> {
        match self {
            J::Obj(o) => Some(o),
            _ => None,
        }
    }
    /// The object, mutably.
    pub fn obj_mut(&mut self) -> Option<&mut Obj> {
        match self {
            J::Obj(o) => Some(o),
            _ => None,
        }
    }
    /// The string, if this is one.
    pub fn str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The array, if this is one.
    pub fn arr(&self) -> Option<&[J]> {
        match self {
            J::Arr(a) => Some(a),
            _ => None,
        }
    }
    /// `self[key]` of an object, or `None`.
    pub fn get(&self, key: &str) -> Option<&J> {
        self.obj().and_then(|o| o.get(key))
    }
    /// The value at a `/`-separated path of object keys (no escaping: keys holding `/` are looked
    /// up with [`J::get`]).
    pub fn at(&self, path: &[&str]) -> Option<&J> {
        path.iter().try_fold(self, |v, k| v.get(k))
    }
    /// A number as `u64` (a number written as a string, an upstream defect, too).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            J::Num(n) => n.as_u64(),
            J::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    /// A number as `f64`, for bounds (a number written as a string too).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            J::Num(n) => n.as_f64(),
            J::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    /// A string value.
    pub fn s(text: impl Into<String>) -> J {
        J::Str(text.into())
    }
    /// An unsigned number.
    pub fn n(value: u64) -> J {
        J::Num(value.into())
    }
}

/// Builds an object from pairs, in order.
pub fn obj<const N: usize>(pairs: [(&str, J); N]) -> J {
    J::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Parses JSON text.
pub fn parse(text: &str) -> Result<J, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Writes JSON the way `spec/iamport.json` is written: two-space indent, UTF-8, final newline.
pub fn to_pretty(value: &J) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values always serialize");
    text.push('\n');
    text
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::Num(n) => n.serialize(s),
            J::Str(t) => s.serialize_str(t),
            J::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            J::Obj(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct JVisitor;

impl<'de> Visitor<'de> for JVisitor {
    type Value = J;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<J, E> {
        Ok(J::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<J, E> {
        Ok(J::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<J, E> {
        Ok(serde_json::Number::from_f64(v).map_or(J::Null, J::Num))
    }
    fn visit_str<E>(self, v: &str) -> Result<J, E> {
        Ok(J::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<J, E> {
        Ok(J::Str(v))
    }
    fn visit_unit<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_none<E>(self) -> Result<J, E> {
        Ok(J::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(J::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
        let mut o = IndexMap::new();
        while let Some((k, v)) = map.next_entry::<String, J>()? {
            o.insert(k, v);
        }
        Ok(J::Obj(o))
    }
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        d.deserialize_any(JVisitor)
    }
}

#[cfg(test)]
mod tests {
    /// The project's spec survives a read and a write unchanged.
    #[test]
    fn the_spec_round_trips_byte_for_byte() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let text = std::fs::read_to_string(root.join(crate::SPEC)).unwrap();
        assert_eq!(super::to_pretty(&super::parse(&text).unwrap()), text);
    }
}
