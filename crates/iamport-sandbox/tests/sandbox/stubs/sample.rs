//! A minimal value of a schema of `spec/iamport.json` (required properties only), to build a
//! canned answer for any operation without writing one by hand.

use serde_json::{Map, Value, json};

/// The spec, parsed.
pub fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/iamport.json");
    let text = std::fs::read_to_string(path).expect("spec/iamport.json");
    serde_json::from_str(&text).expect("spec is JSON")
}

/// The operation `operation_id` of the spec (`METHOD` lower-case in `paths`).
fn operation<'s>(spec: &'s Value, operation_id: &str) -> &'s Value {
    spec["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
        .find(|op| op["operationId"] == operation_id)
        .unwrap_or_else(|| panic!("{operation_id} not in the spec"))
}

/// Follows `$ref`s (and a one-branch `oneOf`/`allOf`) to the schema they name.
fn resolve<'s>(spec: &'s Value, schema: &'s Value) -> &'s Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().expect("ref name");
        return resolve(spec, &spec["components"]["schemas"][name]);
    }
    for key in ["oneOf", "allOf", "anyOf"] {
        if let Some(first) = schema[key].as_array().and_then(|a| a.first()) {
            return resolve(spec, first);
        }
    }
    schema
}

/// A minimal value of `schema`.
fn sample(spec: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    if let Some(first) = schema["enum"].as_array().and_then(|v| v.first()) {
        return first.clone();
    }
    match schema["type"].as_str() {
        Some("string") => json!("sample"),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") if depth < 6 => json!([sample(spec, &schema["items"], depth + 1)]),
        Some("array") => json!([]),
        _ => {
            let mut object = Map::new();
            let required = schema["required"].as_array().cloned().unwrap_or_default();
            for name in required.iter().filter_map(Value::as_str) {
                let property = &schema["properties"][name];
                if !property.is_null() && depth < 6 {
                    object.insert(name.to_owned(), sample(spec, property, depth + 1));
                }
            }
            Value::Object(object)
        }
    }
}

/// A minimal `response` of the 200 envelope of `operation_id`.
pub fn response(spec: &Value, operation_id: &str) -> Value {
    let op = operation(spec, operation_id);
    let envelope = resolve(
        spec,
        &op["responses"]["200"]["content"]["application/json"]["schema"],
    );
    match envelope["properties"].get("response") {
        Some(response) => sample(spec, response, 0),
        None => Value::Null,
    }
}
