//! `pub mod operations` (one `OperationSpec` per operation) and `pub mod api` (the `Api` trait:
//! one method per operation, each one line over `Execute::send`).

use super::syntax::{doc, ident, rust_type};
use crate::model::{Kind, Model, Operation};
use crate::naming::type_name;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn emit_operations(model: &Model) -> TokenStream {
    let requests = model
        .operations
        .iter()
        .map(|op| format_ident!("{}", op.request_type()));
    let visitor = super::visitor::emit_visitor(model);
    let arms = model.operations.iter().map(|op| {
        let id = &op.id;
        let request = format_ident!("{}", op.request_type());
        match op.request {
            Some(_) => quote!(#id => decode::<#request>(input).and_then(build),),
            None => quote!(#id => build(#request),),
        }
    });
    quote! {
        /// Every operation of the spec; each request type holds its own as
        /// [`Request::OPERATION`](::iamport::runtime::Request::OPERATION).
        pub mod operations {
            use super::types::*;
            use ::iamport::runtime::{OperationSpec, Request};

            /// Every operation, in spec order.
            pub static ALL: &[&OperationSpec] = &[#( #requests::OPERATION ),*];

            #visitor
            /// Builds the request of any operation from its `operationId` and its input as JSON
            /// (the request type's fields by wire name; ignored by an operation that takes none):
            /// decoded into the generated request type, validated, then encoded, exactly as a
            /// typed call would send it. `None` for an `operationId` the spec does not have.
            ///
            /// For tools and tests that go through every operation (one wire snapshot each).
            pub fn http_request(
                operation_id: &str,
                input: &str,
            ) -> Option<Result<::iamport::runtime::HttpRequest, String>> {
                fn build<R: Request>(request: R) -> Result<::iamport::runtime::HttpRequest, String> {
                    ::iamport::runtime::Validate::validate(&request).map_err(|e| e.to_string())?;
                    request.to_http().map_err(|e| e.to_string())
                }
                fn decode<R: ::iamport::__private::serde::de::DeserializeOwned>(input: &str) -> Result<R, String> {
                    ::iamport::__private::serde_json::from_str(input).map_err(|e| e.to_string())
                }
                let _ = input;
                Some(match operation_id {
                    #( #arms )*
                    _ => return None,
                })
            }
        }
    }
}

/// The static description of `op`: method, path, auth and kind.
pub(super) fn spec(op: &Operation) -> TokenStream {
    let id = &op.id;
    let path = &op.path;
    let method = format_ident!("{}", type_name(&op.method.to_lowercase()));
    let kind = format_ident!("{}", format!("{:?}", op.kind));
    let auth = op.requires_auth;
    let not_found_on_refusal = op.not_found_on_refusal;
    let success = match &op.success {
        Some((field, value)) => {
            let value = proc_macro2::Literal::i64_unsuffixed(*value);
            quote!(Some(::iamport::runtime::SuccessField { field: #field, value: #value }))
        }
        None => quote!(None),
    };
    quote! {
        OperationSpec {
            operation_id: #id,
            method: Method::#method,
            path: #path,
            requires_auth: #auth,
            kind: OperationKind::#kind,
            not_found_on_refusal: #not_found_on_refusal,
            success: #success,
        }
    }
}

pub(super) fn emit_api(model: &Model) -> TokenStream {
    let methods = model.operations.iter().map(emit_method);
    quote! {
        /// The spec's operations as methods.
        pub mod api {
            use super::types::*;
            use ::iamport::Result;
            use ::iamport::runtime::Execute;

            /// The spec's operations as methods, on any transport that implements
            /// [`Execute`] (such as `iamport::Client`).
            ///
            /// Each method is `self.send(request)`: it validates the request against the spec's
            /// rules first (nothing is sent when that fails), then returns the decoded `response`
            /// of i'mport's envelope.
            pub trait Api: Execute {
                #( #methods )*
            }

            impl<T: Execute + ?Sized> Api for T {}
        }
    }
}

pub(super) fn method_doc(op: &Operation) -> String {
    let mut parts = Vec::new();
    let (english, upstream) = op.summary_parts();
    if !english.is_empty() {
        parts.push(english.to_string());
    }
    if !upstream.is_empty() {
        parts.push(format!("Upstream: {upstream}"));
    }
    if let Some(d) = &op.description {
        parts.push(d.trim().to_string());
    }
    let kind = match op.kind {
        Kind::Charge => {
            "Charges a card: only a `paid` payment is returned as `Ok`.\nA decline, an unknown \
             outcome (the request may have reached the server) and other statuses are errors. \
             Never retried."
        }
        Kind::Ready => {
            "Issues a payment the buyer completes later: a `ready` (or already `paid`) payment is \
             `Ok`; a `failed` one is a decline; a lost answer is an unknown outcome. Never retried."
        }
        Kind::Cancel => "Cancels a payment. Never retried.",
        Kind::Read => "A read: retried on transport errors and 5xx.",
        Kind::Write => "A write: never retried.",
    };
    parts.push(format!(
        "`{} {}` (operationId `{}`). {kind}",
        op.method, op.path, op.id
    ));
    parts.join("\n\n")
}

fn emit_method(op: &Operation) -> TokenStream {
    let method = ident(&op.rust_name);
    let returns = rust_type(&op.returns);
    let docs = doc(Some(&method_doc(op)));
    let aliases = doc_aliases(op);
    match &op.request {
        Some((request, _)) => {
            let request = format_ident!("{}", request);
            quote! {
                #docs
                #aliases
                fn #method(&self, request: &#request) -> Result<#returns> {
                    self.send(request)
                }
            }
        }
        None => {
            let request = format_ident!("{}", op.request_type());
            quote! {
                #docs
                #aliases
                fn #method(&self) -> Result<#returns> {
                    self.send(&#request)
                }
            }
        }
    }
}

/// `#[doc(alias("...", ...))]` with the operation's aliases (its operationId, its path and the
/// words of `x-doc-aliases`), in as many attributes as keep each on one line.
pub(super) fn doc_aliases(op: &Operation) -> TokenStream {
    // `#[doc(alias(` and `))]` at a method's indentation, within prettyplease's 89 columns.
    const ROOM: usize = 89 - 8 - "#[doc(alias())]".len();
    let mut groups: Vec<Vec<&String>> = Vec::new();
    let mut used = ROOM;
    for alias in &op.doc_aliases {
        let width = alias.len() + "\"\", ".len();
        if used + width > ROOM {
            groups.push(Vec::new());
            used = 0;
        }
        used += width;
        groups.last_mut().expect("a group was pushed").push(alias);
    }
    quote! { #( #[doc(alias( #( #groups ),* ))] )* }
}
