//! The upstream side: i'mport's Swagger document (with the supplement) and its operations.

use super::json::{self, J, Obj};
use std::path::Path;

/// The bundled copy of i'mport's Swagger document, relative to the workspace root.
pub const UPSTREAM: &str = "spec/upstream/portone-v1.swagger.json";
/// Operations i'mport serves but its Swagger omits, relative to the workspace root.
pub const SUPPLEMENT: &str = "spec/upstream/supplement.json";

/// One upstream operation.
#[derive(Debug, Clone)]
pub struct UpOp {
    /// Lower-case method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// The Swagger operation object.
    pub op: J,
}

impl UpOp {
    /// `METHOD /path`.
    pub fn key(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }
    /// The upstream `operationId`.
    pub fn id(&self) -> &str {
        self.op.get("operationId").and_then(J::str).unwrap_or("")
    }
}

/// Reads an upstream Swagger document and merges the supplement's paths into it.
pub fn load_upstream(root: &Path, from: Option<&Path>) -> Result<J, String> {
    let path = from.map_or_else(|| root.join(UPSTREAM), Path::to_path_buf);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut up = json::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if up.get("swagger").and_then(J::str) != Some("2.0") {
        return Err(format!(
            "{}: not a Swagger 2.0 document (i'mport publishes its V1 API as Swagger 2.0)",
            path.display()
        ));
    }
    if let Ok(text) = std::fs::read_to_string(root.join(SUPPLEMENT)) {
        let extra = json::parse(&text).map_err(|e| format!("{SUPPLEMENT}: {e}"))?;
        merge_paths(&mut up, &extra);
    }
    Ok(up)
}

/// Adds `extra`'s paths (and methods) that `up` lacks.
pub fn merge_paths(up: &mut J, extra: &J) {
    let Some(extra_paths) = extra.get("paths").and_then(J::obj) else {
        return;
    };
    let Some(paths) = up
        .obj_mut()
        .and_then(|o| o.get_mut("paths"))
        .and_then(J::obj_mut)
    else {
        return;
    };
    for (path, item) in extra_paths {
        let entry = paths
            .entry(path.clone())
            .or_insert_with(|| J::Obj(Obj::new()));
        if let (Some(entry), Some(item)) = (entry.obj_mut(), item.obj()) {
            for (method, op) in item {
                entry.entry(method.clone()).or_insert_with(|| op.clone());
            }
        }
    }
}

/// Every operation of an upstream document, in document order.
pub fn upstream_operations(up: &J) -> Vec<UpOp> {
    let mut ops = Vec::new();
    for (path, item) in up.get("paths").and_then(J::obj).into_iter().flatten() {
        for (method, op) in item.obj().into_iter().flatten() {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                ops.push(UpOp {
                    method: method.clone(),
                    path: path.clone(),
                    op: op.clone(),
                });
            }
        }
    }
    ops
}

/// The spec's operation(s) that serve an upstream `METHOD path`: the same path, or (for an
/// upstream path whose last segment is an optional parameter after another parameter, which this
/// spec splits in two, e.g. `/payments/find/{merchant_uid}/{payment_status}`) the path with and
/// without it. Returns their paths.
pub fn spec_paths_for(spec: &J, method: &str, path: &str) -> Vec<String> {
    let has = |p: &str| {
        spec.at(&["paths"])
            .and_then(|ps| ps.get(p))
            .and_then(|i| i.get(method))
            .is_some()
    };
    let mut found = Vec::new();
    if has(path) {
        found.push(path.to_string());
    }
    if let Some((shorter, last)) = path.rsplit_once('/')
        && last.starts_with('{')
        && shorter.contains('{')
        && has(shorter)
    {
        found.push(shorter.to_string());
    }
    found
}
