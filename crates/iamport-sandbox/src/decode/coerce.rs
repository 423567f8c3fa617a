//! The one-pass coercion that lets form input (every value a string) decode into the generated
//! request types.

use serde::Deserializer;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::error::DecodeError;

/// Decodes `value` into `T`, coercing strings to numbers/booleans/sequences (and numbers to
/// strings) where `T` asks for them. Errors name the field by its path.
///
/// One pass over the input: the coercion happens inside the deserializer ([`Coerce`]) at the
/// moment `T` asks for a type, so the cost is linear in the size of `value`.
pub fn decode<T: DeserializeOwned>(value: Value) -> Result<T, DecodeError> {
    #[cfg(test)]
    PASSES.with(|p| p.set(p.get() + 1));
    serde_path_to_error::deserialize::<_, T>(Coerce(&value)).map_err(|err| {
        let segments = path_segments(err.path());
        describe(&path_text(&segments), &err.inner().to_string())
    })
}

#[cfg(test)]
thread_local! {
    /// Decode passes started on this thread (for the linear-time test).
    pub(super) static PASSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Input nodes visited by [`Coerce`] on this thread (for the linear-time test).
    pub(super) static VISITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A [`serde::Deserializer`] over a borrowed JSON value that converts form strings into what
/// the target type asks for: numbers, booleans, a one-element sequence; and numbers or booleans
/// into strings. Anything else is delegated to `serde_json`'s own `&Value` deserializer.
struct Coerce<'de>(&'de Value);

impl<'de> Coerce<'de> {
    fn new(value: &'de Value) -> Self {
        #[cfg(test)]
        VISITS.with(|v| v.set(v.get() + 1));
        Coerce(value)
    }
}

/// The name serde_json gives the newtype through which `RawValue` is deserialized.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "y" | "yes" | "on" => Some(true),
        "false" | "0" | "n" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

/// An integer written as text: `12`, ` 12 `, `-3`, or with a zero fraction (`100.0`).
enum Int {
    Signed(i64),
    Unsigned(u64),
}

fn parse_int(text: &str) -> Option<Int> {
    let t = text.trim();
    let t = match t.split_once('.') {
        Some((int, frac)) if frac.chars().all(|c| c == '0') => int,
        _ => t,
    };
    if let Ok(i) = t.parse::<i64>() {
        return Some(Int::Signed(i));
    }
    t.parse::<u64>().ok().map(Int::Unsigned)
}

macro_rules! coerce_int {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self.0 {
                Value::String(s) => match parse_int(s) {
                    Some(Int::Signed(i)) => visitor.visit_i64(i),
                    Some(Int::Unsigned(u)) => visitor.visit_u64(u),
                    None => Err(de::Error::invalid_type(de::Unexpected::Str(s), &visitor)),
                },
                other => other.$method(visitor),
            }
        }
    )*};
}

macro_rules! coerce_float {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self.0 {
                Value::String(s) => match s.trim().parse::<f64>() {
                    Ok(f) if f.is_finite() => visitor.visit_f64(f),
                    _ => Err(de::Error::invalid_type(de::Unexpected::Str(s), &visitor)),
                },
                other => other.$method(visitor),
            }
        }
    )*};
}

macro_rules! coerce_text {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match self.0 {
                Value::Number(n) => visitor.visit_string(n.to_string()),
                Value::Bool(b) => visitor.visit_string(b.to_string()),
                other => other.$method(visitor),
            }
        }
    )*};
}

macro_rules! delegate {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Coerce<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            Value::Object(map) => visitor.visit_map(Fields {
                iter: map.iter(),
                value: None,
            }),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(s) => match parse_bool(s) {
                Some(b) => visitor.visit_bool(b),
                None => Err(de::Error::invalid_type(de::Unexpected::Str(s), &visitor)),
            },
            other => other.deserialize_bool(visitor),
        }
    }

    coerce_int!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128
    );
    coerce_float!(deserialize_f32, deserialize_f64);
    coerce_text!(deserialize_char, deserialize_str, deserialize_string);
    delegate!(
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_unit,
        deserialize_identifier
    );

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if name == RAW_VALUE_TOKEN {
            return self.0.deserialize_newtype_struct(name, visitor);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            // A form that used `a[x]` keys for what is an array: the values in key order.
            Value::Object(map) => visitor.visit_seq(Seq(map.values())),
            // A single form value where a list is expected: a list of one.
            Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                visitor.visit_seq(Seq(std::slice::from_ref(self.0).iter()))
            }
            Value::Null => self.0.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields {
                iter: map.iter(),
                value: None,
            }),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields {
                iter: map.iter(),
                value: None,
            }),
            Value::Array(items) => visitor.visit_seq(Seq(items.iter())),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }
}

/// The elements of an array (or the values of an object read as an array), each coerced.
struct Seq<I>(I);

impl<'de, I: Iterator<Item = &'de Value>> SeqAccess<'de> for Seq<I> {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        match self.0.next() {
            Some(value) => seed.deserialize(Coerce::new(value)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        match self.0.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

/// The fields of an object, each value coerced.
struct Fields<'de> {
    iter: serde_json::map::Iter<'de>,
    value: Option<&'de Value>,
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, Self::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Coerce::new(value)),
            None => Err(de::Error::custom("value requested before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

enum Segment {
    Key(String),
    Index(usize),
}

fn path_segments(path: &serde_path_to_error::Path) -> Vec<Segment> {
    use serde_path_to_error::Segment as S;
    path.iter()
        .filter_map(|seg| match seg {
            S::Map { key } => Some(Segment::Key(key.clone())),
            S::Seq { index } => Some(Segment::Index(*index)),
            _ => None,
        })
        .collect()
}

fn path_text(segments: &[Segment]) -> String {
    let mut out = String::new();
    for seg in segments {
        match seg {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn expected_part(message: &str) -> &str {
    message
        .rsplit_once(", expected ")
        .map(|(_, e)| e)
        .unwrap_or("")
}

fn wants_number(expected: &str) -> bool {
    let e = expected.to_ascii_lowercase();
    [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "integer", "number",
        "decimal",
    ]
    .iter()
    .any(|w| {
        e.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|tok| tok == *w)
    })
}

/// A field-naming message that never repeats the offending value (it may be a card number).
fn describe(path: &str, message: &str) -> DecodeError {
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        let full = if path.is_empty() {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        };
        return DecodeError(format!("missing required parameter `{full}`"));
    }
    let field = if path.is_empty() {
        "(body)".to_owned()
    } else {
        path.to_owned()
    };
    let expected = expected_part(message);
    if message.starts_with("unknown variant") {
        return DecodeError(format!("invalid value for `{field}`: {message}"));
    }
    if !expected.is_empty() {
        let expected = if wants_number(expected) && !expected.contains("string") {
            "a number".to_owned()
        } else {
            expected.to_owned()
        };
        return DecodeError(format!("invalid parameter `{field}`: expected {expected}"));
    }
    if message.contains("decimal") || message.contains("amount") {
        return DecodeError(format!(
            "invalid parameter `{field}`: expected a decimal number"
        ));
    }
    DecodeError(format!("invalid parameter `{field}`"))
}
