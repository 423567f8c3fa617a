//! As a dev-dependency (default features) the sandbox builds only its library: the CLI parser,
//! the logger and the template engine come with the `cli` and `dashboard` features.

use serde_json::Value;

#[test]
fn the_default_build_has_no_cli_parser_logger_or_template_engine() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .args(["--manifest-path", manifest])
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let package = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "iamport-sandbox")
        .expect("iamport-sandbox");
    assert_eq!(package["features"]["default"], serde_json::json!([]));
    for name in ["clap", "env_logger", "askama", "time"] {
        let dep = package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .find(|d| d["name"] == name && d["kind"].is_null())
            .unwrap_or_else(|| panic!("{name} is not a dependency"));
        assert_eq!(dep["optional"], true, "{name} is built by default");
    }
    let bin = package["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["kind"] == serde_json::json!(["bin"]))
        .expect("the binary");
    assert_eq!(bin["required-features"], serde_json::json!(["cli"]));
}
