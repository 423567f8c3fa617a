//! `application/x-www-form-urlencoded` bodies and query strings: bracket keys (`a[]`,
//! `a[0][b]`, `a[b]`) become arrays and objects.

use serde_json::{Map, Value};

use super::error::DecodeError;
use crate::support::excerpt;

/// The largest accepted array index in bracketed form keys (`schedules[999]`).
const MAX_FORM_INDEX: usize = 1000;
/// The deepest accepted bracket nesting in form keys.
const MAX_FORM_DEPTH: usize = 4;

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
                excerpt(key, 40)
            )));
        };
        segments.push(stripped[..close].to_owned());
        rest = &stripped[close + 1..];
        if segments.len() > MAX_FORM_DEPTH {
            return Err(DecodeError(format!(
                "form key `{}` is nested too deeply",
                excerpt(key, 40)
            )));
        }
    }
    if !rest.is_empty() {
        return Err(DecodeError(format!(
            "malformed form key `{}`",
            excerpt(key, 40)
        )));
    }
    Ok((name, segments))
}

fn insert_form_pair(root: &mut Value, key: &str, value: Value) -> Result<(), DecodeError> {
    let (name, segments) = split_key(key)?;
    if name.is_empty() {
        return Err(DecodeError(format!(
            "malformed form key `{}`",
            excerpt(key, 40)
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
            excerpt(key, 40)
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
            excerpt(key, 40)
        )));
    }
    if let Ok(index) = next.parse::<usize>() {
        if index >= MAX_FORM_INDEX {
            return Err(DecodeError(format!(
                "array index too large in `{}`",
                excerpt(key, 40)
            )));
        }
        let entry = map
            .entry(head.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(obj) = entry else {
            return Err(DecodeError(format!(
                "form key `{}` conflicts with another key",
                excerpt(key, 40)
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
