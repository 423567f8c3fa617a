//! The i'mport client generator: OpenAPI 3.0 JSON → strict validation → a small model → Rust tokens.
//!
//! One entry point, [`generate`], used by `cargo xtask codegen` (which formats the tokens into the
//! checked-in `crates/iamport/src/generated.rs` and writes the operations table next to it) and
//! by the `iamport-macros` proc macro (which expands the tokens in place), so the two paths cannot
//! drift apart. This crate depends neither on `proc_macro` nor on a formatter, and can be
//! unit-tested.
//!
//! What the tokens contain: `pub mod types` (one request struct per operation with `new`,
//! `validate()` and an `iamport::runtime::Request` impl; one type per schema; string enums with
//! an `Unknown(String)` catch-all on the response side; `oneOf`/`anyOf` unions), `pub mod
//! operations` (an `OperationSpec` per operation) and `pub mod api` (the `Api` trait, one method
//! per operation), re-exported as `Api`; for the `iamport` crate itself, the same methods as
//! inherent methods of its `Client`. Names come from the spec: `x-rust-name` on every operation
//! (required) names the method, and its request type is that name in PascalCase plus `Request`;
//! `x-rust-name` on an inline schema names its type; `x-enum-varnames` names a string enum's
//! variants. Conventions read from the spec: `format: password` → `iamport::runtime::Secret`; `format: card-number` →
//! `iamport::runtime::CardNumber`; `type: number` → `iamport::runtime::Amount` (exact decimal);
//! `type: integer, format: unix-time` → `iamport::runtime::Timestamp`; `x-iamport-payment:
//! charge|cancel` marks money-moving operations; `x-iamport-not-found-on-refusal` marks where an
//! HTTP 200 refusal means not found; `x-doc-aliases` lists search aliases; `x-iamport-success`
//! names the `response` field that marks success under `code: 0`; `x-at-most` bounds an amount
//! by a sibling one; `x-pattern-text` describes a `pattern` for validation messages.

mod emit;
mod error;
mod lint;
pub mod model;
mod naming;
mod table;

pub use error::{Error, SpecError};
use proc_macro2::TokenStream;

/// What a spec generates.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The validated model (operations and types), for inspection and tests.
    pub model: model::Model,
    /// The Rust items: `pub mod types`, `pub mod operations`, `pub mod api` and
    /// `pub use self::api::Api`.
    pub tokens: TokenStream,
    /// A markdown table of the operations (method, HTTP call, English summary), whose links
    /// point at `crate::Api`.
    pub operations_table: String,
}

/// Where the generated code is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Inside the `iamport` crate (`cargo xtask codegen`), which depends on serde itself.
    IamportCrate,
    /// In a user's crate (`api!`), which may not depend on serde: the derives reach it through
    /// `::iamport::__private::serde`.
    UserCrate,
}

/// Parses and strictly validates a spec (JSON text), then generates its code and docs for
/// `target`; or every problem found, each at its JSON pointer.
pub fn generate(json: &str, target: Target) -> Result<Generated, Error> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(Error::Json)?;
    let problems = lint::lint(&value);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // Parsed again from the text (not from `value`) so that maps keep the spec's order.
    let api: openapiv3::OpenAPI = serde_json::from_str(json).map_err(|e| {
        Error::Invalid(vec![SpecError::new(
            "#",
            format!("not an OpenAPI 3.0 document: {e}"),
        )])
    })?;
    let model = model::build(&api).map_err(Error::Invalid)?;
    Ok(Generated {
        tokens: emit::emit(&model, target),
        operations_table: table::operations_markdown(&model),
        model,
    })
}
