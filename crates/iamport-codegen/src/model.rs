//! The small, validated model the emitter works from: operations and the types they use.
//!
//! Built from the `openapiv3` document after the lint pass, so constructs it does not support were
//! already reported; anything still unexpected here becomes a [`SpecError`], never a panic.

use crate::error::{SpecError, join};
use crate::lint::{DOC_ALIASES_EXTENSION, NOT_FOUND_ON_REFUSAL_EXTENSION, PAYMENT_EXTENSION};
use crate::naming::{field_ident_name, type_name};
use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// The Rust shape of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `String`.
    String,
    /// `format: password`: `iamport::Secret`.
    Secret,
    /// `format: card-number`: `iamport::runtime::CardNumber` (secret, any spelling, sent dashed).
    CardNumber,
    /// `type: number`: `iamport::Amount` (exact decimal).
    Amount,
    /// `type: integer`: `i64`.
    Int,
    /// `type: integer, format: unix-time`: `iamport::Timestamp`.
    Timestamp,
    /// `bool`.
    Bool,
    /// An object without declared properties: `serde_json::Value`.
    Json,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// A generated struct, enum or oneOf, by Rust name.
    Named(String),
}

/// Constraints of a field, checked by the generated `validate()`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minimum`.
    pub minimum: Option<i64>,
    /// `maximum`.
    pub maximum: Option<i64>,
    /// `exclusiveMinimum: true` (with `minimum`).
    pub exclusive_minimum: bool,
    /// `minItems` of an array.
    pub min_items: Option<usize>,
}

/// Where a request field travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A JSON body property (or any property of a schema type).
    Body,
    /// A path segment.
    Path,
    /// A query pair.
    Query,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust name (without `r#`).
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Doc text.
    pub doc: Option<String>,
    /// Type (without the `Option` for non-required or nullable fields).
    pub ty: Ty,
    /// Listed in `required` (or a required parameter).
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// Where it travels.
    pub location: Location,
    /// Validation rules.
    pub constraints: Constraints,
}

impl Field {
    /// Whether the Rust type is wrapped in `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A generated type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// An object.
    Struct {
        /// Rust name.
        name: String,
        /// Doc text.
        doc: Option<String>,
        /// Fields in spec order.
        fields: Vec<Field>,
    },
    /// A string enum.
    Enum {
        /// Rust name.
        name: String,
        /// Doc text.
        doc: Option<String>,
        /// Wire values in spec order.
        values: Vec<String>,
    },
    /// A `oneOf` of named schemas.
    OneOf {
        /// Rust name.
        name: String,
        /// Doc text.
        doc: Option<String>,
        /// The alternatives' Rust names, tried in order when decoding.
        variants: Vec<String>,
    },
}

impl TypeDef {
    /// The Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct { name, .. }
            | TypeDef::Enum { name, .. }
            | TypeDef::OneOf { name, .. } => name,
        }
    }
}

/// On which side of the wire a type is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sides {
    /// Sent in requests: gets `validate()`; enums are strict unless also in responses.
    pub request: bool,
    /// Received in responses: enums get `Unknown(String)`.
    pub response: bool,
}

/// What an operation does to money (`x-iamport-payment`), or whether it only reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// GET.
    Read,
    /// Another method.
    Write,
    /// `x-iamport-payment: charge`.
    Charge,
    /// `x-iamport-payment: cancel`.
    Cancel,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// `summary`: an English sentence, then ` — ` and upstream's Korean text (see
    /// [`Operation::summary_parts`]).
    pub summary: Option<String>,
    /// `x-doc-aliases`: search aliases of the method.
    pub doc_aliases: Vec<String>,
    /// `description`.
    pub description: Option<String>,
    /// The request struct's name and fields, if the operation takes any input.
    pub request: Option<(String, Vec<Field>)>,
    /// The type of the envelope's `response`.
    pub returns: Ty,
    /// What it does.
    pub kind: Kind,
    /// Whether it needs an access token.
    pub requires_auth: bool,
    /// Declared 2xx statuses.
    pub success_statuses: Vec<u16>,
    /// `x-iamport-not-found-on-refusal: true`: an HTTP 200 refusal (non-zero `code`) may mean the
    /// billing key or customer is unknown.
    pub not_found_on_refusal: bool,
    /// JSON pointer of the operation, for messages.
    pub pointer: String,
}

impl Operation {
    /// The summary split at its first ` — `: the English sentence and upstream's text (either may
    /// be empty; a summary without the separator is all English).
    pub fn summary_parts(&self) -> (&str, &str) {
        let summary = self.summary.as_deref().unwrap_or("").trim();
        match summary.split_once(" — ") {
            Some((english, upstream)) => (english.trim(), upstream.trim()),
            None => (summary, ""),
        }
    }
}

/// The whole model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Types in a stable order (first use).
    pub types: IndexMap<String, TypeDef>,
    /// Where each type is used.
    pub sides: IndexMap<String, Sides>,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// Builds the model, or every problem found.
pub fn build(api: &OpenAPI) -> Result<Model, Vec<SpecError>> {
    let mut b = Builder {
        api,
        model: Model::default(),
        errors: Vec::new(),
        origins: IndexMap::new(),
    };
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let pointer = join(&join("#/paths", path), method);
            b.operation(&pointer, path, method, op);
        }
    }
    let ops = b.model.operations.clone();
    for op in &ops {
        if let Some((name, _)) = &op.request {
            b.mark(&Ty::Named(name.clone()), true);
        }
        b.mark(&op.returns, false);
    }
    if b.errors.is_empty() {
        Ok(b.model)
    } else {
        Err(b.errors)
    }
}

struct Builder<'a> {
    api: &'a OpenAPI,
    model: Model,
    errors: Vec<SpecError>,
    /// Rust type name → the pointer that defined it (to report collisions).
    origins: IndexMap<String, String>,
}

impl<'a> Builder<'a> {
    fn err(&mut self, pointer: &str, message: impl Into<String>) {
        self.errors.push(SpecError::new(pointer, message));
    }

    fn operation(&mut self, pointer: &str, path: &str, method: &str, op: &openapiv3::Operation) {
        let Some(id) = op.operation_id.clone() else {
            return;
        };
        let request_name = format!("{}Request", type_name(&id));
        let mut fields = Vec::new();
        for (i, param) in op.parameters.iter().enumerate() {
            let p = format!("{pointer}/parameters/{i}");
            let ReferenceOr::Item(param) = param else {
                continue;
            };
            let (data, location) = match param {
                Parameter::Path { parameter_data, .. } => (parameter_data, Location::Path),
                Parameter::Query { parameter_data, .. } => (parameter_data, Location::Query),
                _ => continue,
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                self.err(&p, "parameter `content` is not supported: use `schema`");
                continue;
            };
            let (ty, constraints, nullable) =
                self.ty(&join(&p, "schema"), schema, &request_name, &data.name);
            fields.push(Field {
                name: field_ident_name(&data.name),
                wire: data.name.clone(),
                doc: data.description.clone(),
                ty,
                required: data.required,
                nullable,
                location,
                constraints,
            });
        }
        if let Some(ReferenceOr::Item(body)) = &op.request_body {
            let bp = format!("{pointer}/requestBody/content/application~1json/schema");
            match body
                .content
                .get("application/json")
                .and_then(|m| m.schema.as_ref())
            {
                Some(schema) => {
                    if let Some(body_fields) = self.object_fields(&bp, schema, &request_name) {
                        fields.extend(body_fields);
                    }
                }
                None => self.err(&bp, "request body without an application/json schema"),
            }
        }
        let mut seen = std::collections::HashSet::new();
        for f in &fields {
            if !seen.insert(f.name.clone()) {
                self.err(
                    pointer,
                    format!(
                        "two inputs of `{id}` map to the Rust field `{}`: rename one",
                        f.name
                    ),
                );
            }
        }
        let mut success_statuses = Vec::new();
        let mut returns = None;
        for (status, response) in &op.responses.responses {
            let StatusCode::Code(code) = status else {
                continue;
            };
            if !(200..300).contains(code) {
                continue;
            }
            success_statuses.push(*code);
            if returns.is_some() {
                continue;
            }
            let rp = format!("{pointer}/responses/{code}");
            let Some(response) = self.resolve_response(response) else {
                self.err(&rp, "response `$ref` points to nothing");
                continue;
            };
            match response
                .content
                .get("application/json")
                .and_then(|m| m.schema.as_ref())
            {
                Some(schema) => {
                    returns = self.envelope(
                        &format!("{rp}/content/application~1json/schema"),
                        schema,
                        &id,
                    )
                }
                None => self.err(
                    &rp,
                    "a 2xx response needs an application/json schema (the i'mport envelope)",
                ),
            }
        }
        let Some(returns) = returns else {
            if !success_statuses.is_empty() {
                return;
            }
            self.err(pointer, "no 2xx response with a schema");
            return;
        };
        let kind = match op
            .extensions
            .get(PAYMENT_EXTENSION)
            .and_then(|v| v.as_str())
        {
            Some("charge") => Kind::Charge,
            Some("cancel") => Kind::Cancel,
            _ if method == "get" => Kind::Read,
            _ => Kind::Write,
        };
        let not_found_on_refusal = op
            .extensions
            .get(NOT_FOUND_ON_REFUSAL_EXTENSION)
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let security = op.security.as_ref().or(self.api.security.as_ref());
        let requires_auth = security.is_some_and(|reqs| reqs.iter().any(|r| !r.is_empty()));
        let request_fields = fields.clone();
        if !fields.is_empty() {
            self.define(
                pointer,
                TypeDef::Struct {
                    name: request_name.clone(),
                    doc: Some(format!(
                        "The input of `{}` ({} `{path}`){}",
                        id,
                        method.to_uppercase(),
                        op.summary
                            .as_deref()
                            .map(|s| s.split(" — ").next().unwrap_or(s).trim())
                            .filter(|s| !s.is_empty())
                            .map(|s| format!(": {s}"))
                            .unwrap_or_else(|| ".".into())
                    )),
                    fields,
                },
            );
        }
        self.model.operations.push(Operation {
            id,
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: op.summary.clone(),
            doc_aliases: op
                .extensions
                .get(DOC_ALIASES_EXTENSION)
                .and_then(|v| v.as_array())
                .map(|list| {
                    list.iter()
                        .filter_map(|a| a.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            description: op.description.clone(),
            request: (!request_fields.is_empty()).then_some((request_name, request_fields)),
            returns,
            kind,
            requires_auth,
            success_statuses,
            not_found_on_refusal,
            pointer: pointer.to_string(),
        });
    }

    fn resolve_response<'r>(
        &self,
        r: &'r ReferenceOr<openapiv3::Response>,
    ) -> Option<&'r openapiv3::Response>
    where
        'a: 'r,
    {
        let api: &'a OpenAPI = self.api;
        match r {
            ReferenceOr::Item(resp) => Some(resp),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/responses/")?;
                match api.components.as_ref()?.responses.get(name)? {
                    ReferenceOr::Item(resp) => Some(resp),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    fn schema<'s>(&self, r: &'s ReferenceOr<Schema>) -> Option<(&'s Schema, Option<&'s str>)>
    where
        'a: 's,
    {
        let api: &'a OpenAPI = self.api;
        match r {
            ReferenceOr::Item(s) => Some((s, None)),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/schemas/")?;
                match api.components.as_ref()?.schemas.get(name)? {
                    ReferenceOr::Item(s) => Some((s, Some(name))),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    /// The type of the `response` property of an i'mport envelope `{code, message, response}`.
    fn envelope(&mut self, pointer: &str, schema: &ReferenceOr<Schema>, id: &str) -> Option<Ty> {
        let Some((s, name)) = self.schema(schema) else {
            self.err(pointer, "`$ref` points to nothing");
            return None;
        };
        let at = name
            .map(|n| join("#/components/schemas", n))
            .unwrap_or_else(|| pointer.to_string());
        let props = match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => &o.properties,
            _ => {
                self.err(&at, "a success response must be the i'mport envelope: an object with `code`, `message` and `response`");
                return None;
            }
        };
        if !props.contains_key("code") || !props.contains_key("response") {
            self.err(&at, "a success response must be the i'mport envelope: an object with `code`, `message` and `response` (the generated method returns `response`)");
            return None;
        }
        let response = props.get("response")?.clone().unbox();
        let owner = format!("{}Response", type_name(id));
        let (ty, _, _) = self.ty(
            &join(&join(&at, "properties"), "response"),
            &response,
            &owner,
            "",
        );
        Some(ty)
    }

    fn object_fields(
        &mut self,
        pointer: &str,
        schema: &ReferenceOr<Schema>,
        owner: &str,
    ) -> Option<Vec<Field>> {
        let Some((s, _)) = self.schema(schema) else {
            self.err(pointer, "`$ref` points to nothing");
            return None;
        };
        let SchemaKind::Type(Type::Object(obj)) = &s.schema_kind else {
            self.err(
                pointer,
                "a request body must be an object schema with `properties`",
            );
            return None;
        };
        let mut fields = Vec::new();
        for (wire, prop) in &obj.properties {
            let p = join(&join(pointer, "properties"), wire);
            let prop = prop.clone().unbox();
            let (ty, constraints, nullable) = self.ty(&p, &prop, owner, wire);
            let doc = self
                .schema(&prop)
                .and_then(|(s, _)| s.schema_data.description.clone());
            fields.push(Field {
                name: field_ident_name(wire),
                wire: wire.clone(),
                doc,
                ty,
                required: obj.required.contains(wire),
                nullable,
                location: Location::Body,
                constraints,
            });
        }
        Some(fields)
    }

    fn define(&mut self, pointer: &str, def: TypeDef) {
        let name = def.name().to_string();
        if let Some(first) = self.origins.get(&name) {
            if first != pointer {
                let first = first.clone();
                self.err(pointer, format!("the generated type name `{name}` is already used by {first}: rename the schema"));
            }
            return;
        }
        self.origins.insert(name.clone(), pointer.to_string());
        self.model.types.insert(name, def);
    }

    /// The Rust type of a schema, its constraints and nullability; defines named types on the way.
    fn ty(
        &mut self,
        pointer: &str,
        schema: &ReferenceOr<Schema>,
        owner: &str,
        field: &str,
    ) -> (Ty, Constraints, bool) {
        let Some((s, component)) = self.schema(schema) else {
            self.err(pointer, "`$ref` points to nothing");
            return (Ty::Json, Constraints::default(), false);
        };
        let nullable = s.schema_data.nullable;
        let doc = s.schema_data.description.clone();
        let mut c = Constraints::default();
        // A named (component) schema becomes its own type; inline ones are named owner + field.
        let (name, def_pointer) = match component {
            Some(n) => (type_name(n), join("#/components/schemas", n)),
            None => (format!("{owner}{}", type_name(field)), pointer.to_string()),
        };
        let ty = match &s.schema_kind {
            // `oneOf: [{$ref}]` beside `nullable`/`description`: the OpenAPI 3.0 way to make a
            // reference nullable or document it (keywords beside a bare `$ref` are ignored). Not a
            // union: the field has the referenced type.
            SchemaKind::OneOf { one_of: only } | SchemaKind::AnyOf { any_of: only }
                if only.len() == 1 =>
            {
                let (t, inner_c, inner_nullable) =
                    self.ty(&format!("{pointer}/oneOf/0"), &only[0], owner, field);
                return (t, inner_c, nullable || inner_nullable);
            }
            SchemaKind::OneOf {
                one_of: alternatives,
            }
            | SchemaKind::AnyOf {
                any_of: alternatives,
            } => {
                let one_of = alternatives;
                if !self.origins.contains_key(&name) {
                    self.origins.insert(name.clone(), def_pointer.clone());
                    let mut variants = Vec::new();
                    for (i, alt) in one_of.iter().enumerate() {
                        let (t, _, _) = self.ty(
                            &format!("{def_pointer}/oneOf/{i}"),
                            alt,
                            &name,
                            &format!("variant{i}"),
                        );
                        match t {
                            Ty::Named(n)
                                if matches!(
                                    self.model.types.get(&n),
                                    Some(TypeDef::Struct { .. })
                                ) =>
                            {
                                variants.push(n)
                            }
                            _ => self.err(
                                &format!("{def_pointer}/oneOf/{i}"),
                                "`oneOf` alternatives must be object schemas",
                            ),
                        }
                    }
                    self.model.types.insert(
                        name.clone(),
                        TypeDef::OneOf {
                            name: name.clone(),
                            doc,
                            variants,
                        },
                    );
                }
                Ty::Named(name)
            }
            SchemaKind::Type(Type::String(st)) => {
                c.max_length = st.max_length;
                c.min_length = st.min_length;
                c.pattern = st.pattern.clone();
                let values: Vec<String> = st.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    self.define(
                        &def_pointer,
                        TypeDef::Enum {
                            name: name.clone(),
                            doc,
                            values,
                        },
                    );
                    Ty::Named(name)
                } else if matches!(
                    st.format,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password)
                ) {
                    Ty::Secret
                } else if matches!(&st.format, VariantOrUnknownOrEmpty::Unknown(f) if f == "card-number")
                {
                    Ty::CardNumber
                } else {
                    Ty::String
                }
            }
            SchemaKind::Type(Type::Integer(it)) => {
                c.minimum = it.minimum;
                c.maximum = it.maximum;
                match &it.format {
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "unix-time" => Ty::Timestamp,
                    _ => Ty::Int,
                }
            }
            SchemaKind::Type(Type::Number(nt)) => {
                // Money bounds are whole numbers in this spec (e.g. `minimum: 0`).
                c.minimum = nt.minimum.filter(|m| m.fract() == 0.0).map(|m| m as i64);
                c.exclusive_minimum = nt.exclusive_minimum;
                Ty::Amount
            }
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Array(at)) => match &at.items {
                Some(items) => {
                    let items = items.clone().unbox();
                    let (t, item_c, _) = self.ty(
                        &join(pointer, "items"),
                        &items,
                        owner,
                        &format!("{field}_item"),
                    );
                    // Constraints of string items apply to each item.
                    c = item_c;
                    c.min_items = at.min_items;
                    Ty::Vec(Box::new(t))
                }
                None => {
                    self.err(pointer, "array schema without `items`");
                    Ty::Json
                }
            },
            SchemaKind::Type(Type::Object(obj)) if obj.properties.is_empty() => Ty::Json,
            SchemaKind::Type(Type::Object(_)) => {
                if !self.origins.contains_key(&name) {
                    self.origins.insert(name.clone(), def_pointer.clone());
                    let fields = self
                        .object_fields(&def_pointer, &ReferenceOr::Item(s.clone()), &name)
                        .unwrap_or_default();
                    self.model.types.insert(
                        name.clone(),
                        TypeDef::Struct {
                            name: name.clone(),
                            doc,
                            fields,
                        },
                    );
                } else if self.origins.get(&name) != Some(&def_pointer) {
                    let first = self.origins[&name].clone();
                    self.err(&def_pointer, format!("the generated type name `{name}` is already used by {first}: rename the schema"));
                }
                Ty::Named(name)
            }
            _ => {
                self.err(
                    pointer,
                    "unsupported schema construct (allOf, anyOf, not, or a schema without a type)",
                );
                Ty::Json
            }
        };
        (ty, c, nullable)
    }

    /// Records that `ty` (and everything it holds) is used in requests or responses.
    fn mark(&mut self, ty: &Ty, request: bool) {
        match ty {
            Ty::Vec(inner) => self.mark(&inner.clone(), request),
            Ty::Named(name) => {
                let sides = self.model.sides.entry(name.clone()).or_default();
                let seen = if request {
                    std::mem::replace(&mut sides.request, true)
                } else {
                    std::mem::replace(&mut sides.response, true)
                };
                if seen {
                    return;
                }
                let nested: Vec<Ty> = match self.model.types.get(name) {
                    Some(TypeDef::Struct { fields, .. }) => {
                        fields.iter().map(|f| f.ty.clone()).collect()
                    }
                    Some(TypeDef::OneOf { variants, .. }) => {
                        variants.iter().map(|v| Ty::Named(v.clone())).collect()
                    }
                    _ => Vec::new(),
                };
                for t in nested {
                    self.mark(&t, request);
                }
            }
            _ => {}
        }
    }
}
