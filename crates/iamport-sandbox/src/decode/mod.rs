//! Request decoding: JSON or `application/x-www-form-urlencoded` bodies, query strings, and the
//! coercion that lets form input (where every value is a string) decode into the generated
//! request types.
//!
//! Coercion is guided by the target type itself, in one pass: the value is decoded through a
//! deserializer (`Coerce`) that, when the target asks for a number, a boolean or a sequence
//! where the input holds a string (or for a string where it holds a number), converts the value
//! on the spot. [`serde_path_to_error`] wraps it so that errors name the field by its path. The
//! work is linear in the size of the input.

use serde_json::{Map, Value};

mod coerce;
mod error;
mod form;
pub mod numbers;
#[cfg(test)]
mod tests;

pub use coerce::decode;
pub use error::DecodeError;
pub use form::parse_form;

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
            && let Ok(Value::Object(map)) = numbers::parse_exact(body)
        {
            return Ok(map);
        }
        return parse_form(body);
    }
    // Numbers are read from their text (see `numbers`): an amount is never rounded by `f64`.
    match numbers::parse_exact(body) {
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

/// Parses a query string the same way as a form body.
pub fn parse_query(query: Option<&str>) -> Result<Map<String, Value>, DecodeError> {
    match query {
        Some(q) if !q.is_empty() => parse_form(q.as_bytes()),
        _ => Ok(Map::new()),
    }
}
