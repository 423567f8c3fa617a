//! `pub mod operations` (one `OperationSpec` per operation) and the `Api` trait.

use super::{doc, ident, rust_type};
use crate::model::{Kind, Location, Model, Operation, Ty};
use crate::naming::{const_name, field_ident_name};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn emit_operations(model: &Model) -> TokenStream {
    let specs = model.operations.iter().map(emit_spec);
    let consts: Vec<_> = model
        .operations
        .iter()
        .map(|op| format_ident!("{}", const_name(&op.id)))
        .collect();
    let methods = model.operations.iter().map(emit_method);
    quote! {
        /// The static description of every operation: method, path, auth, kind, success statuses.
        pub mod operations {
            #( #specs )*

            /// Every operation, in spec order.
            pub static ALL: &[&::iamport::runtime::OperationSpec] = &[#( &#consts ),*];
        }

        /// The spec's operations as methods, on any transport that implements
        /// [`Execute`](::iamport::runtime::Execute) (such as `iamport::Client`).
        ///
        /// Each method validates its request against the spec's rules first (nothing is sent when
        /// that fails), then returns the decoded `response` of i'mport's envelope.
        pub trait Api: ::iamport::runtime::Execute {
            #( #methods )*
        }

        impl<T: ::iamport::runtime::Execute + ?::core::marker::Sized> Api for T {}
    }
}

fn emit_spec(op: &Operation) -> TokenStream {
    let name = format_ident!("{}", const_name(&op.id));
    let id = &op.id;
    let path = &op.path;
    let method = format_ident!("{}", crate::naming::type_name(&op.method.to_lowercase()));
    let kind = format_ident!("{}", format!("{:?}", op.kind));
    let auth = op.requires_auth;
    let statuses = &op.success_statuses;
    let not_found_on_refusal = op.not_found_on_refusal;
    let d = format!(" `{} {}` (`{}`).", op.method, op.path, op.id);
    quote! {
        #[doc = #d]
        pub static #name: ::iamport::runtime::OperationSpec = ::iamport::runtime::OperationSpec {
            operation_id: #id,
            method: ::iamport::runtime::Method::#method,
            path: #path,
            requires_auth: #auth,
            kind: ::iamport::runtime::OperationKind::#kind,
            success_statuses: &[#( #statuses ),*],
            not_found_on_refusal: #not_found_on_refusal,
        };
    }
}

fn method_doc(op: &Operation) -> String {
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
    parts.push(format!(
        "`{} {}` (operationId `{}`).",
        op.method, op.path, op.id
    ));
    match op.kind {
        Kind::Charge => parts.push(
            "Charges a card: only a `paid` payment is returned as `Ok`; a decline, an unknown outcome \
             (the request may have reached the server) and other statuses are errors. Never retried."
                .into(),
        ),
        Kind::Cancel => parts.push("Cancels a payment. Never retried.".into()),
        Kind::Read => parts.push("A read: retried on transport errors and 5xx.".into()),
        Kind::Write => parts.push("A write: never retried.".into()),
    }
    parts.join("\n\n")
}

fn emit_method(op: &Operation) -> TokenStream {
    let method = ident(&field_ident_name(&op.id));
    let spec = format_ident!("{}", const_name(&op.id));
    let returns = prefix_types(&op.returns);
    let mut docs = doc(Some(&method_doc(op)));
    docs.extend(doc_aliases(op));
    let Some((request_name, fields)) = &op.request else {
        let path = &op.path;
        return quote! {
            #docs
            fn #method(&self) -> ::core::result::Result<#returns, ::iamport::Error> {
                ::iamport::runtime::Execute::execute(self, &operations::#spec, ::iamport::runtime::HttpRequest {
                    path: ::std::string::String::from(#path),
                    ..::core::default::Default::default()
                })
            }
        };
    };
    let request_ty = format_ident!("{}", request_name);
    // The path, with each `{param}` percent-encoded.
    let mut template = String::new();
    let mut args = Vec::new();
    for segment in op.path.split('/').skip(1) {
        template.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                template.push_str("{}");
                let f = fields
                    .iter()
                    .find(|f| f.location == Location::Path && f.wire == param);
                let fname = ident(
                    &f.map(|f| f.name.clone())
                        .unwrap_or_else(|| field_ident_name(param)),
                );
                args.push(quote!(::iamport::runtime::encode_path_segment(&::std::string::ToString::to_string(&request.#fname))));
            }
            None => template.push_str(segment),
        }
    }
    let path = if args.is_empty() {
        quote!(::std::string::String::from(#template))
    } else {
        quote!(::std::format!(#template, #( #args ),*))
    };
    let query_pushes: Vec<_> = fields
        .iter()
        .filter(|f| f.location == Location::Query)
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire;
            let push = match &f.ty {
                Ty::Vec(_) => quote! {
                    for item in value.iter() {
                        query.push((#wire, ::std::string::ToString::to_string(item)));
                    }
                },
                _ => quote!(query.push((#wire, ::std::string::ToString::to_string(value)));),
            };
            if f.optional() {
                quote! {
                    if let ::core::option::Option::Some(value) = &request.#fname {
                        #push
                    }
                }
            } else {
                quote! {
                    {
                        let value = &request.#fname;
                        #push
                    }
                }
            }
        })
        .collect();
    let query = if query_pushes.is_empty() {
        quote!(let query = ::std::vec::Vec::new();)
    } else {
        quote! {
            let mut query: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
            #( #query_pushes )*
        }
    };
    let has_body = fields.iter().any(|f| f.location == Location::Body);
    let body = if has_body {
        quote!(::core::option::Option::Some(::iamport::runtime::json_body(
            request
        )?))
    } else {
        quote!(::core::option::Option::None)
    };
    let merchant_uid = match fields
        .iter()
        .find(|f| f.wire == "merchant_uid" && f.ty == Ty::String)
    {
        Some(f) if f.optional() => quote!(::core::clone::Clone::clone(&request.merchant_uid)),
        Some(_) => quote!(::core::option::Option::Some(::core::clone::Clone::clone(
            &request.merchant_uid
        ))),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        #docs
        fn #method(&self, request: &types::#request_ty) -> ::core::result::Result<#returns, ::iamport::Error> {
            request.validate()?;
            #query
            let http = ::iamport::runtime::HttpRequest {
                path: #path,
                query,
                body: #body,
                merchant_uid: #merchant_uid,
            };
            ::iamport::runtime::Execute::execute(self, &operations::#spec, http)
        }
    }
}

/// `#[doc(alias = "...")]` for each of the operation's `x-doc-aliases`.
pub(super) fn doc_aliases(op: &Operation) -> TokenStream {
    let aliases = &op.doc_aliases;
    quote! { #( #[doc(alias = #aliases)] )* }
}

/// The Rust type of a method's return value: named types are referenced from outside
/// `mod types`, so they get the `types::` prefix.
fn prefix_types(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Named(name) => {
            let name = format_ident!("{}", name);
            quote!(types::#name)
        }
        Ty::Vec(inner) => {
            let inner = prefix_types(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        _ => rust_type(ty),
    }
}
