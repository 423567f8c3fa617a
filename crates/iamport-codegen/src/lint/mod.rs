//! The strict validation pass over the raw JSON.
//!
//! `openapiv3` is lenient: it accepts `"type": "integr"` as an unknown kind of schema and drops a
//! misspelled `requried` without a word. This pass reads the document as plain JSON first and
//! reports every problem it finds, each at its JSON pointer, before the model is built.

pub(crate) mod extensions;
mod names;
mod schema;
mod words;

use crate::error::{SpecError, join};
use serde_json::{Map, Value};
use std::collections::HashMap;
use words::suggest;

const ROOT_KEYS: &[&str] = &[
    "openapi",
    "info",
    "servers",
    "paths",
    "components",
    "security",
    "tags",
    "externalDocs",
];
const PATH_ITEM_KEYS: &[&str] = &[
    "summary",
    "description",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "servers",
    "parameters",
];
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
const SUPPORTED_METHODS: &[&str] = &["get", "put", "post", "delete"];
const OPERATION_KEYS: &[&str] = &[
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
];
const PARAMETER_KEYS: &[&str] = &[
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];
const REQUEST_BODY_KEYS: &[&str] = &["description", "content", "required"];
const MEDIA_TYPE_KEYS: &[&str] = &["schema", "example", "examples", "encoding"];
const RESPONSE_KEYS: &[&str] = &["description", "headers", "content", "links"];
const COMPONENT_KEYS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];
/// The vendor extension that marks money-moving operations.
pub const PAYMENT_EXTENSION: &str = "x-iamport-payment";
/// The operation extension marking operations where i'mport answers an unknown billing key or
/// customer with HTTP 200 and a non-zero `code` (a refusal) instead of a 404; a boolean.
pub const NOT_FOUND_ON_REFUSAL_EXTENSION: &str = "x-iamport-not-found-on-refusal";

/// The operation extension naming its Rust method, e.g. `"charge_billing_key"` (required), or
/// an inline schema's type.
pub const RUST_NAME_EXTENSION: &str = "x-rust-name";
/// The string-enum extension naming its Rust variants, one per `enum` value, in order.
pub const ENUM_VARNAMES_EXTENSION: &str = "x-enum-varnames";
/// The operation extension listing search aliases of its method (`#[doc(alias = "...")]`).
pub const DOC_ALIASES_EXTENSION: &str = "x-doc-aliases";

/// Checks `doc` and returns every problem found (empty when the document is fine).
pub fn lint(doc: &Value) -> Vec<SpecError> {
    let mut l = Linter {
        doc,
        errors: Vec::new(),
        operation_ids: HashMap::new(),
        rust_names: HashMap::new(),
    };
    l.root();
    l.errors
}

struct Linter<'a> {
    doc: &'a Value,
    errors: Vec<SpecError>,
    operation_ids: HashMap<String, String>,
    rust_names: HashMap<String, String>,
}

impl<'a> Linter<'a> {
    fn err(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(SpecError::new(pointer, message));
    }

    fn keys(&mut self, pointer: &str, obj: &Map<String, Value>, allowed: &[&str], what: &str) {
        for key in obj.keys() {
            if key.starts_with("x-") || allowed.contains(&key.as_str()) {
                continue;
            }
            let hint = suggest(key, allowed)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            self.err(
                &join(pointer, key),
                format!("unknown {what} keyword `{key}`{hint}"),
            );
        }
    }

    fn object<'v>(
        &mut self,
        pointer: &str,
        value: &'v Value,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match value.as_object() {
            Some(obj) => Some(obj),
            None => {
                self.err(pointer, format!("{what} must be a JSON object"));
                None
            }
        }
    }

    fn root(&mut self) {
        let Some(root) = self.object("#", self.doc, "the document") else {
            return;
        };
        if root.contains_key("swagger") {
            self.err("#/swagger", "this is a Swagger 2.0 document; the generator reads OpenAPI 3.0.x: convert it (e.g. requestBody instead of formData parameters, components/schemas instead of definitions)");
            return;
        }
        match root.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0.") => {}
            Some(v) => {
                self.err("#/openapi", format!("OpenAPI {v} is not supported: the generator reads OpenAPI 3.0.x documents (`\"openapi\": \"3.0.3\"`)"));
                return;
            }
            None => {
                self.err(
                    "#/openapi",
                    "missing `openapi` version string: expected `\"openapi\": \"3.0.3\"`",
                );
                return;
            }
        }
        self.keys("#", root, ROOT_KEYS, "document");
        if let Some(components) = root.get("components")
            && let Some(c) = self.object("#/components", components, "`components`")
        {
            self.keys("#/components", c, COMPONENT_KEYS, "components");
            if let Some(schemas) = c.get("schemas").and_then(Value::as_object) {
                for (name, schema) in schemas {
                    self.schema(&join("#/components/schemas", name), schema);
                }
            }
            if let Some(responses) = c.get("responses").and_then(Value::as_object) {
                for (name, response) in responses {
                    self.response(&join("#/components/responses", name), response);
                }
            }
        }
        if let Some(security) = root.get("security") {
            self.security("#/security", security);
        }
        match root.get("paths").and_then(Value::as_object) {
            Some(paths) => {
                for (path, item) in paths {
                    self.path_item(&join("#/paths", path), path, item);
                }
            }
            None => self.err("#/paths", "missing `paths` object"),
        }
    }

    fn security(&mut self, pointer: &str, value: &Value) {
        let Some(list) = value.as_array() else {
            self.err(
                pointer,
                "`security` must be an array of requirement objects",
            );
            return;
        };
        for (i, req) in list.iter().enumerate() {
            let p = format!("{pointer}/{i}");
            if let Some(obj) = self.object(&p, req, "a security requirement") {
                for name in obj.keys() {
                    if self
                        .doc
                        .pointer(&format!(
                            "/components/securitySchemes/{}",
                            crate::error::escape_token(name)
                        ))
                        .is_none()
                    {
                        self.err(&join(&p, name), format!("security scheme `{name}` is not defined in #/components/securitySchemes"));
                    }
                }
            }
        }
    }

    fn path_item(&mut self, pointer: &str, path: &str, item: &Value) {
        if !path.starts_with('/') {
            self.err(pointer, format!("path `{path}` must start with `/`"));
        }
        let Some(obj) = self.object(pointer, item, "a path item") else {
            return;
        };
        if obj.contains_key("$ref") {
            self.err(
                &join(pointer, "$ref"),
                "a path item `$ref` is not supported: write the operations inline",
            );
            return;
        }
        self.keys(pointer, obj, PATH_ITEM_KEYS, "path item");
        if obj.contains_key("parameters") {
            self.err(
                &join(pointer, "parameters"),
                "path-level `parameters` are not supported: declare parameters on each operation",
            );
        }
        for method in METHODS {
            if let Some(op) = obj.get(*method) {
                let p = join(pointer, method);
                if !SUPPORTED_METHODS.contains(method) {
                    self.err(
                        &p,
                        format!(
                            "the `{method}` method is not supported (only get, put, post, delete)"
                        ),
                    );
                    continue;
                }
                if matches!(*method, "get" | "delete")
                    && let Some(body) = op.get("requestBody")
                    && !body.is_null()
                {
                    self.err(&join(&p, "requestBody"), format!("a request body on `{method}` is not supported: i'mport reads a {} request's inputs from its path and query; declare them as `in: query` parameters", method.to_uppercase()));
                }
                self.operation(&p, path, op);
            }
        }
    }

    fn operation(&mut self, pointer: &str, path: &str, op: &Value) {
        let Some(obj) = self.object(pointer, op, "an operation") else {
            return;
        };
        self.keys(pointer, obj, OPERATION_KEYS, "operation");
        match obj.get("operationId").and_then(Value::as_str) {
            Some(id)
                if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                if let Some(first) = self
                    .operation_ids
                    .insert(id.to_string(), pointer.to_string())
                {
                    self.err(&join(pointer, "operationId"), format!("duplicate operationId `{id}` (also used at {first}): each operation needs a unique operationId, it is the operation's identity"));
                }
            }
            Some(id) => self.err(
                &join(pointer, "operationId"),
                format!("operationId `{id}` must be non-empty ASCII letters, digits or `_`"),
            ),
            None => self.err(pointer, "missing `operationId`"),
        }
        if let Some(kind) = obj.get(PAYMENT_EXTENSION)
            && !matches!(kind.as_str(), Some("charge" | "ready" | "cancel"))
        {
            self.err(
                &join(pointer, PAYMENT_EXTENSION),
                "must be \"charge\", \"ready\" or \"cancel\"",
            );
        }
        self.operation_extensions(pointer, obj);
        if let Some(flag) = obj.get(NOT_FOUND_ON_REFUSAL_EXTENSION)
            && !flag.is_boolean()
        {
            self.err(
                &join(pointer, NOT_FOUND_ON_REFUSAL_EXTENSION),
                "must be a boolean",
            );
        }
        self.operation_names(pointer, obj);
        if let Some(sec) = obj.get("security") {
            self.security(&join(pointer, "security"), sec);
        }
        let mut declared_path_params = Vec::new();
        if let Some(params) = obj.get("parameters") {
            match params.as_array() {
                Some(list) => {
                    for (i, param) in list.iter().enumerate() {
                        if let Some(name) =
                            self.parameter(&format!("{pointer}/parameters/{i}"), param)
                        {
                            declared_path_params.push(name);
                        }
                    }
                }
                None => self.err(
                    &join(pointer, "parameters"),
                    "`parameters` must be an array",
                ),
            }
        }
        for segment in path_template_params(path) {
            if !declared_path_params.contains(&segment) {
                self.err(pointer, format!("path parameter `{{{segment}}}` of `{path}` is not declared in `parameters` (optional segments: write two paths)"));
            }
        }
        for name in &declared_path_params {
            if !path_template_params(path).contains(name) {
                self.err(
                    pointer,
                    format!("path parameter `{name}` does not appear in `{path}`"),
                );
            }
        }
        if let Some(body) = obj.get("requestBody") {
            self.request_body(&join(pointer, "requestBody"), body);
        }
        match obj.get("responses").and_then(Value::as_object) {
            Some(responses) => {
                let p = join(pointer, "responses");
                for (status, response) in responses {
                    let rp = join(&p, status);
                    if status != "default"
                        && !(status.len() == 3 && status.chars().all(|c| c.is_ascii_digit()))
                    {
                        self.err(
                            &rp,
                            format!("response status `{status}` must be a 3-digit HTTP status"),
                        );
                    }
                    self.response(&rp, response);
                }
                if !responses.keys().any(|s| s.starts_with('2')) {
                    self.err(
                        &p,
                        "no 2xx response: the generator needs the success response's schema",
                    );
                }
            }
            None => self.err(pointer, "missing `responses`"),
        }
    }

    /// Returns the name of a path parameter.
    fn parameter(&mut self, pointer: &str, param: &Value) -> Option<String> {
        let obj = self.object(pointer, param, "a parameter")?;
        if let Some(r) = obj.get("$ref") {
            self.err(
                &join(pointer, "$ref"),
                format!("parameter `$ref` ({r}) is not supported: write the parameter inline"),
            );
            return None;
        }
        self.keys(pointer, obj, PARAMETER_KEYS, "parameter");
        let name = obj.get("name").and_then(Value::as_str);
        if name.is_none() {
            self.err(pointer, "parameter without a `name`");
        }
        let location = obj.get("in").and_then(Value::as_str);
        match location {
            Some("path") => {
                if obj.get("required") != Some(&Value::Bool(true)) {
                    self.err(pointer, "a path parameter must have `\"required\": true` (for an optional segment, write a second path without it)");
                }
            }
            Some("query") => {}
            Some(other) => self.err(
                &join(pointer, "in"),
                format!("`in: {other}` parameters are not supported (only path and query)"),
            ),
            None => self.err(pointer, "parameter without `in`"),
        }
        match obj.get("schema") {
            Some(schema) => self.schema(&join(pointer, "schema"), schema),
            None => self.err(pointer, "parameter without a `schema`"),
        }
        if location == Some("path") {
            name.map(str::to_string)
        } else {
            None
        }
    }

    fn request_body(&mut self, pointer: &str, body: &Value) {
        let Some(obj) = self.object(pointer, body, "a request body") else {
            return;
        };
        if obj.contains_key("$ref") {
            self.err(
                &join(pointer, "$ref"),
                "a requestBody `$ref` is not supported: write the body inline",
            );
            return;
        }
        self.keys(pointer, obj, REQUEST_BODY_KEYS, "request body");
        self.content(&join(pointer, "content"), obj.get("content"), true);
    }

    fn content(&mut self, pointer: &str, content: Option<&Value>, required: bool) {
        let Some(content) = content else {
            if required {
                self.err(pointer, "missing `content`");
            }
            return;
        };
        let Some(obj) = self.object(pointer, content, "`content`") else {
            return;
        };
        for (media, mt) in obj {
            let p = join(pointer, media);
            if media != "application/json" {
                self.err(&p, format!("media type `{media}` is not supported: request and response bodies are `application/json`"));
                continue;
            }
            if let Some(m) = self.object(&p, mt, "a media type") {
                self.keys(&p, m, MEDIA_TYPE_KEYS, "media type");
                match m.get("schema") {
                    Some(schema) => self.schema(&join(&p, "schema"), schema),
                    None => self.err(&p, "media type without a `schema`"),
                }
            }
        }
    }

    fn response(&mut self, pointer: &str, response: &Value) {
        let Some(obj) = self.object(pointer, response, "a response") else {
            return;
        };
        if let Some(r) = obj.get("$ref") {
            self.reference(&join(pointer, "$ref"), r, "#/components/responses/");
            return;
        }
        self.keys(pointer, obj, RESPONSE_KEYS, "response");
        if !obj.contains_key("description") {
            self.err(pointer, "response without a `description`");
        }
        self.content(&join(pointer, "content"), obj.get("content"), false);
    }

    fn reference(&mut self, pointer: &str, r: &Value, prefix: &str) {
        let Some(target) = r.as_str() else {
            self.err(pointer, "`$ref` must be a string");
            return;
        };
        if !target.starts_with(prefix) {
            self.err(
                pointer,
                format!("`$ref: {target}` must point into `{prefix}` of this document"),
            );
            return;
        }
        if self.doc.pointer(&target[1..]).is_none() {
            self.err(
                pointer,
                format!("`$ref: {target}` points to nothing: no such definition in this document"),
            );
        }
    }
}

/// The `{name}` segments of a path template.
pub fn path_template_params(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests;
