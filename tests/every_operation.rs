//! One wire snapshot per operation of `spec/iamport.json`, however many there are: each
//! operation's request is built from example values derived from the spec (every input field,
//! else only the required ones) through the generated dynamic entry point
//! `iamport::operations::http_request`, which decodes, validates and encodes it exactly as a
//! typed call does. The snapshot holds the request line and the JSON body.
//!
//! Snapshots live in `snapshots/operations/<operationId>.txt`. A missing one is written (review
//! and commit it: an operation added by `cargo xtask import` gets its snapshot on the first
//! `cargo test`); a different one fails, and `UPDATE_WIRE=1 cargo test -p iamport-tests` rewrites it.

use serde_json::{Map, Value, json};
use std::path::PathBuf;

fn spec() -> Value {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/iamport.json"))
            .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return resolve(spec, &spec["components"]["schemas"][name]);
    }
    if let Some([only]) = schema["oneOf"].as_array().map(Vec::as_slice) {
        return resolve(spec, only);
    }
    schema
}

/// Values the spec's patterns accept, by field name.
fn patterned(name: &str) -> Option<&'static str> {
    Some(match name {
        "expiry" => "2029-12",
        "birth" => "800101",
        "pwd_2digit" => "12",
        "cvc" => "123",
        _ => return None,
    })
}

/// An example value for `schema` (field `name`); `all`: optional object members too.
fn example(spec: &Value, name: &str, schema: &Value, all: bool, depth: usize) -> Value {
    let s = resolve(spec, schema);
    if let Some(first) = s["enum"].as_array().and_then(|v| v.first()) {
        return first.clone();
    }
    match s["type"].as_str().unwrap_or("object") {
        "string" => match (s["format"].as_str(), patterned(name)) {
            (_, Some(v)) => json!(v),
            (Some("card-number"), _) => json!("4242-4242-4242-4242"),
            (Some("password"), _) => json!(format!("secret-{name}")),
            _ => {
                let text = format!("{name}-1");
                let max = s["maxLength"].as_u64().map_or(text.len(), |m| m as usize);
                json!(text[text.len().saturating_sub(max)..])
            }
        },
        "integer" => match s["format"].as_str() {
            Some("unix-time") => json!(1_700_000_000),
            _ => json!(s["minimum"].as_i64().unwrap_or(1).max(1)),
        },
        "number" => json!(1000),
        "boolean" => json!(true),
        "array" => json!([example(spec, name, &s["items"], all, depth + 1)]),
        _ => {
            let mut out = Map::new();
            let required: Vec<&str> = s["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (field, prop) in s["properties"].as_object().into_iter().flatten() {
                if depth < 4 && (all || required.contains(&field.as_str())) {
                    out.insert(field.clone(), example(spec, field, prop, all, depth + 1));
                }
            }
            Value::Object(out)
        }
    }
}

/// The input of an operation: its parameters and body members.
fn input(spec: &Value, op: &Value, all: bool) -> Value {
    let mut out = Map::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        if all || p["required"] == json!(true) {
            let name = p["name"].as_str().unwrap();
            out.insert(name.into(), example(spec, name, &p["schema"], all, 0));
        }
    }
    let body = &op["requestBody"]["content"]["application/json"]["schema"];
    if let Value::Object(members) = example(spec, "", body, all, 0) {
        out.extend(members);
    }
    Value::Object(out)
}

fn render(method: &str, request: &iamport::runtime::HttpRequest) -> String {
    let mut target = request.path.clone();
    for (i, (k, v)) in request.query.iter().enumerate() {
        target.push(if i == 0 { '?' } else { '&' });
        target.push_str(&format!("{k}={v}"));
    }
    let mut out = format!("{} {target}\n", method.to_uppercase());
    if let Some(body) = &request.body {
        let value: Value = serde_json::from_slice(body).unwrap();
        out.push('\n');
        out.push_str(&serde_json::to_string_pretty(&value).unwrap());
        out.push('\n');
    }
    out
}

#[test]
fn every_operation_has_a_wire_snapshot() {
    let spec = spec();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots/operations");
    std::fs::create_dir_all(&dir).unwrap();
    let update = std::env::var_os("UPDATE_WIRE").is_some();
    let mut failures = Vec::new();
    let mut seen = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            seen += 1;
            let build = |all| {
                let json = input(&spec, op, all).to_string();
                iamport::operations::http_request(id, &json)
                    .unwrap_or_else(|| panic!("{id}: no dynamic entry point"))
            };
            let request = build(true)
                .or_else(|all| {
                    eprintln!(
                        "note: {id}: every field at once is refused ({all}); required fields only"
                    );
                    build(false)
                })
                .unwrap_or_else(|e| panic!("{method} {path} ({id}): {e}"));
            // A secret in the query is sent, but never shown by `Debug`.
            for name in &request.secret_query {
                let value = &request.query.iter().find(|(k, _)| k == name).unwrap().1;
                assert!(
                    !format!("{request:?}").contains(value.as_str()),
                    "{id}: {name} in Debug"
                );
            }
            let text = render(method, &request);
            let file = dir.join(format!("{id}.txt"));
            match std::fs::read_to_string(&file) {
                Ok(old) if old == text => {}
                Ok(_) if !update => {
                    failures.push(format!("{id}: the request differs from {}", file.display()))
                }
                _ => {
                    eprintln!("wrote {} (review and commit it)", file.display());
                    std::fs::write(&file, &text).unwrap();
                }
            }
        }
    }
    assert_eq!(
        seen,
        iamport::operations::ALL.len(),
        "every operation of the spec is generated"
    );
    assert!(
        failures.is_empty(),
        "{}\nReview the change; `UPDATE_WIRE=1 cargo test -p iamport-tests` rewrites the snapshots.",
        failures.join("\n")
    );
}
