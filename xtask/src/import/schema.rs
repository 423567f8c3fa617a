//! Swagger 2.0 schemas (i'mport's `definitions`, parameters) into this spec's dialect, with the
//! upstream defects repaired.

use super::curated;
use super::json::{J, Obj, obj};

/// Which side of the wire a schema is read on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Sent: strict, as upstream declares it.
    Request,
    /// Received: the tolerant reader (nullable unless identity).
    Response,
}

/// Fields that are secrets in every i'mport operation (`format: password`).
const SECRETS: &[&str] = &[
    "expiry",
    "birth",
    "pwd_2digit",
    "cvc",
    "pg_api_key",
    "imp_secret",
    "otp",
    "identifier",
];

/// Display text: upstream's `maxLength` on these is a storage length, not a refusal (the
/// deviations page), so the import drops it.
const DISPLAY_TEXT: &[&str] = &[
    "name",
    "buyer_name",
    "buyer_email",
    "buyer_tel",
    "buyer_addr",
    "buyer_postcode",
    "customer_name",
    "customer_tel",
    "customer_email",
    "customer_addr",
    "customer_postcode",
];

/// The format a secret field gets, if it is one.
pub fn secret_format(name: &str) -> Option<&'static str> {
    if name == "card_number" {
        Some("card-number")
    } else if SECRETS.contains(&name) || name.contains("password") || name.contains("secret") {
        Some("password")
    } else {
        None
    }
}

/// Whether an integer field holds a UNIX time (seconds).
fn is_time(name: &str, description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    name.ends_with("_at")
        || name.ends_with("_due")
        || name == "from"
        || name == "to"
        || name.ends_with("_from")
        || name.ends_with("_to")
        || name.contains("time")
        || d.contains("unix")
        || d.contains("timestamp")
}

/// The schema of a Swagger 2.0 parameter, repaired: upstream writes some form fields with both a
/// `type` and a `schema`, where the `schema` is either the real one (an object: `type: string`
/// beside it is wrong) or, beside `type: array` without `items`, the items' schema.
pub fn parameter_schema(p: &J) -> J {
    let Some(schema) = p.get("schema") else {
        return p.clone();
    };
    if p.get("type").and_then(J::str) == Some("array") && p.get("items").is_none() {
        let mut repaired = p.clone();
        if let Some(o) = repaired.obj_mut() {
            o.shift_remove("schema");
            o.insert("items".into(), schema.clone());
        }
        return repaired;
    }
    schema.clone()
}

/// Upstream description text as plain text: HTML line breaks become new lines, other tags go.
pub fn clean(text: &str) -> String {
    let text = text
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("</li>", "\n");
    let mut out = String::new();
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    let mut joined = lines.join("\n");
    while joined.contains("\n\n\n") {
        joined = joined.replace("\n\n\n", "\n\n");
    }
    joined.trim().to_string()
}

/// What the conversion needs from the caller: component names for upstream definitions.
pub trait Components {
    /// The component (in this spec) for the upstream definition `name`, defined if needed.
    fn component(&mut self, definition: &str) -> String;
    /// A component for an inline object (named `name`), defined from `schema`.
    fn inline(&mut self, name: &str, schema: &J) -> String;
}

/// Converts one schema (a parameter, a property or an items schema). `name` is the field's wire
/// name (it decides secrets and times); `hint` names an inline object component.
pub fn convert(up: &J, name: &str, side: Side, hint: &str, components: &mut dyn Components) -> J {
    let mut out = Obj::new();
    let description = up.get("description").and_then(J::str).map(clean);
    if let Some(r) = up.get("$ref").and_then(J::str) {
        let def = r.rsplit('/').next().unwrap_or(r);
        let component = components.component(def);
        return reference(&component, description, side);
    }
    if let Some(all) = up.get("allOf").and_then(J::arr)
        && let Some(first) = all.iter().find(|s| s.get("$ref").is_some())
    {
        return convert(first, name, side, hint, components);
    }
    let ty = up.get("type").and_then(J::str).unwrap_or(
        if up.get("properties").is_some() || up.get("items").is_none() {
            "object"
        } else {
            "array"
        },
    );
    out.insert("type".into(), J::s(ty));
    let desc = description.clone().unwrap_or_default();
    match ty {
        "string" => {
            if let Some(f) = secret_format(name) {
                out.insert("format".into(), J::s(f));
            }
            let values = up.get("enum").and_then(J::arr);
            if let Some(values) = values {
                out.insert("enum".into(), J::Arr(values.to_vec()));
            }
            // Length limits on an enum say nothing its values do not (upstream writes them).
            // Display text has none here (the deviations page).
            let limited = values.is_none() && !DISPLAY_TEXT.contains(&name);
            for key in ["maxLength", "minLength"].into_iter().filter(|_| limited) {
                if let Some(n) = up.get(key).and_then(J::as_u64) {
                    out.insert(key.into(), J::n(n));
                }
            }
            if let Some(p) = up.get("pattern").and_then(J::str) {
                out.insert("pattern".into(), J::s(p));
            }
        }
        "integer" => {
            let format = if is_time(name, &desc) {
                "unix-time"
            } else {
                "int64"
            };
            out.insert("format".into(), J::s(format));
            for key in ["minimum", "maximum"] {
                if let Some(n) = up.get(key).and_then(J::as_f64)
                    && n.fract() == 0.0
                {
                    out.insert(key.into(), J::Num((n as i64).into()));
                }
            }
        }
        "number" => {
            out.insert("format".into(), J::s("decimal"));
            if let Some(n) = up.get("minimum").and_then(J::as_f64)
                && n.fract() == 0.0
            {
                out.insert("minimum".into(), J::Num((n as i64).into()));
            }
        }
        "boolean" => {}
        "array" => {
            let items = match up.get("items") {
                Some(J::Str(t)) => obj([("type", J::s(t.clone()))]),
                Some(items @ J::Obj(_)) => {
                    let mut item = convert(items, name, side, &format!("{hint}Item"), components);
                    if let Some(o) = item.obj_mut() {
                        o.shift_remove("nullable");
                        o.shift_remove("description");
                    }
                    item
                }
                _ => obj([("type", J::s("string"))]),
            };
            out.insert("items".into(), items);
        }
        _ => {
            out.insert("type".into(), J::s("object"));
            if up
                .get("properties")
                .and_then(J::obj)
                .is_some_and(|p| !p.is_empty())
            {
                let component = components.inline(hint, up);
                return reference(&component, description, side);
            }
        }
    }
    if let Some(d) = description {
        out.shift_insert(0, "description".into(), J::s(d));
        // `type` first, as the spec writes it.
        out.move_index(0, 1);
    }
    if side == Side::Response {
        out.insert("nullable".into(), J::Bool(true));
    }
    J::Obj(out)
}

/// A reference to a component; beside a description or `nullable` it is written
/// `oneOf: [{$ref}]` (keywords beside a bare `$ref` are ignored in OpenAPI 3.0).
fn reference(component: &str, description: Option<String>, side: Side) -> J {
    let reference = obj([("$ref", J::s(format!("#/components/schemas/{component}")))]);
    if side == Side::Request && description.is_none() {
        return reference;
    }
    let mut out = Obj::new();
    if let Some(d) = description {
        out.insert("description".into(), J::s(d));
    }
    if side == Side::Response {
        out.insert("nullable".into(), J::Bool(true));
    }
    out.insert("oneOf".into(), J::Arr(vec![reference]));
    J::Obj(out)
}

/// Converts an upstream object definition into a component schema: `required` holds the
/// record's identity (curated), everything else is optional and nullable.
pub fn object(
    up: &J,
    component: &str,
    side: Side,
    components: &mut dyn Components,
    todos: &mut Vec<String>,
) -> J {
    let props = up
        .get("properties")
        .and_then(J::obj)
        .cloned()
        .unwrap_or_default();
    let upstream_required: Vec<String> = up
        .get("required")
        .and_then(J::arr)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.str().map(str::to_string))
        .filter(|r| props.contains_key(r))
        .collect();
    let identity: Vec<String> = match (side, curated::identity(component)) {
        (Side::Request, _) => upstream_required.clone(),
        (Side::Response, Some(fields)) => fields
            .iter()
            .map(|f| f.to_string())
            .filter(|f| props.contains_key(f))
            .collect(),
        (Side::Response, None) => {
            todos.push(format!(
                "components/schemas/{component}: which fields are the record's identity (required when reading)? Upstream marks {:?}; none are required now.",
                upstream_required
            ));
            Vec::new()
        }
    };
    let mut out = Obj::new();
    out.insert("type".into(), J::s("object"));
    if let Some(d) = up.get("description").and_then(J::str) {
        out.insert("description".into(), J::s(clean(d)));
    }
    if !identity.is_empty() {
        out.insert(
            "required".into(),
            J::Arr(identity.iter().cloned().map(J::Str).collect()),
        );
    }
    let mut properties = Obj::new();
    for (name, prop) in &props {
        let hint = format!("{component}{}", pascal(name));
        let mut converted = convert(prop, name, side, &hint, components);
        if identity.contains(name)
            && let Some(o) = converted.obj_mut()
        {
            o.shift_remove("nullable");
        }
        properties.insert(name.clone(), converted);
    }
    out.insert("properties".into(), J::Obj(properties));
    J::Obj(out)
}

/// `snake_case` or `kebab-case` to `PascalCase`.
pub fn pascal(name: &str) -> String {
    name.split(['_', '-', '/', '.'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
