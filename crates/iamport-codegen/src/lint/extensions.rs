//! The vendor extensions that carry i'mport's rules beyond OpenAPI's keywords:
//! `x-iamport-success` on an operation, `x-at-most` and `x-pattern-text` on a property.

use super::Linter;
use crate::error::join;
use serde_json::{Map, Value};

/// The operation extension naming the field of `response` (and its integer value) that marks
/// success when `code: 0` alone does not, e.g. `{"field": "success", "value": 1}` (PAYMENTWALL's
/// delivery registration answers `code: 0` with an `error_code` on failure).
pub const SUCCESS_EXTENSION: &str = "x-iamport-success";
/// The property extension naming a sibling amount this one may not exceed, e.g. `vat_amount`'s
/// `"x-at-most": "amount"`.
pub const AT_MOST_EXTENSION: &str = "x-at-most";
/// The property extension describing its `pattern` for people, e.g. `"YYYY-MM (e.g. 2029-12)"`:
/// the validation message says "must be YYYY-MM (e.g. 2029-12)", not the regex.
pub const PATTERN_TEXT_EXTENSION: &str = "x-pattern-text";

impl Linter<'_> {
    /// Checks the shape of an operation's `x-iamport-success`.
    pub(super) fn operation_extensions(&mut self, pointer: &str, op: &Map<String, Value>) {
        let Some(success) = op.get(SUCCESS_EXTENSION) else {
            return;
        };
        let valid = success.as_object().is_some_and(|s| {
            s.len() == 2
                && s.get("field")
                    .and_then(Value::as_str)
                    .is_some_and(|f| !f.is_empty())
                && s.get("value").is_some_and(Value::is_i64)
        });
        if !valid {
            self.err(
                &join(pointer, SUCCESS_EXTENSION),
                "must be {\"field\": <name in response>, \"value\": <integer>}",
            );
        }
    }

    /// Checks `x-at-most` and `x-pattern-text` on the properties of an object schema.
    pub(super) fn property_extensions(&mut self, pointer: &str, props: &Map<String, Value>) {
        for (name, prop) in props {
            let at = join(&join(pointer, "properties"), name);
            if let Some(other) = prop.get(AT_MOST_EXTENSION) {
                let numeric = |p: &Value| p.get("type").and_then(Value::as_str) == Some("number");
                match other.as_str() {
                    Some(other) if props.get(other).is_some_and(numeric) && numeric(prop) => {}
                    _ => self.err(
                        &join(&at, AT_MOST_EXTENSION),
                        "must name another `type: number` property of the same object, on a `type: number` property",
                    ),
                }
            }
            if let Some(text) = prop.get(PATTERN_TEXT_EXTENSION) {
                let has_pattern = prop.get("pattern").is_some();
                if text.as_str().is_none_or(|t| t.trim().is_empty()) || !has_pattern {
                    self.err(
                        &join(&at, PATTERN_TEXT_EXTENSION),
                        "must be a non-empty description beside a `pattern`",
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lint;
    use serde_json::{Value, json};

    fn messages(doc: &Value) -> Vec<String> {
        lint(doc).iter().map(ToString::to_string).collect()
    }

    fn doc(op_extra: Value, props: Value) -> Value {
        let mut op = json!({"operationId": "a", "x-rust-name": "a", "responses": {"200": {"description": "ok"}}});
        op.as_object_mut()
            .unwrap()
            .extend(op_extra.as_object().unwrap().clone());
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
               "paths": {"/a": {"get": op}},
               "components": {"schemas": {"Thing": {"type": "object", "properties": props}}}})
    }

    #[test]
    fn good_extensions_pass() {
        let good = messages(&doc(
            json!({"x-iamport-success": {"field": "success", "value": 1}}),
            json!({
                "amount": {"type": "number"},
                "vat_amount": {"type": "number", "x-at-most": "amount"},
                "expiry": {"type": "string", "pattern": "^\\d{4}-\\d{2}$",
                           "x-pattern-text": "YYYY-MM (e.g. 2029-12)"}
            }),
        ));
        assert!(good.is_empty(), "{good:#?}");
    }

    #[test]
    fn bad_extensions_are_named_at_their_pointer() {
        let bad = messages(&doc(
            json!({"x-iamport-success": {"field": "success", "value": "1"}}),
            json!({
                "amount": {"type": "number"},
                "vat_amount": {"type": "number", "x-at-most": "amount_total"},
                "expiry": {"type": "string", "x-pattern-text": "YYYY-MM"}
            }),
        ));
        assert_eq!(bad.len(), 3, "{bad:#?}");
        assert!(
            bad.iter()
                .any(|m| m.starts_with("#/paths/~1a/get/x-iamport-success: must be")),
            "{bad:#?}"
        );
        assert!(bad.iter().any(|m| m.starts_with(
            "#/components/schemas/Thing/properties/vat_amount/x-at-most: must name another"
        )));
        assert!(bad.iter().any(|m| m.starts_with(
            "#/components/schemas/Thing/properties/expiry/x-pattern-text: must be a non-empty"
        )));
    }
}
