//! `cargo xtask bench [--quick]`: builds the sandbox and the harness (`crates/iamport-bench`) in
//! release mode and runs them (client vs the raw-ureq floor, CPU per call, sandbox throughput,
//! codegen time, the Python SDK when installed), then the divan decode benchmarks, and prints
//! every ratio. Never a test: numbers depend on the machine; see BENCHMARKS.md.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Runs every benchmark from the workspace at `root`.
pub fn run(root: &Path, quick: bool) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "iamport-sandbox",
            "--bin",
            "iamport-sandbox",
            // The binary needs the sandbox's `cli` feature.
            "--features",
            "iamport-sandbox/cli",
        ])
        .args(["-p", "iamport-bench", "--bin", "iamport-bench"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), Into::into)
        .join("release");
    let mut harness = Command::new(target.join("iamport-bench"));
    harness
        .current_dir(root)
        .arg("--sandbox-bin")
        .arg(target.join("iamport-sandbox"))
        .arg("--spec")
        .arg(root.join(xtask::SPEC));
    if quick {
        harness.arg("--quick");
    }
    let status = harness
        .status()
        .map_err(|e| format!("cannot run iamport-bench: {e}"))?;
    if !status.success() {
        return Err("iamport-bench failed".into());
    }

    println!("\n== (c) decode / encode (divan): cargo bench -p iamport-bench --bench decode");
    let mut divan = Command::new(&cargo);
    divan.current_dir(root).args([
        "bench",
        "--quiet",
        "-p",
        "iamport-bench",
        "--bench",
        "decode",
        "--",
    ]);
    if quick {
        divan.args(["--sample-count", "10", "--sample-size", "10"]);
    }
    let output = divan
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    print!("{text}");
    if !output.status.success() {
        return Err(format!(
            "cargo bench failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let medians = divan_medians(&text);
    println!("\n== ratios (c)");
    for group in ["payment", "page100"] {
        let get = |name: &str| medians.get(&format!("{group}::{name}")).copied();
        let ratio = |label: &str, a: &str, b: &str, goal: &str| {
            if let (Some(a), Some(b)) = (get(a), get(b)) {
                println!("(c) {group}: {label}: {:.2}{goal}", a / b);
            }
        };
        ratio(
            "client path / serde_json typed single pass (decode)",
            "client_path",
            "typed_one_pass",
            // The goal is on decoding a payment; the page has none.
            if group == "payment" {
                " [goal ≤ 1.10]"
            } else {
                ""
            },
        );
        ratio(
            "typed single pass / serde_json::Value (decode)",
            "typed_one_pass",
            "value",
            "",
        );
        ratio(
            "typed / serde_json::Value (encode)",
            "encode_typed",
            "encode_value",
            "",
        );
    }
    Ok(())
}

/// `group::name` → median in nanoseconds, from divan's table.
fn divan_medians(text: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let mut group = String::new();
    for line in text.lines() {
        // `name fastest │ slowest │ median │ mean │ samples │ iters`, nested rows behind `│  `.
        let columns: Vec<&str> = line.trim_start_matches(['│', ' ']).split('│').collect();
        let Some(first) = columns.first() else {
            continue;
        };
        let Some((_, rest)) = first.split_once("─ ") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let Some(name) = words.next() else { continue };
        if words.next().is_none() {
            group = name.to_owned();
            continue;
        }
        if let Some(median) = columns.get(2).and_then(|c| nanos(c.trim())) {
            out.insert(format!("{group}::{name}"), median);
        }
    }
    out
}

/// `"1.234 µs"` → 1234.0.
fn nanos(text: &str) -> Option<f64> {
    let (value, unit) = text.split_once(' ')?;
    let value: f64 = value.parse().ok()?;
    let scale = match unit.trim() {
        "ns" => 1.0,
        "µs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    Some(value * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_medians_from_divan_tables() {
        let table = "\
decode                 fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ page100                           │               │               │               │         │
│  ├─ client_path      1.1 ms        │ 2 ms          │ 1.25 ms       │ 1.3 ms        │ 100     │ 100
│  ╰─ value            900 µs        │ 1 ms          │ 950 µs        │ 960 µs        │ 100     │ 100
╰─ payment                           │               │               │               │         │
   ╰─ typed_one_pass   5 µs          │ 9 µs          │ 6.5 µs        │ 6.6 µs        │ 100     │ 1600
";
        let medians = divan_medians(table);
        assert_eq!(medians.get("page100::client_path"), Some(&1_250_000.0));
        assert_eq!(medians.get("page100::value"), Some(&950_000.0));
        assert_eq!(medians.get("payment::typed_one_pass"), Some(&6_500.0));
        assert_eq!(medians.len(), 3);
    }
}
