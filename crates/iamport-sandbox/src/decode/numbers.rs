//! JSON numbers read and written from their text, never through `f64`.
//!
//! Without serde_json's `arbitrary_precision` feature (which would change how every crate of
//! the workspace decodes), a [`Value`] holds a number that is not an `i64`/`u64` as an `f64`:
//! `9007199254740993.5` becomes `9007199254740994`, and a large amount is written back as
//! `9.007199254740994e15`. So the sandbox rewrites JSON text before serde_json parses it: every
//! number other than an integer that fits 64 bits becomes a string holding its exact text.
//!
//! - Request bodies ([`parse_exact`]): such a number becomes a plain string, as a form value is;
//!   the decoder already reads strings into numbers and amounts ([`iamport::Amount`] reads the
//!   decimal text exactly).
//! - Responses ([`to_value`], written through [`Exact`]): such a number becomes a string marked
//!   with a leading NUL, which [`Exact`] writes back as the number it was; a genuine string that
//!   starts with NUL gets a second one, which [`Exact`] removes.

use std::borrow::Cow;

use serde::{Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// The mark of a number kept as text in a response [`Value`].
const MARK: char = '\u{0}';
/// The mark as serde_json escapes it inside a string.
const MARK_ESCAPED: &[u8] = b"\\u0000";

/// Parses a request body: numbers that are not 64-bit integers are read as strings of their
/// exact text.
pub fn parse_exact(body: &[u8]) -> serde_json::Result<Value> {
    serde_json::from_slice(&rewrite(body, false))
}

/// Serializes `value` into a [`Value`] without rounding a number through `f64` (see the module
/// docs); write it through [`Exact`].
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Value> {
    let text = serde_json::to_vec(value)?;
    serde_json::from_slice(&rewrite(&text, true))
}

/// A [`Value`] that serializes its marked numbers as the numbers they were.
pub struct Exact<'a>(pub &'a Value);

impl Serialize for Exact<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::String(s) => match s.strip_prefix(MARK) {
                Some(rest) if rest.starts_with(MARK) => serializer.serialize_str(rest),
                Some(number) if is_json_number(number.as_bytes()) => {
                    RawValue::from_string(number.to_owned())
                        .map_err(serde::ser::Error::custom)?
                        .serialize(serializer)
                }
                _ => serializer.serialize_str(s),
            },
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Exact(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, item) in map {
                    out.serialize_entry(key, &Exact(item))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

/// Whether `token` follows JSON's number grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(token: &[u8]) -> bool {
    let mut i = usize::from(token.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while token.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match token.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if token.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(token.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(token.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == token.len()
}

/// Whether serde_json keeps this number exactly in a [`Value`]: an integer of 64 bits.
fn fits_a_value(token: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(token) else {
        return false;
    };
    !token.iter().any(|b| matches!(b, b'.' | b'e' | b'E'))
        && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok())
}

/// Rewrites JSON text (one pass): each number that is not a 64-bit integer becomes a string of
/// its text, marked when `marked`; then a genuine string value starting with the mark gets a
/// second one. Text that is not JSON is left for serde_json to refuse.
fn rewrite(text: &[u8], marked: bool) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'"' => {
                let end = string_end(text, i);
                let is_key = text[end..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|b| *b == b':');
                if marked && !is_key && text[i + 1..].starts_with(MARK_ESCAPED) {
                    let out = out.get_or_insert_with(|| text[..i].to_vec());
                    out.push(b'"');
                    out.extend_from_slice(MARK_ESCAPED);
                    out.extend_from_slice(&text[i + 1..end]);
                } else if let Some(out) = &mut out {
                    out.extend_from_slice(&text[i..end]);
                }
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let end = text[i..]
                    .iter()
                    .position(|b| !matches!(b, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
                    .map_or(text.len(), |n| i + n);
                let token = &text[i..end];
                if is_json_number(token) && !fits_a_value(token) {
                    let out = out.get_or_insert_with(|| text[..i].to_vec());
                    out.push(b'"');
                    if marked {
                        out.extend_from_slice(MARK_ESCAPED);
                    }
                    out.extend_from_slice(token);
                    out.push(b'"');
                } else if let Some(out) = &mut out {
                    out.extend_from_slice(token);
                }
                i = end;
            }
            byte => {
                if let Some(out) = &mut out {
                    out.push(byte);
                }
                i += 1;
            }
        }
    }
    match out {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(text),
    }
}

/// The index just past the string that opens at `start` (or the end of the text).
fn string_end(text: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_numbers_keep_their_text() {
        let v = parse_exact(br#"{"a": 9007199254740993.5, "b": [1, -2, 1e400], "c": "x\"1.5"}"#)
            .unwrap();
        assert_eq!(v["a"], "9007199254740993.5");
        assert_eq!(v["b"], serde_json::json!([1, -2, "1e400"]));
        assert_eq!(v["c"], "x\"1.5");
        assert!(parse_exact(b"{\"a\": 1.}").is_err());
        assert!(parse_exact(b"{\"a\": 01}").is_err());
    }

    #[test]
    fn responses_write_numbers_back_exactly() {
        let amount: iamport::Amount = "9007199254740993.5".parse().unwrap();
        let big: iamport::Amount = "90000000000000000000000".parse().unwrap();
        #[derive(Serialize)]
        struct Body {
            amount: iamport::Amount,
            big: iamport::Amount,
            list: Vec<f64>,
            n: i64,
            nul: String,
        }
        let value = to_value(&Body {
            amount,
            big,
            list: vec![0.5],
            n: 7,
            nul: format!("{MARK}1.5"),
        })
        .unwrap();
        // What a handler sees is still the text; what goes out is the number.
        assert_eq!(value["amount"], format!("{MARK}9007199254740993.5"));
        let text = String::from_utf8(serde_json::to_vec(&Exact(&value)).unwrap()).unwrap();
        assert_eq!(
            text,
            r#"{"amount":9007199254740993.5,"big":90000000000000000000000,"list":[0.5],"n":7,"nul":"\u00001.5"}"#
        );
    }
}
