//! Building the model from the `openapiv3` document: operations, their request and response
//! types, constraints and the side of the wire each type is used on.

use super::types::{Constraints, Field, Kind, Location, Model, Operation, Ty, TypeDef};
use crate::error::{SpecError, join};
use crate::lint::extensions::{AT_MOST_EXTENSION, PATTERN_TEXT_EXTENSION, SUCCESS_EXTENSION};
use crate::lint::{
    DOC_ALIASES_EXTENSION, ENUM_VARNAMES_EXTENSION, NOT_FOUND_ON_REFUSAL_EXTENSION,
    PAYMENT_EXTENSION, RUST_NAME_EXTENSION,
};
use crate::naming::{field_ident_name, type_name};
use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, StatusCode,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// Builds the model, or every problem found.
pub(crate) fn build(api: &OpenAPI) -> Result<Model, Vec<SpecError>> {
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
        let rust_name = op
            .extensions
            .get(RUST_NAME_EXTENSION)
            .and_then(|v| v.as_str())
            .map_or_else(|| field_ident_name(&id), str::to_string);
        let request_name = format!("{}Request", type_name(&rust_name));
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
                        &rust_name,
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
            Some("ready") => Kind::Ready,
            Some("cancel") => Kind::Cancel,
            _ if method == "get" => Kind::Read,
            _ => Kind::Write,
        };
        let not_found_on_refusal = op
            .extensions
            .get(NOT_FOUND_ON_REFUSAL_EXTENSION)
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let success = op.extensions.get(SUCCESS_EXTENSION).and_then(|s| {
            Some((
                s.get("field")?.as_str()?.to_string(),
                s.get("value")?.as_i64()?,
            ))
        });
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
                        rust_name,
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
        // The operationId and the path stay searchable, then the spec's own words.
        // (An alias equal to the method's own name is refused by rustdoc.)
        let mut doc_aliases: Vec<String> = [id.as_str(), path]
            .into_iter()
            .filter(|a| *a != rust_name)
            .map(str::to_string)
            .collect();
        let words = op.extensions.get(DOC_ALIASES_EXTENSION);
        for word in words.and_then(|v| v.as_array()).into_iter().flatten() {
            if let Some(word) = word.as_str()
                && word != rust_name
                && !doc_aliases.iter().any(|a| a == word)
            {
                doc_aliases.push(word.to_string());
            }
        }
        self.model.operations.push(Operation {
            id,
            rust_name,
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: op.summary.clone(),
            doc_aliases,
            description: op.description.clone(),
            request: (!request_fields.is_empty()).then_some((request_name, request_fields)),
            returns,
            kind,
            requires_auth,
            success_statuses,
            not_found_on_refusal,
            success,
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
        if !props.contains_key("code") {
            self.err(&at, "a success response must be the i'mport envelope: an object with `code`, `message` and `response` (the generated method returns `response`)");
            return None;
        }
        // An envelope without `response` (i'mport answers only `code` and `message`): the method
        // returns whatever `response` holds, as free-form JSON.
        let Some(response) = props.get("response") else {
            return Some(Ty::Json);
        };
        let response = response.clone().unbox();
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
        // An inline schema may name itself with `x-rust-name`.
        let own_name = s.schema_data.extensions.get(RUST_NAME_EXTENSION);
        let (name, def_pointer) = match (component, own_name.and_then(|v| v.as_str())) {
            (Some(n), _) => (type_name(n), join("#/components/schemas", n)),
            (None, Some(n)) => (n.to_string(), pointer.to_string()),
            (None, None) => (format!("{owner}{}", type_name(field)), pointer.to_string()),
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
                    let named = s.schema_data.extensions.get(ENUM_VARNAMES_EXTENSION);
                    let variants = match named.and_then(|v| v.as_array()) {
                        Some(list) => list
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect(),
                        None => values.iter().map(|v| type_name(v)).collect(),
                    };
                    self.define(
                        &def_pointer,
                        TypeDef::Enum {
                            name: name.clone(),
                            doc,
                            values,
                            variants,
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
        let text = |key| s.schema_data.extensions.get(key).and_then(|v| v.as_str());
        c.at_most = text(AT_MOST_EXTENSION).map(str::to_string);
        c.pattern_text = text(PATTERN_TEXT_EXTENSION).map(str::to_string);
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
