//! Request decoding: JSON or `application/x-www-form-urlencoded` bodies, query strings, and the
//! coercion that lets form input (where every value is a string) decode into the generated
//! request types.
//!
//! Coercion is guided by the target type itself, in one pass: the value is decoded through a
//! deserializer ([`Coerce`]) that, when the target asks for a number, a boolean or a sequence
//! where the input holds a string (or for a string where it holds a number), converts the value
//! on the spot. [`serde_path_to_error`] wraps it so that errors name the field by its path. The
//! work is linear in the size of the input.

use serde::Deserializer;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The largest accepted array index in bracketed form keys (`schedules[999]`).
const MAX_FORM_INDEX: usize = 1000;
/// The deepest accepted bracket nesting in form keys.
const MAX_FORM_DEPTH: usize = 4;

/// A request that could not be decoded; the message names the field and never echoes values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

/// Parses a body according to its content type into a JSON object.
///
/// An empty body is an empty object. A body without a content type is tried as JSON first, then
/// as a form.
pub fn parse_body(
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Map<String, Value>, DecodeError> {
    let trimmed = body.iter().all(|b| b.is_ascii_whitespace());
    if trimmed {
        return Ok(Map::new());
    }
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let is_form = ct.starts_with("application/x-www-form-urlencoded");
    let is_json = ct.starts_with("application/json") || ct.contains("+json");
    if is_form {
        // A JSON object sent with a form content type (curl -d does that) is still JSON.
        if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
            && let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body)
        {
            return Ok(map);
        }
        return parse_form(body);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(DecodeError("the request body must be a JSON object".into())),
        Err(err) if is_json => Err(DecodeError(format!(
            "malformed JSON body: {}",
            json_syntax_message(&err)
        ))),
        Err(_) => parse_form(body).map_err(|_| {
            DecodeError(
                "the request body is neither a JSON object nor an application/x-www-form-urlencoded form"
                    .into(),
            )
        }),
    }
}

fn json_syntax_message(err: &serde_json::Error) -> String {
    // serde_json's syntax errors describe the position, never the content.
    err.to_string()
}

/// Parses `a=1&b[]=2&c[0][d]=3` into a JSON object of strings, arrays and objects.
pub fn parse_form(body: &[u8]) -> Result<Map<String, Value>, DecodeError> {
    if std::str::from_utf8(body).is_err() {
        return Err(DecodeError("the form body is not valid UTF-8".into()));
    }
    let mut root = Value::Object(Map::new());
    for (key, value) in form_urlencoded::parse(body) {
        insert_form_pair(&mut root, &key, Value::String(value.into_owned()))?;
    }
    finish_arrays(&mut root);
    match root {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}

/// Parses a query string the same way as a form body.
pub fn parse_query(query: Option<&str>) -> Result<Map<String, Value>, DecodeError> {
    match query {
        Some(q) if !q.is_empty() => parse_form(q.as_bytes()),
        _ => Ok(Map::new()),
    }
}

/// Marker key under which numeric bracket indices are collected before they become arrays.
const INDEXED: &str = "\u{0}indexed";

fn split_key(key: &str) -> Result<(String, Vec<String>), DecodeError> {
    let Some(open) = key.find('[') else {
        return Ok((key.to_owned(), Vec::new()));
    };
    let name = key[..open].to_owned();
    let mut segments = Vec::new();
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(close) = stripped.find(']') else {
            return Err(DecodeError(format!(
                "malformed form key `{}`",
                excerpt(key)
            )));
        };
        segments.push(stripped[..close].to_owned());
        rest = &stripped[close + 1..];
        if segments.len() > MAX_FORM_DEPTH {
            return Err(DecodeError(format!(
                "form key `{}` is nested too deeply",
                excerpt(key)
            )));
        }
    }
    if !rest.is_empty() {
        return Err(DecodeError(format!(
            "malformed form key `{}`",
            excerpt(key)
        )));
    }
    Ok((name, segments))
}

fn excerpt(s: &str) -> String {
    s.chars().take(40).collect()
}

fn insert_form_pair(root: &mut Value, key: &str, value: Value) -> Result<(), DecodeError> {
    let (name, segments) = split_key(key)?;
    if name.is_empty() {
        return Err(DecodeError(format!(
            "malformed form key `{}`",
            excerpt(key)
        )));
    }
    // Keep the literal key as well when it has brackets (`customer_uid[]`, `extra[requester]`),
    // so types that name the wire key literally decode too.
    if !segments.is_empty()
        && let Value::Object(map) = root
    {
        push_value(map, key, value.clone());
    }
    let mut path: Vec<String> = vec![name];
    path.extend(segments);
    insert_path(root, &path, value, key)
}

fn push_value(map: &mut Map<String, Value>, key: &str, value: Value) {
    match map.get_mut(key) {
        None => {
            map.insert(key.to_owned(), value);
        }
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let old = existing.take();
            *existing = Value::Array(vec![old, value]);
        }
    }
}

fn insert_path(
    node: &mut Value,
    path: &[String],
    value: Value,
    key: &str,
) -> Result<(), DecodeError> {
    let Value::Object(map) = node else {
        return Err(DecodeError(format!(
            "form key `{}` conflicts with another key",
            excerpt(key)
        )));
    };
    let (head, rest) = match path.split_first() {
        Some(split) => split,
        None => return Ok(()),
    };
    if rest.is_empty() {
        push_value(map, head, value);
        return Ok(());
    }
    let next = &rest[0];
    if next.is_empty() {
        // `a[]`: append.
        let entry = map
            .entry(head.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        if !entry.is_array() {
            let old = entry.take();
            *entry = Value::Array(vec![old]);
        }
        if rest.len() == 1 {
            if let Value::Array(items) = entry {
                if items.len() >= MAX_FORM_INDEX {
                    return Err(DecodeError(format!("too many values for `{head}`")));
                }
                items.push(value);
            }
            return Ok(());
        }
        return Err(DecodeError(format!(
            "malformed form key `{}`",
            excerpt(key)
        )));
    }
    if let Ok(index) = next.parse::<usize>() {
        if index >= MAX_FORM_INDEX {
            return Err(DecodeError(format!(
                "array index too large in `{}`",
                excerpt(key)
            )));
        }
        let entry = map
            .entry(head.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(obj) = entry else {
            return Err(DecodeError(format!(
                "form key `{}` conflicts with another key",
                excerpt(key)
            )));
        };
        let indexed = obj
            .entry(INDEXED.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        let mut sub_path = vec![format!("{index:06}")];
        sub_path.extend(rest[1..].iter().cloned());
        return insert_path(indexed, &sub_path, value, key);
    }
    let entry = map
        .entry(head.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    insert_path(entry, rest, value, key)
}

/// Turns the `INDEXED` helper objects into arrays ordered by index.
fn finish_arrays(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if map.len() == 1
                && let Some(Value::Object(indexed)) = map.get_mut(INDEXED)
            {
                let mut items: Vec<(String, Value)> = std::mem::take(indexed).into_iter().collect();
                items.sort_by(|a, b| a.0.cmp(&b.0));
                let mut array: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
                for item in &mut array {
                    finish_arrays(item);
                }
                *node = Value::Array(array);
                return;
            }
            map.remove(INDEXED);
            for value in map.values_mut() {
                finish_arrays(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(finish_arrays),
        _ => {}
    }
}

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
    static PASSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Input nodes visited by [`Coerce`] on this thread (for the linear-time test).
    static VISITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        merchant_uid: String,
        schedule_at: i64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Req {
        customer_uid: String,
        flag: Option<bool>,
        count: Option<i64>,
        ids: Option<Vec<String>>,
        schedules: Vec<Item>,
    }

    #[test]
    fn form_with_brackets_and_strings_decodes() {
        let body = b"customer_uid=c1&flag=true&count=3&ids=a&schedules[0][merchant_uid]=m1&schedules[0][schedule_at]=100&schedules[1][merchant_uid]=m2&schedules[1][schedule_at]=200";
        let map = parse_form(body).unwrap();
        let req: Req = decode(Value::Object(map)).unwrap();
        assert_eq!(req.count, Some(3));
        assert_eq!(req.flag, Some(true));
        assert_eq!(req.ids, Some(vec!["a".to_owned()]));
        assert_eq!(
            req.schedules[1],
            Item {
                merchant_uid: "m2".into(),
                schedule_at: 200
            }
        );
    }

    #[test]
    fn errors_name_the_field_without_the_value() {
        let map = parse_form(
            b"customer_uid=c1&schedules[0][merchant_uid]=m1&schedules[0][schedule_at]=soon",
        )
        .unwrap();
        let err = decode::<Req>(Value::Object(map)).unwrap_err();
        assert!(err.0.contains("schedules[0].schedule_at"), "{}", err.0);
        assert!(!err.0.contains("soon"));
        let err = decode::<Req>(serde_json::json!({"schedules": []})).unwrap_err();
        assert_eq!(err.0, "missing required parameter `customer_uid`");
    }

    #[test]
    fn numbers_become_strings_and_arrays_repeat() {
        let req: Req =
            decode(serde_json::json!({"customer_uid": 42, "schedules": [], "ids": ["x", "y"]}))
                .unwrap();
        assert_eq!(req.customer_uid, "42");
        let map = parse_query(Some("ids[]=a&ids[]=b&customer_uid=c&schedules[]=")).unwrap();
        assert_eq!(map["ids"], serde_json::json!(["a", "b"]));
    }

    #[test]
    fn hostile_forms_are_refused() {
        assert!(parse_form(b"a[99999999]=1").is_err());
        assert!(parse_form(b"a[b][c][d][e][f]=1").is_err());
        assert!(parse_form(b"a[b=1").is_err());
        assert!(parse_body(Some("application/json"), b"{\"a\":").is_err());
        assert!(parse_body(Some("application/json"), b"[1,2]").is_err());
    }

    #[derive(Debug, Deserialize)]
    struct Many {
        ids: Vec<i64>,
        flags: Vec<bool>,
    }

    #[test]
    fn form_coercion_is_one_linear_pass() {
        let n = 8000;
        // The form parser caps `a[]` keys at MAX_FORM_INDEX values; build the shape it
        // produces (arrays of strings) directly, so the decoder sees 8,000-element arrays.
        let value = serde_json::json!({
            "ids": (0..n).map(|i| i.to_string()).collect::<Vec<_>>(),
            "flags": (0..n).map(|i| (i % 2 == 0).to_string()).collect::<Vec<_>>(),
        });
        PASSES.with(|p| p.set(0));
        VISITS.with(|v| v.set(0));
        let many: Many = decode(value).unwrap();
        assert_eq!(many.ids.len(), n);
        assert_eq!(many.ids[7999], 7999);
        assert!(many.flags[0] && !many.flags[1]);
        assert_eq!(PASSES.with(|p| p.get()), 1, "one decode pass");
        // Every coerced value is visited once: 2 × 8,000 elements (+ the two arrays).
        let visits = VISITS.with(|v| v.get());
        assert!(
            visits <= 2 * n + 2,
            "{visits} nodes visited for {} values",
            2 * n
        );
    }
}
