//! The model's types: a [`Model`] of [`Operation`]s and the [`TypeDef`]s they use.

use indexmap::IndexMap;

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
    /// `x-at-most`: the wire name of a sibling amount this one may not exceed.
    pub at_most: Option<String>,
    /// `x-pattern-text`: the `pattern` described for people (used in validation messages).
    pub pattern_text: Option<String>,
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
        /// The Rust variant of each value (`x-enum-varnames`, else the value in PascalCase).
        variants: Vec<String>,
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
    /// `x-iamport-payment: ready`: issues a payment the buyer completes later (a virtual account,
    /// a convenience-store slip); its success status is `ready`.
    Ready,
    /// `x-iamport-payment: cancel`.
    Cancel,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`.
    pub id: String,
    /// `x-rust-name`: the method name (`snake_case`).
    pub rust_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// `summary`: an English sentence, then ` — ` and upstream's Korean text (see
    /// [`Operation::summary_parts`]).
    pub summary: Option<String>,
    /// Search aliases of the method and its request type: the operationId, the path and the
    /// words of `x-doc-aliases`.
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
    /// `x-iamport-success`: the field of `response` and its value that mark success when
    /// `code: 0` alone does not.
    pub success: Option<(String, i64)>,
    /// JSON pointer of the operation, for messages.
    pub pointer: String,
}

impl Operation {
    /// The request type's name: the method name in PascalCase plus `Request`.
    pub fn request_type(&self) -> String {
        format!("{}Request", crate::naming::type_name(&self.rust_name))
    }

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
