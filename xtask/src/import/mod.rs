//! `cargo xtask import`: translates operations of i'mport's Swagger 2.0 document into
//! `spec/iamport.json`, in this spec's conventions (see `spec/upstream/README.md` and the spec's
//! `info.description`): form fields become a JSON body; the success answer is the
//! `{code, message, response}` envelope with the shared 400/401/404 answers; money is
//! `number/decimal`; secrets are `format: password`; UNIX times are `unix-time`; response records
//! are read tolerantly (identity required, everything else optional and nullable); upstream
//! defects are repaired. The calls it cannot make (an English summary, a Rust name, identity
//! fields) come from `curated.rs` or are printed as TODOs.

pub mod curated;
pub mod drift;
pub mod json;
mod operation;
pub mod schema;
pub mod upstream;

use json::J;
use std::path::Path;

pub use upstream::{
    SUPPLEMENT, UPSTREAM, UpOp, load_upstream, merge_paths, spec_paths_for, upstream_operations,
};

/// The outcome of an import.
pub struct Imported {
    /// The new spec.
    pub spec: J,
    /// `METHOD /path` of each operation added.
    pub added: Vec<String>,
    /// What needs a person's judgement.
    pub todos: Vec<String>,
}

/// Which upstream operations a list of command-line selectors names: operationIds (every
/// operation with that id) and `METHOD /path` pairs; `all` means every operation not yet in the
/// spec.
pub fn select(
    ops: &[UpOp],
    spec: &J,
    selectors: &[String],
    all: bool,
) -> Result<Vec<UpOp>, String> {
    if all {
        return Ok(ops
            .iter()
            .filter(|u| spec_paths_for(spec, &u.method, &u.path).is_empty())
            .cloned()
            .collect());
    }
    let mut chosen: Vec<UpOp> = Vec::new();
    let mut args = selectors.iter().peekable();
    while let Some(arg) = args.next() {
        let method = arg.to_ascii_lowercase();
        let matched: Vec<&UpOp> =
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                let path = args.next().ok_or_else(|| {
                    format!("`{arg}` needs a path after it, e.g. `{arg} /payments/prepare`")
                })?;
                ops.iter()
                    .filter(|u| u.method == method && &u.path == path)
                    .collect()
            } else {
                ops.iter().filter(|u| u.id() == arg).collect()
            };
        if matched.is_empty() {
            return Err(format!(
                "no upstream operation matches `{arg}`: give an operationId of the Swagger document or `METHOD /path`"
            ));
        }
        for u in matched {
            if !spec_paths_for(spec, &u.method, &u.path).is_empty() {
                return Err(format!(
                    "{} is already in the spec: `cargo xtask drift` shows how it differs from upstream",
                    u.key()
                ));
            }
            if !chosen.iter().any(|c| c.key() == u.key()) {
                chosen.push(u.clone());
            }
        }
    }
    Ok(chosen)
}

/// Imports `chosen` into `spec`.
pub fn import(up: &J, spec: J, chosen: &[UpOp]) -> Result<Imported, String> {
    let mut importer = operation::Importer::new(up, spec);
    let mut added = Vec::new();
    for u in chosen {
        importer.import(u)?;
        added.push(u.key());
    }
    Ok(Imported {
        spec: importer.spec,
        added,
        todos: importer.todos,
    })
}

/// `cargo xtask import`: reads, imports, writes `spec/iamport.json`; returns the report to print.
pub fn run(
    root: &Path,
    from: Option<&Path>,
    selectors: &[String],
    all: bool,
) -> Result<String, String> {
    if selectors.is_empty() && !all {
        return Err(
            "name the operations to import: OPERATION_ID or METHOD /path (or --all)".into(),
        );
    }
    let up = load_upstream(root, from)?;
    let spec_path = root.join(crate::SPEC);
    let text = std::fs::read_to_string(&spec_path)
        .map_err(|e| format!("cannot read {}: {e}", crate::SPEC))?;
    let spec = json::parse(&text).map_err(|e| format!("{}: {e}", crate::SPEC))?;
    let ops = upstream_operations(&up);
    let chosen = select(&ops, &spec, selectors, all)?;
    let imported = import(&up, spec, &chosen)?;
    std::fs::write(&spec_path, json::to_pretty(&imported.spec))
        .map_err(|e| format!("cannot write {}: {e}", crate::SPEC))?;
    let mut report = format!(
        "imported {} operation(s) into {}:\n",
        imported.added.len(),
        crate::SPEC
    );
    for key in &imported.added {
        report.push_str(&format!("  + {key}\n"));
    }
    if imported.todos.is_empty() {
        report.push_str("\nNo TODOs.\n");
    } else {
        report.push_str("\nTODO (needs a person's judgement; edit spec/iamport.json):\n");
        for todo in &imported.todos {
            report.push_str(&format!("  - {todo}\n"));
        }
    }
    report.push_str("\nNext: `cargo xtask codegen`, then `cargo test --workspace`.");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::json::{J, parse};
    use std::path::Path;

    /// Importing an operation again reproduces the checked-in spec's: the spec holds what the
    /// command writes (plus settled TODOs), so re-running it is safe.
    #[test]
    fn reimporting_an_operation_reproduces_the_spec() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let up = super::load_upstream(root, None).unwrap();
        let spec = parse(&std::fs::read_to_string(root.join(crate::SPEC)).unwrap()).unwrap();
        for (method, path) in [
            ("post", "/kcpquick/members/{member_id}/fido/release"),
            ("post", "/payments/{imp_uid}/naver/place"),
            ("post", "/vbanks"),
            ("get", "/vbanks/holder"),
        ] {
            let original = spec
                .at(&["paths"])
                .and_then(|p| p.get(path))
                .and_then(|i| i.get(method))
                .cloned()
                .unwrap();
            let mut without = spec.clone();
            let item = without
                .obj_mut()
                .unwrap()
                .get_mut("paths")
                .and_then(J::obj_mut)
                .unwrap()
                .get_mut(path)
                .and_then(J::obj_mut)
                .unwrap();
            item.shift_remove(method);
            let ops = super::upstream_operations(&up);
            let chosen = super::select(
                &ops,
                &without,
                &[method.to_uppercase(), path.to_string()],
                false,
            )
            .unwrap();
            let imported = super::import(&up, without, &chosen).unwrap();
            let again = imported
                .spec
                .at(&["paths"])
                .and_then(|p| p.get(path))
                .and_then(|i| i.get(method))
                .cloned()
                .unwrap();
            assert_eq!(again, original, "{method} {path}");
            assert!(imported.todos.is_empty(), "{:?}", imported.todos);
        }
    }

    /// An operation the curated table does not know is imported with TODOs, never silent guesses.
    #[test]
    fn unknown_operations_come_with_todos() {
        let up = parse(r##"{"swagger":"2.0","paths":{"/widgets/{id}":{"post":{"operationId":"makeWidget","summary":"위젯",
            "parameters":[{"name":"id","in":"path","type":"string","required":true},
                          {"name":"size","in":"formData","type":"integer","maxLength":"3"},
                          {"name":"tags","in":"formData","type":"array"}],
            "responses":{"200":{"schema":{"$ref":"#/definitions/WidgetResponse"}}}}}},
            "definitions":{"WidgetResponse":{"allOf":[{"$ref":"#/definitions/ResponseAnnotation"},{"properties":{"response":{"$ref":"#/definitions/WidgetAnnotation"}}}]},
            "ResponseAnnotation":{"properties":{"code":{"type":"integer"},"message":{"type":"string"}}},
            "WidgetAnnotation":{"required":["id","gone"],"properties":{"id":{"type":"string"},"paid_at":{"type":"integer"}}}}}"##).unwrap();
        let spec = parse(r#"{"paths":{},"components":{"schemas":{}}}"#).unwrap();
        let ops = super::upstream_operations(&up);
        let chosen = super::select(&ops, &spec, &["makeWidget".to_string()], false).unwrap();
        let imported = super::import(&up, spec, &chosen).unwrap();
        let todos = imported.todos.join("\n");
        for expected in [
            "x-rust-name: make_widget",
            "English summary",
            "move money",
            "components/schemas/Widget: which fields",
        ] {
            assert!(todos.contains(expected), "{expected} not in {todos}");
        }
        let op = imported
            .spec
            .at(&["paths"])
            .and_then(|p| p.get("/widgets/{id}"))
            .and_then(|i| i.get("post"))
            .unwrap();
        let body = op
            .at(&["requestBody", "content"])
            .and_then(|c| c.get("application/json"))
            .and_then(|m| m.at(&["schema", "properties"]))
            .unwrap();
        // A length limit on a number is dropped; an array without items gets string items.
        assert_eq!(body.get("size").and_then(|s| s.get("maxLength")), None);
        assert_eq!(
            body.at(&["tags", "items", "type"]).and_then(J::str),
            Some("string")
        );
        let widget = imported
            .spec
            .at(&["components", "schemas", "Widget"])
            .unwrap();
        assert_eq!(
            widget.get("required"),
            None,
            "`required` naming an absent field is dropped"
        );
        assert_eq!(
            widget
                .at(&["properties", "paid_at", "format"])
                .and_then(J::str),
            Some("unix-time")
        );
        assert_eq!(
            widget.at(&["properties", "paid_at", "nullable"]),
            Some(&J::Bool(true))
        );
    }
}
