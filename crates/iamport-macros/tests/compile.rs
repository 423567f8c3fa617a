//! The macro's diagnostics (compile-fail cases, one per class of bad spec) and a user crate that
//! calls `api!` on its own extended spec (pass case). `.stderr` files depend on the pinned
//! toolchain (rust-toolchain.toml); regenerate them with `TRYBUILD=overwrite` after an upgrade.
//!
//! Each case is compiled as part of a crate trybuild writes to
//! `<target dir>/tests/trybuild/iamport-macros/`, and `api!` reads its path relative to that
//! crate's `Cargo.toml`. The cases therefore name their specs `specs/NAME.json`, and the specs are
//! copied there first: no path in a case depends on where the target directory is
//! (`CARGO_TARGET_DIR` may point anywhere).

use std::path::{Path, PathBuf};

/// The directory trybuild builds the cases in: `tests/trybuild/<crate>` under the target
/// directory that `cargo metadata` reports (trybuild's own rule).
fn trybuild_project_dir() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed: {output:?}");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let target = metadata["target_directory"]
        .as_str()
        .expect("a target directory");
    Path::new(target)
        .join("tests/trybuild")
        .join(env!("CARGO_PKG_NAME"))
}

/// Copies every spec the cases name into `<trybuild project>/specs/`: the fixtures of
/// `tests/ui/specs/` and the project's own `spec/iamport.json`.
fn copy_specs() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs = trybuild_project_dir().join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    let fixtures = manifest.join("tests/ui/specs");
    for entry in std::fs::read_dir(&fixtures).unwrap().map(Result::unwrap) {
        std::fs::copy(entry.path(), specs.join(entry.file_name())).unwrap();
    }
    let spec = manifest.join("../../spec/iamport.json");
    std::fs::copy(spec, specs.join("iamport.json")).unwrap();
}

#[test]
fn macro_diagnostics() {
    copy_specs();
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/pass/*.rs");
}

/// The pass case's spec is the project's spec plus `tests/ui/specs/extension.json`, written by
/// `cargo xtask codegen`, so it cannot silently drift from `spec/iamport.json`.
#[test]
fn extended_fixture_is_the_spec_plus_the_extension() {
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let extended = read("tests/ui/specs/extended.json");
    let extension = read("tests/ui/specs/extension.json");
    let mut expected = read("../../spec/iamport.json");
    for (key, value) in extension["paths"].as_object().unwrap() {
        expected["paths"][key] = value.clone();
    }
    for (key, value) in extension["schemas"].as_object().unwrap() {
        expected["components"]["schemas"][key] = value.clone();
    }
    assert!(
        extended == expected,
        "tests/ui/specs/extended.json is stale: it must be spec/iamport.json plus \
         tests/ui/specs/extension.json. Run `cargo xtask codegen` (it writes the file)."
    );
}

/// Every case names its spec as `specs/NAME.json`, a file [`copy_specs`] provides (or, once,
/// a file that must not exist): a path through `../` would depend on where the target directory
/// is, and break the cases under a `CARGO_TARGET_DIR` outside the checkout.
#[test]
fn cases_name_specs_that_do_not_depend_on_the_target_dir() {
    let mut provided: Vec<String> = std::fs::read_dir("tests/ui/specs")
        .unwrap()
        .map(|e| format!("specs/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    provided.push("specs/iamport.json".into());
    let mut checked = 0;
    for dir in ["tests/ui", "tests/pass"] {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (_, rest) in source
                .match_indices("api!(\"")
                .map(|(i, _)| source.split_at(i + 6))
            {
                let literal = &rest[..rest.find('"').unwrap()];
                checked += 1;
                assert!(
                    provided.iter().any(|p| p == literal) || literal == "spec/no-such-spec.json",
                    "{}: `{literal}` is not a spec copied into trybuild's project (specs/NAME.json)",
                    path.display()
                );
            }
        }
    }
    assert!(checked >= 11, "only {checked} spec paths found");
}
