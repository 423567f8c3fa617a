//! Rust names the spec gives: `x-rust-name` on every operation (the method; its request type is
//! the name in PascalCase plus `Request`) and on an inline enum or object (its type),
//! `x-enum-varnames` on a string enum (its variants), and `x-doc-aliases` (search words).

use super::{DOC_ALIASES_EXTENSION, ENUM_VARNAMES_EXTENSION, Linter, RUST_NAME_EXTENSION};
use crate::error::join;
use crate::naming::is_keyword;
use serde_json::{Map, Value};

/// A `snake_case` identifier: lower-case ASCII letters, digits and `_`, starting with a letter.
fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_')
        && !is_keyword(name)
}

/// A `PascalCase` identifier: ASCII letters and digits, starting with an upper-case letter.
fn is_pascal(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && !is_keyword(name)
}

impl Linter<'_> {
    /// `x-rust-name` (required, `snake_case`, unique) and `x-doc-aliases` of an operation.
    pub(super) fn operation_names(&mut self, pointer: &str, obj: &Map<String, Value>) {
        match obj.get(RUST_NAME_EXTENSION) {
            Some(Value::String(name)) if is_snake(name) => {
                if let Some(first) = self.rust_names.insert(name.clone(), pointer.to_string()) {
                    self.err(
                        &join(pointer, RUST_NAME_EXTENSION),
                        format!("duplicate `{RUST_NAME_EXTENSION}` `{name}` (also used at {first}): each operation needs its own method name"),
                    );
                }
            }
            Some(other) => self.err(
                &join(pointer, RUST_NAME_EXTENSION),
                format!("{other} is not a snake_case Rust method name (e.g. \"charge_billing_key\")"),
            ),
            None => self.err(
                pointer,
                format!("missing `{RUST_NAME_EXTENSION}`: the operation's Rust method name, verb first (e.g. \"charge_billing_key\"); its request type is that name in PascalCase plus `Request`"),
            ),
        }
        if let Some(aliases) = obj.get(DOC_ALIASES_EXTENSION) {
            let valid = |a: &Value| {
                a.as_str().is_some_and(|a| {
                    !a.is_empty() && a.trim() == a && !a.contains(['"', '\'', '\n', '\t', '\r'])
                })
            };
            if !aliases
                .as_array()
                .is_some_and(|list| list.iter().all(valid))
            {
                self.err(
                    &join(pointer, DOC_ALIASES_EXTENSION),
                    "must be an array of non-empty strings without quotes, tabs, newlines or surrounding spaces (rustdoc aliases)",
                );
            }
        }
    }

    /// `x-rust-name` (a type name) and `x-enum-varnames` (one variant name per value) of a schema.
    pub(super) fn schema_names(&mut self, pointer: &str, obj: &Map<String, Value>) {
        if let Some(name) = obj.get(RUST_NAME_EXTENSION)
            && !name.as_str().is_some_and(is_pascal)
        {
            self.err(
                &join(pointer, RUST_NAME_EXTENSION),
                format!("{name} is not a PascalCase Rust type name"),
            );
        }
        let Some(names) = obj.get(ENUM_VARNAMES_EXTENSION) else {
            return;
        };
        let values = obj
            .get("enum")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let ok = names.as_array().is_some_and(|list| {
            let mut seen = std::collections::HashSet::new();
            list.len() == values
                && list
                    .iter()
                    .all(|n| n.as_str().is_some_and(|n| is_pascal(n) && seen.insert(n)))
        });
        if !ok {
            self.err(
                &join(pointer, ENUM_VARNAMES_EXTENSION),
                format!(
                    "must list one distinct PascalCase variant name per `enum` value ({values})"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_pascal, is_snake};

    #[test]
    fn name_shapes() {
        assert!(is_snake("charge_billing_key") && is_snake("get_payment2"));
        assert!(!is_snake("chargeBillingKey") && !is_snake("_x") && !is_snake("type"));
        assert!(is_pascal("StartedDesc") && !is_pascal("started_desc") && !is_pascal("Self"));
    }
}

#[cfg(test)]
mod lint_tests {
    use crate::lint::lint;
    use serde_json::{Value, json};

    fn doc(op: Value, schema: Value) -> Vec<String> {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": op}}, "components": {"schemas": {"S": schema}}});
        lint(&doc).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn every_operation_needs_a_rust_name_and_enum_names_fit() {
        let ok =
            json!({"type": "string", "enum": ["-a", "a"], "x-enum-varnames": ["ADesc", "AAsc"]});
        let op = |extra: Value| {
            let mut op = json!({"operationId": "a", "responses": {"200": {"description": "ok"}}});
            op.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            op
        };
        assert!(doc(op(json!({"x-rust-name": "get_a"})), ok.clone()).is_empty());
        let missing = doc(op(json!({})), ok.clone());
        assert!(
            missing[0].starts_with("#/paths/~1a/get: missing `x-rust-name`"),
            "{missing:?}"
        );
        let camel = doc(op(json!({"x-rust-name": "getA"})), ok);
        assert!(
            camel[0].contains("not a snake_case Rust method name"),
            "{camel:?}"
        );
        let short = json!({"type": "string", "enum": ["-a", "a"], "x-enum-varnames": ["ADesc"]});
        let bad = doc(op(json!({"x-rust-name": "get_a"})), short);
        assert!(
            bad[0].starts_with("#/components/schemas/S/x-enum-varnames: must list one"),
            "{bad:?}"
        );
    }
}
