//! Redaction of response bodies and serde messages before they go into an error.
//!
//! Responses may hold masked card numbers, customer data and (for `getToken`) the access token.
//! An error keeps only a short excerpt in which every string value outside a short allow-list of
//! harmless envelope/payment fields is replaced by `"***"`; a body that is not JSON keeps its
//! first characters with digits and long words masked.

use serde_json::Value;

/// The longest excerpt kept, in characters.
pub(crate) const MAX_EXCERPT: usize = 200;

/// The largest body parsed as JSON to build an excerpt (16 KiB). A longer body is not parsed:
/// its first [`TEXT_PREFIX`] bytes are masked as text instead, so the cost of an excerpt is
/// bounded whatever the server sends.
pub(crate) const MAX_PARSED_FOR_EXCERPT: usize = 16 * 1024;

/// How much of a body too long to parse is looked at for its excerpt.
const TEXT_PREFIX: usize = 1024;

/// Fields whose string values are safe to show in an error: they identify or classify, never
/// hold card data, secrets or personal data.
const SAFE_FIELDS: &[&str] = &[
    "code",
    "message",
    "status",
    "imp_uid",
    "merchant_uid",
    "currency",
    "pay_method",
    "pg_provider",
    "channel",
    "fail_reason",
    "schedule_status",
    "payment_status",
    "customer_uid_usage",
];

/// A short, redacted excerpt of a body (see the module docs).
pub(crate) fn excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return "(empty)".to_owned();
    }
    if body.len() > MAX_PARSED_FOR_EXCERPT {
        let prefix = &body[..TEXT_PREFIX];
        return truncate(&mask_text(&String::from_utf8_lossy(prefix)));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact_value(&mut value, None);
            let mut out = String::new();
            render(&value, &mut out);
            truncate(&out)
        }
        Err(_) => truncate(&mask_text(&String::from_utf8_lossy(body))),
    }
}

fn redact_value(value: &mut Value, key: Option<&str>) {
    match value {
        Value::String(s) => {
            if !key.is_some_and(|k| SAFE_FIELDS.contains(&k)) {
                *s = "***".to_owned();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_value(v, key)),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| redact_value(v, Some(k))),
        Value::Number(_) | Value::Bool(_) | Value::Null => {}
    }
}

/// Renders JSON with the allow-listed fields of each object first (they identify the body:
/// `code`, `message`, `imp_uid`, `status`...), so that they survive truncation.
fn render(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by_key(|(k, _)| {
                SAFE_FIELDS
                    .iter()
                    .position(|s| s == k)
                    .unwrap_or(usize::MAX)
            });
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                render(value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Masks every digit and every run of 16 or more letters/digits (tokens) in free text.
fn mask_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.chars().count() >= 16 {
            out.push_str("***");
        } else {
            out.extend(
                word.chars()
                    .map(|c| if c.is_ascii_digit() { '#' } else { c }),
            );
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(if c.is_control() { ' ' } else { c });
        }
    }
    flush(&mut word, &mut out);
    out
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_EXCERPT {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(MAX_EXCERPT).collect();
    out.push('…');
    out
}

/// serde_json's message without the values it quotes (`invalid type: string "4242-…"`) or
/// long numbers: the category, field names and position are kept.
pub(crate) fn serde_reason(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let mut out = String::with_capacity(message.len());
    let mut in_quotes = false;
    for c in message.chars() {
        if c == '"' {
            out.push_str(if in_quotes { "\"" } else { "\"…" });
            in_quotes = !in_quotes;
        } else if !in_quotes {
            out.push(c);
        }
    }
    // Numbers quoted without quotes (`invalid value: integer 4242424242424242`) are masked too.
    mask_long_numbers(&out)
}

fn mask_long_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.len() >= 6 {
            out.push_str("###");
        } else {
            out.push_str(&digits);
        }
        digits.clear();
        out.push(c);
    }
    if digits.len() >= 6 {
        out.push_str("###");
    } else {
        out.push_str(&digits);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_excerpt_keeps_structure_and_hides_values() {
        let body = br#"{"code":0,"message":null,"response":{"access_token":"c659d285aa0c97e","card_number":"4242-4242-4242-4242","status":"paid","amount":1000}}"#;
        let e = excerpt(body);
        assert!(!e.contains("c659d285"), "{e}");
        assert!(!e.contains("4242"), "{e}");
        assert!(e.contains("\"status\":\"paid\""), "{e}");
        assert!(e.contains("\"amount\":1000"), "{e}");
    }

    #[test]
    fn text_excerpt_masks_digits_and_tokens_and_is_short() {
        let body = format!(
            "<html>card 4242-4242-4242-4242 token c659d285aa0c97e0123456 {}",
            "x ".repeat(300)
        );
        let e = excerpt(body.as_bytes());
        assert!(!e.contains("4242"), "{e}");
        assert!(!e.contains("c659d285"), "{e}");
        assert!(e.chars().count() <= MAX_EXCERPT + 1);
    }

    #[test]
    fn a_long_body_is_not_parsed_and_its_excerpt_stays_short_and_masked() {
        let mut body = br#"{"code":-1,"message":"card 4242-4242-4242-4242","response":["#.to_vec();
        body.extend(b"1,".repeat(MAX_PARSED_FOR_EXCERPT));
        body.extend(b"1]}");
        let e = excerpt(&body);
        assert!(!e.contains("4242"), "{e}");
        assert!(e.starts_with("{\"code\":-"), "{e}");
        assert!(e.chars().count() <= MAX_EXCERPT + 1);
    }

    #[test]
    fn serde_reason_drops_quoted_values() {
        let err = serde_json::from_str::<i64>("\"4242-4242-4242-4242\"").unwrap_err();
        let r = serde_reason(&err);
        assert!(!r.contains("4242"), "{r}");
        assert!(r.contains("invalid type"), "{r}");
        let err = serde_json::from_str::<u8>("4242424242424242").unwrap_err();
        assert!(!serde_reason(&err).contains("4242424242"));
    }
}
