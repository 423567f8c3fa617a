//! The macro's diagnostics (compile-fail cases, one per class of bad spec) and a user crate that
//! calls `api!` on its own extended spec (pass case). `.stderr` files depend on the pinned
//! toolchain (rust-toolchain.toml); regenerate them with `TRYBUILD=overwrite` after an upgrade.

#[test]
fn macro_diagnostics() {
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
