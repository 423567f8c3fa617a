//! `cargo xtask drift [SWAGGER]`: what differs between `spec/iamport.json` and i'mport's Swagger
//! document, per operation and field: operations not imported (or not upstream), request fields
//! added or removed upstream, changes of JSON type, of required-ness (requests) and of enum values.
//! Differences listed in the deviations page's `drift` block are deliberate and shown as such;
//! anything else makes the command fail, so a CI job can watch i'mport's document.
//!
//! Not compared, by design: descriptions, length limits and patterns, and the required-ness of
//! response fields (this spec reads responses tolerantly: only a record's identity is required).

use super::json::J;
use super::upstream::{UpOp, load_upstream, spec_paths_for, upstream_operations};
use std::collections::BTreeSet;
use std::path::Path;

/// The page listing deliberate deviations; its ```` ```text drift ```` block holds their keys.
pub const DEVIATIONS: &str = "crates/iamport/src/docs/deviations.md";

/// One difference, keyed `METHOD /path side field what` (see [`Difference::key`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// `METHOD /path` of the upstream operation (or of the spec's, for an operation only here).
    pub operation: String,
    /// `request`, `response` or `operation`.
    pub side: &'static str,
    /// The field's wire name (`-` for the operation itself).
    pub field: String,
    /// `missing` (upstream has it, the spec does not), `extra` (the spec has it, upstream does
    /// not), `type`, `required` or `enum`.
    pub what: &'static str,
    /// Upstream's side of it, then ours, for the report.
    pub detail: String,
}

impl Difference {
    /// The key the deviations block lists: `METHOD /path side field what`.
    pub fn key(&self) -> String {
        format!(
            "{} {} {} {}",
            self.operation, self.side, self.field, self.what
        )
    }
}

/// The keys of the deliberate deviations: the non-empty lines of the ```` ```text drift ````
/// block of the deviations page (text after `#` is a comment).
pub fn deliberate(page: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut inside = false;
    for line in page.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            inside = trimmed == "```text drift";
            continue;
        }
        if inside {
            let key = trimmed
                .split('#')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if !key.is_empty() {
                keys.insert(key);
            }
        }
    }
    keys
}

/// Every difference between `spec` and `up` (a Swagger 2.0 document).
pub fn differences(spec: &J, up: &J) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut served = BTreeSet::new();
    for u in upstream_operations(up) {
        let paths = spec_paths_for(spec, &u.method, &u.path);
        if paths.is_empty() {
            out.push(Difference {
                operation: u.key(),
                side: "operation",
                field: "-".into(),
                what: "missing",
                detail: format!("not imported: `cargo xtask import {}`", u.id()),
            });
            continue;
        }
        for path in paths {
            served.insert((u.method.clone(), path.clone()));
            let ours = spec
                .at(&["paths"])
                .and_then(|p| p.get(&path))
                .and_then(|i| i.get(&u.method))
                .cloned()
                .unwrap_or(J::Null);
            compare_requests(spec, up, &u, &ours, &path, &mut out);
            compare_responses(spec, up, &u, &ours, &mut out);
        }
    }
    for (path, item) in spec.get("paths").and_then(J::obj).into_iter().flatten() {
        for method in item.obj().into_iter().flatten().map(|(m, _)| m) {
            if !served.contains(&(method.clone(), path.clone())) {
                out.push(Difference {
                    operation: format!("{} {path}", method.to_ascii_uppercase()),
                    side: "operation",
                    field: "-".into(),
                    what: "extra",
                    detail: "in the spec, not in the upstream document".into(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A field as compared: JSON type, required-ness, enum values.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    ty: String,
    required: bool,
    values: Vec<String>,
}

fn follow<'a>(doc: &'a J, schema: &'a J, depth: usize) -> &'a J {
    if depth > 10 {
        return schema;
    }
    if let Some(r) = schema.get("$ref").and_then(J::str) {
        let parts: Vec<&str> = r.trim_start_matches("#/").split('/').collect();
        if let Some(target) = doc.at(&parts) {
            return follow(doc, target, depth + 1);
        }
    }
    for key in ["oneOf", "allOf"] {
        if let Some([only]) = schema.get(key).and_then(J::arr) {
            return follow(doc, only, depth + 1);
        }
    }
    schema
}

fn shape(doc: &J, schema: &J, required: bool) -> Shape {
    let s = follow(doc, schema, 0);
    let ty = match s.get("type").and_then(J::str) {
        Some(t) => t.to_string(),
        None if s.get("items").is_some() => "array".into(),
        None => "object".into(),
    };
    let values = s
        .get("enum")
        .and_then(J::arr)
        .unwrap_or_default()
        .iter()
        .map(|v| v.str().map_or_else(|| format!("{v:?}"), str::to_string))
        .collect();
    Shape {
        ty,
        required,
        values,
    }
}

fn compare(
    op: &str,
    side: &'static str,
    theirs: &[(String, Shape)],
    ours: &[(String, Shape)],
    check_required: bool,
    out: &mut Vec<Difference>,
) {
    let diff = |field: &str, what: &'static str, detail: String| Difference {
        operation: op.to_string(),
        side,
        field: field.to_string(),
        what,
        detail,
    };
    for (name, t) in theirs {
        let Some((_, o)) = ours.iter().find(|(n, _)| n == name) else {
            out.push(diff(
                name,
                "missing",
                format!("upstream {} field, not in the spec", t.ty),
            ));
            continue;
        };
        if t.ty != o.ty {
            out.push(diff(
                name,
                "type",
                format!("upstream {}, here {}", t.ty, o.ty),
            ));
        }
        if check_required && t.required != o.required {
            let word = |r: bool| if r { "required" } else { "optional" };
            out.push(diff(
                name,
                "required",
                format!("upstream {}, here {}", word(t.required), word(o.required)),
            ));
        }
        if !t.values.is_empty() && !o.values.is_empty() {
            let mut a = t.values.clone();
            let mut b = o.values.clone();
            a.sort();
            b.sort();
            if a != b {
                out.push(diff(name, "enum", format!("upstream {a:?}, here {b:?}")));
            }
        }
    }
    for (name, o) in ours {
        if !theirs.iter().any(|(n, _)| n == name) {
            out.push(diff(
                name,
                "extra",
                format!("{} field in the spec, not upstream", o.ty),
            ));
        }
    }
}

fn compare_requests(spec: &J, up: &J, u: &UpOp, ours: &J, path: &str, out: &mut Vec<Difference>) {
    let mut theirs = Vec::new();
    for p in u.op.get("parameters").and_then(J::arr).unwrap_or_default() {
        let Some(name) = p.get("name").and_then(J::str) else {
            continue;
        };
        // An optional last path segment this spec splits off: not an input of the shorter path.
        if p.get("in").and_then(J::str) == Some("path") && !path.contains(&format!("{{{name}}}")) {
            continue;
        }
        let schema = super::schema::parameter_schema(p);
        let required = p.get("in").and_then(J::str) == Some("path")
            || p.get("required") == Some(&J::Bool(true));
        theirs.push((name.to_string(), shape(up, &schema, required)));
    }
    let mut mine = Vec::new();
    for p in ours.get("parameters").and_then(J::arr).unwrap_or_default() {
        let Some(name) = p.get("name").and_then(J::str) else {
            continue;
        };
        let required = p.get("required") == Some(&J::Bool(true));
        mine.push((
            name.to_string(),
            shape(spec, p.get("schema").unwrap_or(&J::Null), required),
        ));
    }
    if let Some(body) = ours
        .at(&["requestBody", "content"])
        .and_then(|c| c.get("application/json"))
        .and_then(|m| m.get("schema"))
    {
        let body = follow(spec, body, 0);
        let required: Vec<&str> = body
            .get("required")
            .and_then(J::arr)
            .unwrap_or_default()
            .iter()
            .filter_map(J::str)
            .collect();
        for (name, prop) in body
            .get("properties")
            .and_then(J::obj)
            .into_iter()
            .flatten()
        {
            mine.push((
                name.clone(),
                shape(spec, prop, required.contains(&name.as_str())),
            ));
        }
    }
    compare(&u.key(), "request", &theirs, &mine, true, out);
}

/// The properties of the record an envelope's `response` holds: the items' for a list (or a page's
/// `list`), every alternative's for a union.
fn record_fields(doc: &J, response: Option<&J>) -> Vec<(String, Shape)> {
    let Some(response) = response else {
        return Vec::new();
    };
    let mut props = super::json::Obj::new();
    collect(doc, response, &mut props, 0);
    props
        .iter()
        .map(|(n, s)| (n.clone(), shape(doc, s, false)))
        .collect()
}

fn collect(doc: &J, schema: &J, props: &mut super::json::Obj, depth: usize) {
    if depth > 6 {
        return;
    }
    let record = follow(doc, schema, 0);
    if let Some(items) = record.get("items") {
        return collect(doc, items, props, depth + 1);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for member in record.get(key).and_then(J::arr).unwrap_or_default() {
            collect(doc, member, props, depth + 1);
        }
    }
    let Some(own) = record.get("properties").and_then(J::obj) else {
        return;
    };
    // A page: compare the records of its `list`.
    if let Some(list) = own.get("list")
        && follow(doc, list, 0).get("items").is_some()
    {
        return collect(doc, list, props, depth + 1);
    }
    props.extend(own.clone());
}

/// Upstream's `response` of an envelope; for an answer declared as a set of alternative
/// envelopes (`{"CustomerResponse": {$ref}, "SuperBillingKeyResponse": {$ref}}`), a union of
/// their `response`s.
fn upstream_response(up: &J, envelope: &super::json::Obj) -> Option<J> {
    if let Some(r) = envelope.get("response") {
        return Some(r.clone());
    }
    let alternatives: Vec<J> = envelope
        .iter()
        .filter(|(name, s)| name.ends_with("Response") && s.get("$ref").is_some())
        .filter_map(|(_, s)| {
            super::operation::envelope_properties(up, s)
                .get("response")
                .cloned()
        })
        .collect();
    (!alternatives.is_empty()).then(|| {
        J::Obj(
            [("oneOf".to_string(), J::Arr(alternatives))]
                .into_iter()
                .collect(),
        )
    })
}

fn compare_responses(spec: &J, up: &J, u: &UpOp, ours: &J, out: &mut Vec<Difference>) {
    let theirs_envelope =
        u.op.at(&["responses", "200", "schema"])
            .map(|s| super::operation::envelope_properties(up, s))
            .unwrap_or_default();
    let theirs = record_fields(up, upstream_response(up, &theirs_envelope).as_ref());
    let ours_envelope = ours
        .at(&["responses", "200", "content"])
        .and_then(|c| c.get("application/json"))
        .and_then(|m| m.get("schema"))
        .map(|s| follow(spec, s, 0));
    let mine = record_fields(
        spec,
        ours_envelope.and_then(|e| e.at(&["properties", "response"])),
    );
    compare(&u.key(), "response", &theirs, &mine, false, out);
}

/// The report, and whether anything undeliberate differs.
pub fn report(diffs: &[Difference], deliberate: &BTreeSet<String>) -> (String, bool) {
    let (known, new): (Vec<&Difference>, Vec<&Difference>) =
        diffs.iter().partition(|d| deliberate.contains(&d.key()));
    let mut text = String::new();
    if !new.is_empty() {
        text.push_str(&format!("{} undeliberate difference(s):\n", new.len()));
        for d in &new {
            text.push_str(&format!("  {}  ({})\n", d.key(), d.detail));
        }
    }
    if !known.is_empty() {
        text.push_str(&format!(
            "{} deliberate deviation(s) (listed in {DEVIATIONS}):\n",
            known.len()
        ));
        for d in &known {
            text.push_str(&format!("  = {}  ({})\n", d.key(), d.detail));
        }
    }
    let stale: Vec<&String> = deliberate
        .iter()
        .filter(|k| !diffs.iter().any(|d| &d.key() == *k))
        .collect();
    if !stale.is_empty() {
        text.push_str(&format!(
            "{} listed deviation(s) no longer differ (remove them from {DEVIATIONS}):\n",
            stale.len()
        ));
        for k in &stale {
            text.push_str(&format!("  - {k}\n"));
        }
    }
    text.push_str(&format!(
        "drift: {} undeliberate difference(s), {} deliberate",
        new.len(),
        known.len()
    ));
    (text, new.is_empty())
}

/// `cargo xtask drift`: the report (`Ok` when every difference is deliberate).
pub fn run(root: &Path, swagger: Option<&Path>) -> Result<String, String> {
    let up = load_upstream(root, swagger)?;
    let text = std::fs::read_to_string(root.join(crate::SPEC))
        .map_err(|e| format!("cannot read {}: {e}", crate::SPEC))?;
    let spec = super::json::parse(&text).map_err(|e| format!("{}: {e}", crate::SPEC))?;
    let page = std::fs::read_to_string(root.join(DEVIATIONS)).unwrap_or_default();
    let (text, clean) = report(&differences(&spec, &up), &deliberate(&page));
    if clean { Ok(text) } else { Err(text) }
}

#[cfg(test)]
mod tests {
    use super::super::json::parse;
    use super::*;

    fn upstream(extra_field: bool, extra_op: bool) -> J {
        let field = if extra_field {
            r#",{"name":"new_flag","in":"formData","required":false,"type":"boolean"}"#
        } else {
            ""
        };
        let op = if extra_op {
            r#","/payments/prepare":{"post":{"operationId":"preparePayment","parameters":[],"responses":{"200":{"description":"ok"}}}}"#
        } else {
            ""
        };
        parse(&format!(
            r##"{{"swagger":"2.0","paths":{{"/payments/cancel":{{"post":{{"operationId":"cancelPayment",
            "parameters":[{{"name":"imp_uid","in":"formData","required":false,"type":"string"}}{field}],
            "responses":{{"200":{{"description":"ok","schema":{{"$ref":"#/definitions/R"}}}}}}}}}}{op}}},
            "definitions":{{"R":{{"properties":{{"code":{{"type":"integer"}},"response":{{"$ref":"#/definitions/P"}}}}}},
            "P":{{"properties":{{"imp_uid":{{"type":"string"}}}}}}}}}}"##
        ))
        .unwrap()
    }

    fn spec() -> J {
        parse(
            r##"{"paths":{"/payments/cancel":{"post":{"operationId":"cancelPayment",
            "requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"imp_uid":{"type":"string"}}}}}},
            "responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/E"}}}}}}}},
            "components":{"schemas":{"E":{"type":"object","properties":{"code":{"type":"integer"},"response":{"nullable":true,"oneOf":[{"$ref":"#/components/schemas/P"}]}}},
            "P":{"type":"object","properties":{"imp_uid":{"type":"string","nullable":true}}}}}}"##,
        )
        .unwrap()
    }

    #[test]
    fn the_same_document_has_no_drift() {
        assert_eq!(differences(&spec(), &upstream(false, false)), vec![]);
    }

    #[test]
    fn reports_a_field_added_upstream() {
        let diffs = differences(&spec(), &upstream(true, false));
        let keys: Vec<String> = diffs.iter().map(Difference::key).collect();
        assert_eq!(keys, ["POST /payments/cancel request new_flag missing"]);
        let (text, clean) = report(&diffs, &BTreeSet::new());
        assert!(!clean, "{text}");
        assert!(text.contains("1 undeliberate"), "{text}");
    }

    #[test]
    fn reports_an_operation_not_imported_and_accepts_listed_deviations() {
        let diffs = differences(&spec(), &upstream(false, true));
        let keys: Vec<String> = diffs.iter().map(Difference::key).collect();
        assert_eq!(keys, ["POST /payments/prepare operation - missing"]);
        let page =
            "intro\n```text drift\nPOST /payments/prepare operation - missing  # not yet\n```\n";
        let (text, clean) = report(&diffs, &deliberate(page));
        assert!(clean, "{text}");
        assert!(text.contains("1 deliberate"), "{text}");
    }

    /// The checked-in spec differs from the bundled Swagger only where the deviations page says so.
    #[test]
    fn the_spec_has_no_undeliberate_drift() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        if let Err(report) = run(root, None) {
            panic!("{report}");
        }
    }
}
