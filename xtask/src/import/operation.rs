//! One upstream operation into the spec: parameters, JSON body, envelope, components.

use super::curated;
use super::json::{J, Obj, obj};
use super::schema::{self, Components, Side, clean, pascal};
use super::upstream::UpOp;

/// The envelope whose `response` is free-form (or absent upstream).
const EMPTY_ENVELOPE: &str = "EmptyResponse";

/// Imports operations into a spec, defining the components they need.
pub struct Importer<'u> {
    up: &'u J,
    /// The spec being extended.
    pub spec: J,
    /// What needs a person's judgement.
    pub todos: Vec<String>,
}

impl<'u> Importer<'u> {
    /// An importer over `up` (a Swagger 2.0 document) and `spec`.
    pub fn new(up: &'u J, spec: J) -> Self {
        Importer {
            up,
            spec,
            todos: Vec::new(),
        }
    }

    fn schemas(&mut self) -> &mut Obj {
        self.spec
            .obj_mut()
            .and_then(|o| o.get_mut("components"))
            .and_then(J::obj_mut)
            .and_then(|o| o.get_mut("schemas"))
            .and_then(J::obj_mut)
            .expect("the spec has components/schemas")
    }

    fn has_schema(&mut self, name: &str) -> bool {
        self.schemas().contains_key(name)
    }

    fn operation_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for item in self
            .spec
            .get("paths")
            .and_then(J::obj)
            .into_iter()
            .flatten()
            .map(|(_, i)| i)
        {
            for op in item.obj().into_iter().flatten().map(|(_, o)| o) {
                if let Some(id) = op.get("operationId").and_then(J::str) {
                    ids.push(id.to_string());
                }
            }
        }
        ids
    }

    /// Adds one operation.
    pub fn import(&mut self, u: &UpOp) -> Result<(), String> {
        let key = u.key();
        let curated = curated::operation(&u.method, &u.path);
        // A unique operationId: upstream's, or (when taken) with the last path word appended.
        let taken = self.operation_ids();
        let mut id = u
            .id()
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_");
        if id.is_empty() || taken.contains(&id) {
            let word = u
                .path
                .rsplit('/')
                .find(|s| !s.starts_with('{'))
                .unwrap_or("op");
            id = format!("{id}{}", pascal(word));
        }
        if taken.contains(&id) {
            id = format!("{id}{}", pascal(&u.method));
        }
        let rust_name = match curated {
            Some(c) => c.rust_name.to_string(),
            None => {
                let derived = snake(&id);
                self.todos.push(format!("{key}: check the method name `x-rust-name: {derived}` (derived from operationId `{id}`)"));
                derived
            }
        };
        let upstream_summary =
            u.op.get("summary")
                .and_then(J::str)
                .map(clean)
                .unwrap_or_default();
        let english = match curated {
            Some(c) => c.summary.to_string(),
            None => {
                self.todos.push(format!(
                    "{key}: write the English summary (the sentence before ` — ` in `summary`)"
                ));
                "TODO: one English sentence.".to_string()
            }
        };
        let payment = curated.and_then(|c| c.payment);
        if curated.is_none() && u.method != "get" {
            self.todos.push(format!("{key}: does it move money? If it charges, add `x-iamport-payment: charge` (`ready` when it issues a payment the buyer completes later, `cancel` when it cancels one)"));
        }
        let mut op = Obj::new();
        op.insert("operationId".into(), J::s(&id));
        op.insert("x-rust-name".into(), J::s(rust_name.clone()));
        if let Some(tags) = u.op.get("tags") {
            op.insert("tags".into(), tags.clone());
        }
        let summary = if upstream_summary.is_empty() {
            english
        } else {
            format!("{english} — {upstream_summary}")
        };
        op.insert("summary".into(), J::s(summary));
        if let Some(d) = u.op.get("description").and_then(J::str).map(clean)
            && !d.is_empty()
        {
            op.insert("description".into(), J::s(d));
        }
        let (parameters, body) = self.inputs(u, &rust_name);
        if !parameters.is_empty() {
            op.insert("parameters".into(), J::Arr(parameters));
        }
        if let Some(body) = body {
            op.insert("requestBody".into(), body);
        }
        let envelope = self.envelope(u, &rust_name);
        let ok_description =
            u.op.at(&["responses", "200", "description"])
                .and_then(J::str)
                .map(clean)
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "정상 처리".into());
        let mut responses = Obj::new();
        responses.insert(
            "200".into(),
            obj([
                ("description", J::s(ok_description)),
                (
                    "content",
                    obj([(
                        "application/json",
                        obj([(
                            "schema",
                            obj([("$ref", J::s(format!("#/components/schemas/{envelope}")))]),
                        )]),
                    )]),
                ),
            ]),
        );
        for (status, name) in [
            ("400", "BadRequest"),
            ("401", "Unauthorized"),
            ("404", "NotFound"),
        ] {
            responses.insert(
                status.into(),
                obj([("$ref", J::s(format!("#/components/responses/{name}")))]),
            );
        }
        op.insert("responses".into(), J::Obj(responses));
        if let Some(kind) = payment {
            op.insert("x-iamport-payment".into(), J::s(kind));
        }
        let paths = self
            .spec
            .obj_mut()
            .and_then(|o| o.get_mut("paths"))
            .and_then(J::obj_mut)
            .ok_or("the spec has no `paths`")?;
        let item = paths
            .entry(u.path.clone())
            .or_insert_with(|| J::Obj(Obj::new()));
        item.obj_mut()
            .ok_or_else(|| format!("paths/{} is not an object", u.path))?
            .insert(u.method.clone(), J::Obj(op));
        Ok(())
    }

    /// Path and query parameters, and the JSON body built from form fields (form fields of a
    /// GET or DELETE, which has no body, travel in the query).
    fn inputs(&mut self, u: &UpOp, rust_name: &str) -> (Vec<J>, Option<J>) {
        let owner = format!("{}Request", pascal(rust_name));
        let mut parameters = Vec::new();
        let mut properties = Obj::new();
        let mut required = Vec::new();
        let bodyless = matches!(u.method.as_str(), "get" | "delete");
        for p in u.op.get("parameters").and_then(J::arr).unwrap_or_default() {
            let Some(name) = p.get("name").and_then(J::str) else {
                continue;
            };
            let place = p.get("in").and_then(J::str).unwrap_or("query");
            let is_required = place == "path" || p.get("required") == Some(&J::Bool(true));
            // A `schema` wins over a `type` beside it (upstream writes both on some form fields).
            let upstream_schema = schema::parameter_schema(p);
            let mut converted = schema::convert(
                &strip_description(&upstream_schema),
                name,
                Side::Request,
                &format!("{owner}{}", pascal(name)),
                self,
            );
            let description = p
                .get("description")
                .and_then(J::str)
                .map(clean)
                .filter(|d| !d.is_empty());
            match place {
                "path" | "query" | "formData" if place != "formData" || bodyless => {
                    let location = if place == "path" { "path" } else { "query" };
                    let mut param = Obj::new();
                    param.insert("name".into(), J::s(name));
                    param.insert("in".into(), J::s(location));
                    param.insert("required".into(), J::Bool(is_required));
                    if let Some(d) = description {
                        param.insert("description".into(), J::s(d));
                    }
                    param.insert("schema".into(), converted);
                    parameters.push(J::Obj(param));
                }
                _ => {
                    if let (Some(d), Some(o)) = (description, converted.obj_mut()) {
                        if o.contains_key("$ref") {
                            let r = o.clone();
                            o.clear();
                            o.insert("description".into(), J::s(d));
                            o.insert("oneOf".into(), J::Arr(vec![J::Obj(r)]));
                        } else {
                            o.shift_insert(
                                usize::from(o.contains_key("type")),
                                "description".into(),
                                J::s(d),
                            );
                        }
                    }
                    if is_required {
                        required.push(J::s(name));
                    }
                    properties.insert(name.to_string(), converted);
                }
            }
        }
        if properties.is_empty() {
            return (parameters, None);
        }
        let mut body_schema = Obj::new();
        body_schema.insert("type".into(), J::s("object"));
        let has_required = !required.is_empty();
        if has_required {
            body_schema.insert("required".into(), J::Arr(required));
        }
        body_schema.insert("properties".into(), J::Obj(properties));
        let body = obj([
            ("required", J::Bool(has_required)),
            (
                "content",
                obj([("application/json", obj([("schema", J::Obj(body_schema))]))]),
            ),
        ]);
        (parameters, Some(body))
    }

    /// The envelope component of the operation's success answer.
    fn envelope(&mut self, u: &UpOp, rust_name: &str) -> String {
        let schema = u.op.at(&["responses", "200", "schema"]).cloned();
        let (name, props) = match &schema {
            Some(s) if s.get("$ref").is_some() => {
                let def = s
                    .get("$ref")
                    .and_then(J::str)
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string();
                let name = alias(&def).unwrap_or(def.clone());
                if self.has_schema(&name) {
                    return name;
                }
                let up_def = self
                    .up
                    .at(&["definitions", &def])
                    .cloned()
                    .unwrap_or(J::Null);
                (name, envelope_properties(self.up, &up_def))
            }
            Some(s) => (
                format!("{}Response", pascal(rust_name)),
                envelope_properties(self.up, s),
            ),
            None => (EMPTY_ENVELOPE.to_string(), Obj::new()),
        };
        if !props.contains_key("response") && name != EMPTY_ENVELOPE && props.len() <= 2 {
            return self.empty_envelope();
        }
        if self.has_schema(&name) {
            return name;
        }
        if name == EMPTY_ENVELOPE {
            return self.empty_envelope();
        }
        // Reserve the name first (nested definitions may be converted meanwhile).
        self.schemas().insert(name.clone(), J::Null);
        let result_hint = format!("{}Result", pascal(rust_name));
        let response = match props.get("response") {
            Some(r) => schema::convert(r, "response", Side::Response, &result_hint, self),
            None => free_form(),
        };
        let inner = describe(&response);
        let mut properties = Obj::new();
        properties.insert("code".into(), code());
        properties.insert("message".into(), message());
        properties.insert("response".into(), response);
        for (extra, prop) in &props {
            if !["code", "message", "response"].contains(&extra.as_str()) {
                let hint = format!("{}{}", pascal(rust_name), pascal(extra));
                let converted = schema::convert(prop, extra, Side::Response, &hint, self);
                properties.insert(extra.clone(), converted);
            }
        }
        let envelope = obj([
            ("type", J::s("object")),
            (
                "description",
                J::s(format!(
                    "응답 봉투(envelope): code, message, response({inner}). `response` is null with a non-zero `code` when i'mport refuses the request (a business refusal, still HTTP 200)."
                )),
            ),
            ("required", J::Arr(vec![J::s("code")])),
            ("properties", J::Obj(properties)),
        ]);
        self.schemas().insert(name.clone(), envelope);
        name
    }

    fn empty_envelope(&mut self) -> String {
        if !self.has_schema(EMPTY_ENVELOPE) {
            let envelope = obj([
                ("type", J::s("object")),
                (
                    "description",
                    J::s(
                        "응답 봉투(envelope) whose `response` is free-form (or absent): code, message, response. `response` is null with a non-zero `code` when i'mport refuses the request (a business refusal, still HTTP 200).",
                    ),
                ),
                ("required", J::Arr(vec![J::s("code")])),
                (
                    "properties",
                    obj([
                        ("code", code()),
                        ("message", message()),
                        ("response", free_form()),
                    ]),
                ),
            ]);
            self.schemas().insert(EMPTY_ENVELOPE.into(), envelope);
        }
        EMPTY_ENVELOPE.into()
    }
}

impl Components for Importer<'_> {
    fn component(&mut self, definition: &str) -> String {
        let name = alias(definition).unwrap_or_else(|| {
            definition
                .strip_suffix("Annotation")
                .unwrap_or(definition)
                .to_string()
        });
        if self.has_schema(&name) {
            return name;
        }
        // A record named like an envelope would be taken for one: name it as a record.
        let name = match name.strip_suffix("Response") {
            Some(stem) => format!("{stem}Record"),
            None => name,
        };
        if self.has_schema(&name) {
            return name;
        }
        let up_def = self
            .up
            .at(&["definitions", definition])
            .cloned()
            .unwrap_or(J::Null);
        self.inline(&name, &up_def)
    }

    fn inline(&mut self, name: &str, schema: &J) -> String {
        if self.has_schema(name) {
            return name.to_string();
        }
        self.schemas().insert(name.to_string(), J::Null);
        let mut todos = Vec::new();
        let converted = schema::object(schema, name, Side::Response, self, &mut todos);
        self.todos.extend(todos);
        self.schemas().insert(name.to_string(), converted);
        name.to_string()
    }
}

/// The spec's name of an upstream definition, when the spec already holds it under another.
fn alias(definition: &str) -> Option<String> {
    curated::ALIASES
        .iter()
        .find(|(up, _)| *up == definition)
        .map(|(_, ours)| ours.to_string())
}

/// The properties of an envelope definition, `allOf` members (and references) merged.
pub(super) fn envelope_properties(up: &J, def: &J) -> Obj {
    let mut props = Obj::new();
    if let Some(r) = def.get("$ref").and_then(J::str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        if let Some(target) = up.at(&["definitions", name]) {
            return envelope_properties(up, target);
        }
    }
    for member in def.get("allOf").and_then(J::arr).unwrap_or_default() {
        props.extend(envelope_properties(up, member));
    }
    if let Some(p) = def.get("properties").and_then(J::obj) {
        props.extend(p.clone());
    }
    props
}

/// A parameter without its description (the parameter carries it).
fn strip_description(p: &J) -> J {
    match p {
        J::Obj(o) => J::Obj(
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "description" | "name" | "in" | "required"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn code() -> J {
    obj([
        ("type", J::s("integer")),
        ("format", J::s("int64")),
        (
            "description",
            J::s("응답코드. 0이면 정상적인 조회, 0아닌 값이면 message를 확인해봐야 합니다."),
        ),
    ])
}

fn message() -> J {
    obj([
        ("type", J::s("string")),
        ("nullable", J::Bool(true)),
        (
            "description",
            J::s(
                "응답메세지. code값이 0이 아닐 때, '존재하지 않는 결제정보입니다'와 같은 오류 메세지를 포함합니다.",
            ),
        ),
    ])
}

fn free_form() -> J {
    obj([
        ("type", J::s("object")),
        ("nullable", J::Bool(true)),
        (
            "description",
            J::s("Free-form: i'mport documents no structure for it."),
        ),
    ])
}

/// What an envelope holds, for its description: `Payment`, `Payment[]` or `object`.
fn describe(response: &J) -> String {
    let reference = |s: &J| {
        s.get("$ref")
            .or_else(|| {
                s.get("oneOf")
                    .and_then(J::arr)
                    .and_then(|a| a.first())
                    .and_then(|f| f.get("$ref"))
            })
            .and_then(J::str)
            .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
    };
    if let Some(name) = reference(response) {
        return name;
    }
    if let Some(items) = response.get("items")
        && let Some(name) = reference(items)
    {
        return format!("{name}[]");
    }
    response
        .get("type")
        .and_then(J::str)
        .unwrap_or("object")
        .to_string()
}

/// `camelCase` or `snake_case` to `snake_case`.
pub fn snake(id: &str) -> String {
    let mut out = String::new();
    for (i, ch) in id.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}
