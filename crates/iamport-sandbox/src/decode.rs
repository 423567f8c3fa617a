//! Request decoding: JSON or `application/x-www-form-urlencoded` bodies, query strings, and the
//! coercion that lets form input (where every value is a string) decode into the generated
//! request types.
//!
//! Coercion is guided by the target type itself: the value is decoded with
//! [`serde_path_to_error`], and when the error says that a number, a boolean or a sequence was
//! expected where a string was found (or a string where a number was found), the value at the
//! reported path is converted and decoding is retried. The number of retries is bounded by the
//! number of scalar values in the input, so a hostile body cannot loop.

use serde::de::DeserializeOwned;
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
pub fn decode<T: DeserializeOwned>(mut value: Value) -> Result<T, DecodeError> {
    let budget = count_scalars(&value) + 2;
    for _ in 0..budget {
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(decoded) => return Ok(decoded),
            Err(err) => err,
        };
        let path = err.path().clone();
        let message = err.inner().to_string();
        let segments = path_segments(&path);
        let Some(slot) = locate(&mut value, &segments) else {
            return Err(describe(&path_text(&segments), &message));
        };
        if !coerce(slot, &message) {
            return Err(describe(&path_text(&segments), &message));
        }
    }
    Err(DecodeError("the request body could not be decoded".into()))
}

fn count_scalars(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.iter().map(count_scalars).sum::<usize>() + 1,
        Value::Object(map) => map.values().map(count_scalars).sum::<usize>() + 1,
        _ => 1,
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

fn locate<'a>(value: &'a mut Value, segments: &[Segment]) -> Option<&'a mut Value> {
    let mut node = value;
    for seg in segments {
        node = match (seg, node) {
            (Segment::Key(k), Value::Object(map)) => map.get_mut(k)?,
            (Segment::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
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

/// Converts the value at the error's location; returns false when nothing sensible applies.
fn coerce(slot: &mut Value, message: &str) -> bool {
    let expected = expected_part(message);
    match slot {
        Value::String(s) => {
            let t = s.trim();
            if expected.contains("boolean") {
                let b = match t.to_ascii_lowercase().as_str() {
                    "true" | "1" | "y" | "yes" | "on" => true,
                    "false" | "0" | "n" | "no" | "off" | "" => false,
                    _ => return false,
                };
                *slot = Value::Bool(b);
                return true;
            }
            if expected.contains("sequence") {
                let old = slot.take();
                *slot = Value::Array(vec![old]);
                return true;
            }
            if wants_number(expected) {
                if let Ok(i) = t.parse::<i64>() {
                    *slot = Value::from(i);
                    return true;
                }
                if let Ok(u) = t.parse::<u64>() {
                    *slot = Value::from(u);
                    return true;
                }
                // Integers written with a zero fraction ("100.0") are still integers.
                if let Some((int, frac)) = t.split_once('.')
                    && frac.chars().all(|c| c == '0')
                    && let Ok(i) = int.parse::<i64>()
                {
                    *slot = Value::from(i);
                    return true;
                }
                return false;
            }
            false
        }
        Value::Number(n) if expected.contains("string") => {
            let text = n.to_string();
            *slot = Value::String(text);
            true
        }
        Value::Bool(b) if expected.contains("string") => {
            *slot = Value::String(b.to_string());
            true
        }
        Value::Object(map) if expected.contains("sequence") => {
            // A form that used `a[x]` keys for what is an array: take the values in order.
            let items: Vec<Value> = std::mem::take(map).into_iter().map(|(_, v)| v).collect();
            *slot = Value::Array(items);
            true
        }
        _ => false,
    }
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
}
