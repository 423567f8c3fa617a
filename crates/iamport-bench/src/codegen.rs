//! (e) codegen time end to end (parse, lint, model, tokens, prettyplease via `xtask::render`) through
//! `iamport_codegen`'s public API, for synthetic specs of 24, 240 and 2,400 operations made by
//! replicating the operations of `spec/iamport.json` under new paths and `operationId`s.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::sandbox::BenchResult;

/// `spec` with exactly `operations` operations: its own, in order, then copies (copy `k`
/// prefixes every path with `/bench{k}` and suffixes every `operationId` with `Bench{k}`), cut
/// where the count is reached (so 24 keeps the spec's first 24 operations).
pub fn synthetic(spec: &Value, operations: usize) -> BenchResult<Value> {
    let paths = spec["paths"].as_object().ok_or("spec without paths")?;
    if operations == 0 || count_operations(spec) == 0 {
        return Err("a synthetic spec needs operations".into());
    }
    let mut out_paths = serde_json::Map::new();
    let mut missing = operations;
    for k in 0.. {
        if missing == 0 {
            break;
        }
        for (path, item) in paths {
            let Some(methods) = item.as_object() else {
                continue;
            };
            let mut copy = serde_json::Map::new();
            for (key, value) in methods {
                let mut value = value.clone();
                if let Some(id) = value.get("operationId").and_then(Value::as_str) {
                    if missing == 0 {
                        continue;
                    }
                    missing -= 1;
                    if k > 0 {
                        value["operationId"] = Value::from(format!("{id}Bench{k}"));
                        rename_rust_names(&mut value, k);
                    }
                }
                copy.insert(key.clone(), value);
            }
            if copy.values().any(|op| op.get("operationId").is_some()) {
                let path = if k == 0 {
                    path.clone()
                } else {
                    format!("/bench{k}{path}")
                };
                out_paths.insert(path, Value::Object(copy));
            }
        }
    }
    let mut out = spec.clone();
    out["paths"] = Value::Object(out_paths);
    Ok(out)
}

/// Makes every `x-rust-name` in a copied operation unique (its method and its inline types).
fn rename_rust_names(value: &mut Value, k: usize) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match (key.as_str(), v.as_str()) {
                    ("x-rust-name", Some(name)) if name.starts_with(char::is_uppercase) => {
                        *v = Value::from(format!("{name}Bench{k}"))
                    }
                    ("x-rust-name", Some(name)) => *v = Value::from(format!("{name}_bench{k}")),
                    _ => rename_rust_names(v, k),
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|v| rename_rust_names(v, k)),
        _ => {}
    }
}

/// How many operations (objects with an `operationId`) the spec has.
pub fn count_operations(spec: &Value) -> usize {
    spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter(|op| op.get("operationId").is_some())
        .count()
}

/// Generates and renders `spec` `runs` times; returns the fastest run and the output size.
pub fn time(spec: &str, runs: usize) -> BenchResult<(Duration, usize)> {
    let mut best = Duration::MAX;
    let mut size = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let tokens = iamport_codegen::generate(spec, iamport_codegen::Target::UserCrate)?;
        let code = xtask::render(tokens)?;
        best = best.min(start.elapsed());
        size = code.len();
    }
    Ok((best, size))
}

/// Times every size; returns `(operations, time)` per size.
pub fn compare(
    spec_path: &std::path::Path,
    sizes: &[usize],
    runs: usize,
) -> BenchResult<Vec<(usize, Duration)>> {
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(spec_path)?)?;
    println!("  operations  time        per operation  generated");
    let mut out = Vec::new();
    for &n in sizes {
        let text = serde_json::to_string(&synthetic(&spec, n)?)?;
        let (took, size) = time(&text, runs)?;
        println!(
            "  {:>10}  {:>8.1} ms  {:>10.1} µs  {:>6} KiB",
            n,
            took.as_secs_f64() * 1e3,
            took.as_secs_f64() * 1e6 / n as f64,
            size / 1024
        );
        out.push((n, took));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/iamport.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn synthetic_specs_have_the_asked_operation_count_and_generate() {
        let spec = spec();
        let base = count_operations(&spec);
        let synthetic = synthetic(&spec, base * 3).unwrap();
        assert_eq!(count_operations(&synthetic), base * 3);
        let code = xtask::render(
            iamport_codegen::generate(&synthetic.to_string(), iamport_codegen::Target::UserCrate)
                .unwrap(),
        )
        .unwrap();
        assert!(
            code.contains("fn charge_billing_key_bench2("),
            "replicated methods are generated"
        );
    }

    #[test]
    fn any_size_is_met_exactly_and_generates() {
        let spec = spec();
        let base = count_operations(&spec);
        for n in [1, base - 1, base, base + 1, 2 * base - 1, 240, 2_400] {
            let synthetic = synthetic(&spec, n).unwrap();
            assert_eq!(count_operations(&synthetic), n, "asked for {n}");
            iamport_codegen::generate(&synthetic.to_string(), iamport_codegen::Target::UserCrate)
                .expect("the copy generates");
        }
        assert!(synthetic(&spec, 0).is_err());
    }
}
