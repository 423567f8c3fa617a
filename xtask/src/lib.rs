//! The chores behind `cargo xtask`, as a library so that a `#[test]` can run them.

use std::path::{Path, PathBuf};

/// The spec, relative to the workspace root.
pub const SPEC: &str = "spec/iamport.json";
/// The generated file the `iamport` crate compiles, relative to the workspace root.
pub const GENERATED: &str = "crates/iamport/src/generated.rs";
/// The generated table of operations the `iamport` crate's front page includes.
pub const OPERATIONS_TABLE: &str = "crates/iamport/src/docs/operations.md";

/// The root of the workspace that holds `dir`: the nearest ancestor (or `dir` itself) whose
/// `Cargo.toml` declares `[workspace]`.
///
/// Found at run time from the current directory (which `cargo xtask` sets to the workspace
/// root of the checkout it is run in), never from a path compiled into the binary: two checkouts
/// sharing a target directory (git worktrees, a global `CARGO_TARGET_DIR`) run the same binary,
/// and each must regenerate its own files.
pub fn workspace_root(dir: &Path) -> Result<PathBuf, String> {
    for candidate in dir.ancestors() {
        let manifest = candidate.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest)
            && text.lines().any(|l| l.trim() == "[workspace]")
        {
            return Ok(candidate.to_path_buf());
        }
    }
    Err(format!(
        "no Cargo workspace around {}: run `cargo xtask` inside a checkout",
        dir.display()
    ))
}

/// Regenerates (or, with `check`, verifies) the checked-in generated code.
///
/// Returns a line to print on success, or the error message (naming the command to run when the
/// file is stale).
pub fn codegen(root: &Path, check: bool) -> Result<String, String> {
    let spec = root.join(SPEC);
    let json = std::fs::read_to_string(&spec).map_err(|e| format!("cannot read {SPEC}: {e}"))?;
    let tokens = iamport_codegen::generate(&json).map_err(|e| format!("{SPEC}: {e}"))?;
    let code = iamport_codegen::render(tokens).map_err(|e| e.to_string())?;
    let table =
        iamport_codegen::generate_operations_table(&json).map_err(|e| format!("{SPEC}: {e}"))?;
    let mut stale = Vec::new();
    for (file, fresh) in [(GENERATED, code), (OPERATIONS_TABLE, table)] {
        let target = root.join(file);
        let current = std::fs::read_to_string(&target)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        if current == fresh {
            continue;
        }
        stale.push(file);
        if !check {
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {file}: {e}"))?;
            }
            std::fs::write(&target, fresh).map_err(|e| format!("cannot write {file}: {e}"))?;
        }
    }
    match (stale.is_empty(), check) {
        (true, _) => Ok(format!(
            "{GENERATED} and {OPERATIONS_TABLE} are up to date with {SPEC}"
        )),
        (false, true) => Err(format!(
            "{} stale: it differs from what {SPEC} generates.\n\
             Run `cargo xtask codegen` and commit the result.",
            stale.join(" and ")
        )),
        (false, false) => Ok(format!("wrote {} from {SPEC}", stale.join(" and "))),
    }
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

#[cfg(test)]
mod checkout_tests {
    use std::path::{Path, PathBuf};

    /// A scratch checkout: a workspace manifest, the project's spec, no generated file yet.
    fn scratch_checkout(name: &str) -> PathBuf {
        let here = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let root =
            std::env::temp_dir().join(format!("xtask-{name}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(root.join("spec")).unwrap();
        std::fs::create_dir_all(root.join("crates/iamport/src")).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::copy(here.join(super::SPEC), root.join(super::SPEC)).unwrap();
        root
    }

    /// Issue 9 point 10: the root comes from where the command runs, and codegen writes there.
    #[test]
    fn codegen_acts_on_the_checkout_it_runs_in() {
        let root = scratch_checkout("root");
        let nested = root.join("crates/iamport/src");
        assert_eq!(super::workspace_root(&nested).unwrap(), root);
        // A fresh checkout has no generated file: `--check` names the fix, a run writes it.
        let stale = super::codegen(&root, true).unwrap_err();
        assert!(stale.contains("cargo xtask codegen"), "{stale}");
        super::codegen(&root, false).unwrap();
        let ours = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .join(super::GENERATED);
        assert_eq!(
            std::fs::read_to_string(root.join(super::GENERATED)).unwrap(),
            std::fs::read_to_string(ours).unwrap()
        );
        assert!(super::codegen(&root, true).is_ok());
        std::fs::remove_dir_all(&root).unwrap();
        let outside = std::env::temp_dir().join("no-such-checkout-dir/below");
        assert!(super::workspace_root(&outside).is_err());
    }
}
