//! The chores behind `cargo xtask`, as a library so that a `#[test]` can run them.

use std::path::Path;

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/iamport.json";
/// The generated file the `iamport` crate compiles, relative to the workspace root.
pub const GENERATED: &str = "crates/iamport/src/generated.rs";

/// Regenerates (or, with `check`, verifies) the checked-in generated code.
///
/// Returns a line to print on success, or the error message (naming the command to run when the
/// file is stale).
pub fn codegen(root: &Path, check: bool) -> Result<String, String> {
    let spec = root.join(SPEC);
    let tokens = iamport_codegen::generate_from_path(&spec).map_err(|e| format!("{SPEC}: {e}"))?;
    let fresh = iamport_codegen::render(tokens).map_err(|e| e.to_string())?;
    let target = root.join(GENERATED);
    let current = std::fs::read_to_string(&target)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if current == fresh {
        return Ok(format!("{GENERATED} is up to date with {SPEC}"));
    }
    if check {
        return Err(format!(
            "{GENERATED} is stale: it differs from what {SPEC} generates.\n\
             Run `cargo xtask codegen` and commit the result."
        ));
    }
    std::fs::write(&target, fresh).map_err(|e| format!("cannot write {GENERATED}: {e}"))?;
    Ok(format!("wrote {GENERATED} from {SPEC}"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// `cargo test` fails, naming the fix, when the checked-in generated code is stale.
    #[test]
    fn generated_code_is_up_to_date() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        if let Err(message) = super::codegen(root, true) {
            panic!("{message}");
        }
    }
}
