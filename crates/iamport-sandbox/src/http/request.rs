//! The request as the HTTP layer reads it: headers, the access token, and the input (path
//! parameters, query and body merged, sizes checked).

use serde_json::{Map, Value};

use crate::decode;
use crate::ops::ApiError;
use crate::support::excerpt;

/// The largest accepted request body.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The longest accepted string in any request field (the spec's own limits are checked too).
pub const MAX_FIELD_CHARS: usize = 4096;

/// One request, as the server layer hands it over.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The access token of a request: `Authorization: Bearer <t>`, `Authorization: <t>`, or
/// `X-ImpTokenHeader: <t>` (`Authorization` wins when both are sent).
pub fn token_of(req: &Incoming) -> Option<String> {
    if let Some(auth) = req.header("authorization") {
        let auth = auth.trim();
        let token = match auth.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => auth,
        };
        if !token.is_empty() {
            return Some(token.to_owned());
        }
    }
    req.header("x-imptokenheader")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// Path parameters, query and body merged into one object (body wins over query, path wins
/// over both).
pub fn input_of(
    req: &Incoming,
    params: Vec<(String, String)>,
) -> Result<Map<String, Value>, ApiError> {
    let mut map = decode::parse_query(req.query.as_deref())?;
    let body = decode::parse_body(req.header("content-type"), &req.body)?;
    map.extend(body);
    for (k, v) in params {
        map.insert(k, Value::String(v));
    }
    check_sizes(&map, "")?;
    Ok(map)
}

fn check_sizes(map: &Map<String, Value>, prefix: &str) -> Result<(), ApiError> {
    for (k, v) in map {
        let name = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::String(s) if s.chars().count() > MAX_FIELD_CHARS => {
                return Err(ApiError::bad_request(format!(
                    "parameter `{}` is too long (at most {MAX_FIELD_CHARS} characters)",
                    excerpt(&name, 80)
                )));
            }
            Value::Object(inner) => check_sizes(inner, &name)?,
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        check_sizes(inner, &name)?;
                    } else if let Value::String(s) = item
                        && s.chars().count() > MAX_FIELD_CHARS
                    {
                        return Err(ApiError::bad_request(format!(
                            "parameter `{}` is too long",
                            excerpt(&name, 80)
                        )));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_from_every_header_form() {
        let mut req = Incoming::default();
        req.headers.push(("x-imptokenheader".into(), "abc".into()));
        assert_eq!(token_of(&req).as_deref(), Some("abc"));
        req.headers
            .push(("Authorization".into(), "Bearer xyz".into()));
        assert_eq!(token_of(&req).as_deref(), Some("xyz"));
        req.headers[1].1 = "raw".into();
        assert_eq!(token_of(&req).as_deref(), Some("raw"));
    }
}
