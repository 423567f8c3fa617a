//! The macro's diagnostics (compile-fail cases, one per class of bad spec) and a user crate that
//! calls `api!` on its own extended spec (pass case). `.stderr` files depend on the pinned
//! toolchain (rust-toolchain.toml); regenerate them with `TRYBUILD=overwrite` after an upgrade.

#[test]
fn macro_diagnostics() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/pass/*.rs");
}

/// The pass case's spec is the project's spec plus exactly one upstream endpoint, so it cannot
/// silently drift from `spec/iamport.json`.
#[test]
fn extended_fixture_is_the_spec_plus_one_endpoint() {
    let read = |p: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let mut extended = read("tests/ui/specs/extended.json");
    let spec = read("../../spec/iamport.json");
    let added = extended["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/payments/status/{payment_status}");
    assert!(
        added.is_some(),
        "the fixture must add GET /payments/status/{{payment_status}}"
    );
    assert_eq!(
        extended, spec,
        "tests/ui/specs/extended.json drifted from spec/iamport.json: recreate it from the spec"
    );
}
