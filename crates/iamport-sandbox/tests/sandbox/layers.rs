//! The crate's layering (see "Layers" in the crate docs) and its file sizes, checked on the
//! sources: no module imports one above it, no file is over 600 lines.

use std::path::{Path, PathBuf};

/// The layer of a top-level module of the crate, one folder per layer: 0 the facade (`lib.rs`,
/// `main.rs`), 1 HTTP (`http/`), 2 operations (`ops/`), 3 state (`state/`), then the leaves: `decode` (4) uses only `support` (5), which uses
/// nothing of the crate.
fn layer_of(module: &str) -> Option<u8> {
    match module {
        "lib" | "main" => Some(0),
        "http" => Some(1),
        "ops" => Some(2),
        "state" => Some(3),
        "decode" => Some(4),
        "support" => Some(5),
        _ => None,
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The top-level modules a source file names with `crate::...` outside comments.
fn crate_paths(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '{')
                .collect();
            if name.starts_with('{') {
                // `use crate::{a, b}`: every name in the group.
                let group = after[1..].split('}').next().unwrap_or("");
                for part in group.split(',') {
                    let head = part.trim().split("::").next().unwrap_or("").trim();
                    if !head.is_empty() {
                        found.push(head.to_owned());
                    }
                }
            } else {
                found.push(name);
            }
            rest = after;
        }
    }
    found
}

#[test]
fn no_module_imports_one_above_it() {
    let src = crate_dir().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("")
            .trim_end_matches(".rs");
        let own = layer_of(top).unwrap_or_else(|| panic!("{relative:?} is in no layer"));
        let source = std::fs::read_to_string(file).expect("read");
        for used in crate_paths(&source) {
            // `crate::Sandbox` and other items of the facade are layer 0.
            let target = layer_of(&used).unwrap_or(0);
            if target < own {
                violations.push(format!(
                    "{relative:?} (layer {own}) uses crate::{used} (layer {target})"
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
    assert!(files.len() > 20, "{} files read", files.len());
}

#[test]
fn no_file_is_over_600_lines() {
    let dir = crate_dir();
    let mut files = Vec::new();
    for sub in ["src", "tests", "examples"] {
        rust_files(&dir.join(sub), &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).expect("read").lines().count();
            (lines > 600).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn the_layer_check_sees_imports() {
    let uses =
        crate_paths("use crate::ops::Core;\nuse crate::{state, support::lock};\n// crate::http\n");
    assert_eq!(uses, ["ops", "state", "support"]);
}
