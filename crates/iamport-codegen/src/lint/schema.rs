//! Schema rules: keywords, types, formats, `oneOf`/`anyOf` of named schemas, objects.

use super::Linter;
use super::words::{kind_of, suggest};
use crate::error::join;
use serde_json::{Map, Value};

const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "title",
    "description",
    "default",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "externalDocs",
    "discriminator",
    "xml",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "maxLength",
    "minLength",
    "pattern",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "multipleOf",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "$ref",
];
const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];
const NUMERIC_KEYWORDS: &[&str] = &[
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "multipleOf",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
];

impl Linter<'_> {
    pub(super) fn schema(&mut self, pointer: &str, schema: &Value) {
        let Some(obj) = self.object(pointer, schema, "a schema") else {
            return;
        };
        self.keys(pointer, obj, SCHEMA_KEYS, "schema");
        self.schema_names(pointer, obj);
        if let Some(r) = obj.get("$ref") {
            self.reference(&join(pointer, "$ref"), r, "#/components/schemas/");
            return;
        }
        let mut unsupported = false;
        for key in ["not", "allOf"] {
            if obj.contains_key(key) {
                unsupported = true;
                self.err(&join(pointer, key), format!("`{key}` is not supported: use `oneOf` of named schemas, or write the properties out"));
            }
        }
        if unsupported {
            return;
        }
        for key in NUMERIC_KEYWORDS {
            if let Some(v) = obj.get(*key)
                && !v.is_number()
            {
                self.err(
                    &join(pointer, key),
                    format!("`{key}` must be a number, not {}", kind_of(v)),
                );
            }
        }
        // Length limits and patterns constrain strings; on an enum its values say it all, on a
        // number they mean nothing (and would generate code that does not compile).
        let ty = obj.get("type").and_then(Value::as_str);
        for key in ["maxLength", "minLength", "pattern"] {
            if !obj.contains_key(key) {
                continue;
            }
            if obj.contains_key("enum") {
                self.err(&join(pointer, key), format!("`{key}` on an enum is not supported: its values already fix what may be sent; remove `{key}`"));
            } else if ty.is_some_and(|t| t != "string") {
                self.err(&join(pointer, key), format!("`{key}` applies to strings, not to `type: {}`; remove it (bounds on numbers are `minimum`/`maximum`)", ty.unwrap_or_default()));
            }
        }
        if let Some(pattern) = obj.get("pattern") {
            match pattern.as_str() {
                Some(p) => {
                    if let Err(e) = regex_lite::Regex::new(p) {
                        self.err(
                            &join(pointer, "pattern"),
                            format!("pattern does not compile: {e}"),
                        );
                    }
                }
                None => self.err(&join(pointer, "pattern"), "`pattern` must be a string"),
            }
        }
        // `anyOf` of named schemas decodes like `oneOf`: the first alternative, in order, that
        // the value satisfies (use it when one alternative's body also satisfies another).
        let alternatives = obj
            .get("oneOf")
            .map(|a| ("oneOf", a))
            .or_else(|| obj.get("anyOf").map(|a| ("anyOf", a)));
        if let Some((key, alternatives)) = alternatives {
            match alternatives.as_array() {
                Some(list) if !list.is_empty() => {
                    for (i, alt) in list.iter().enumerate() {
                        let p = format!("{pointer}/{key}/{i}");
                        match alt.get("$ref") {
                            Some(r) => {
                                self.reference(&join(&p, "$ref"), r, "#/components/schemas/")
                            }
                            None => self.err(
                                &p,
                                format!("`{key}` alternatives must be `$ref`s to named schemas"),
                            ),
                        }
                    }
                }
                _ => self.err(
                    &join(pointer, key),
                    format!("`{key}` must be a non-empty array"),
                ),
            }
            return;
        }
        let ty = match obj.get("type") {
            Some(Value::String(t)) if TYPES.contains(&t.as_str()) => Some(t.as_str()),
            Some(Value::String(t)) => {
                let hint = suggest(t, TYPES)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                self.err(
                    &join(pointer, "type"),
                    format!(
                        "unknown type `{t}`{hint}: expected one of {}",
                        TYPES.join(", ")
                    ),
                );
                return;
            }
            Some(other) => {
                self.err(&join(pointer, "type"), format!("`type` must be a string, not {} (OpenAPI 3.1 type arrays are not supported; use `nullable: true`)", kind_of(other)));
                return;
            }
            None if obj.contains_key("properties") => Some("object"),
            None => {
                self.err(pointer, "schema without a `type`");
                return;
            }
        };
        if let Some(values) = obj.get("enum") {
            if ty != Some("string") {
                self.err(
                    &join(pointer, "enum"),
                    "`enum` is supported on strings only",
                );
            } else if !values
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string))
            {
                self.err(
                    &join(pointer, "enum"),
                    "`enum` must be a non-empty array of strings",
                );
            }
        }
        if let Some(format) = obj.get("format").and_then(Value::as_str) {
            let ok = match ty {
                Some("integer") => matches!(format, "int32" | "int64" | "unix-time"),
                Some("number") => matches!(format, "decimal" | "double" | "float"),
                Some("string") => true,
                _ => false,
            };
            if !ok {
                self.err(
                    &join(pointer, "format"),
                    format!(
                        "format `{format}` is not supported on type `{}`",
                        ty.unwrap_or("?")
                    ),
                );
            }
        }
        match ty {
            Some("array") => match obj.get("items") {
                Some(items) => self.schema(&join(pointer, "items"), items),
                None => self.err(pointer, "array schema without `items`"),
            },
            Some("object") => self.object_schema(pointer, obj),
            _ => {}
        }
    }

    pub(super) fn object_schema(&mut self, pointer: &str, obj: &Map<String, Value>) {
        if let Some(ap) = obj.get("additionalProperties")
            && !ap.is_boolean()
        {
            self.err(
                &join(pointer, "additionalProperties"),
                "schema-valued `additionalProperties` (maps) are not supported",
            );
        }
        let props = obj.get("properties").and_then(Value::as_object);
        if let Some(props) = props {
            for (name, prop) in props {
                self.schema(&join(&join(pointer, "properties"), name), prop);
            }
            self.property_extensions(pointer, props);
        }
        if let Some(required) = obj.get("required") {
            match required.as_array() {
                Some(list) => {
                    for (i, r) in list.iter().enumerate() {
                        match r.as_str() {
                            Some(name) if props.is_some_and(|p| p.contains_key(name)) => {}
                            Some(name) => self.err(
                                &format!("{pointer}/required/{i}"),
                                format!("required property `{name}` is not in `properties`"),
                            ),
                            None => self.err(
                                &format!("{pointer}/required/{i}"),
                                "`required` entries must be strings",
                            ),
                        }
                    }
                }
                None => self.err(
                    &join(pointer, "required"),
                    "`required` must be an array of property names",
                ),
            }
        }
    }
}
