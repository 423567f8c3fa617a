//! Items of `pub mod operations` that walk the spec's operations generically:
//! `for_each_request` (one call of a [`RequestVisitor`] per operation, with its request type)
//! and `SECRET_FIELDS` (the wire names of every secret field, for code that must mask a raw
//! body it holds).
//!
//! [`RequestVisitor`]: https://docs.rs/iamport/latest/iamport/runtime/trait.RequestVisitor.html

use crate::model::{Model, Operation, Ty, TypeDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The request type of `op` (a unit struct when it takes no input).
fn request_type(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", op.request_type())
}

/// Whether values of `ty` are secrets (`format: password` or a card number).
fn is_secret(ty: &Ty) -> bool {
    match ty {
        Ty::Secret | Ty::CardNumber => true,
        Ty::Vec(inner) => is_secret(inner),
        _ => false,
    }
}

/// `for_each_request` and `SECRET_FIELDS`.
pub(super) fn emit_visitor(model: &Model) -> TokenStream {
    let visits = model.operations.iter().map(|op| {
        let request = request_type(op);
        if op.request.is_some() {
            quote!(visitor.visit::<#request>();)
        } else {
            quote!(visitor.visit_without_input::<#request>();)
        }
    });
    let mut secrets: Vec<&str> = model
        .types
        .values()
        .filter_map(|t| match t {
            TypeDef::Struct { fields, .. } => Some(fields),
            _ => None,
        })
        .flatten()
        .filter(|f| is_secret(&f.ty))
        .map(|f| f.wire.as_str())
        .collect();
    secrets.sort_unstable();
    secrets.dedup();
    quote! {
        /// Calls `visitor` once per operation, in spec order, with the operation's request
        /// type: [`RequestVisitor::visit`](::iamport::runtime::RequestVisitor::visit), or
        /// [`visit_without_input`](::iamport::runtime::RequestVisitor::visit_without_input)
        /// for an operation that takes no input.
        pub fn for_each_request<V: ::iamport::runtime::RequestVisitor + ?Sized>(visitor: &mut V) {
            #( #visits )*
        }

        /// The wire names of every secret field of the spec (`format: password` and card
        /// numbers, in requests and responses), sorted: what a raw body must have masked
        /// before it is shown.
        pub static SECRET_FIELDS: &[&str] = &[#( #secrets ),*];
    }
}
