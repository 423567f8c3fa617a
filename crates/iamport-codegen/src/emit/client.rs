//! The operations as inherent methods of `iamport::Client` (only in the `iamport` crate): a call
//! needs no trait in scope. Each is one line over the client's own `send`.

use super::operations::{doc_aliases, method_doc};
use super::syntax::{doc, ident, rust_type};
use crate::model::{Model, Operation};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `impl Client { pub fn charge_card(&self, request: &ChargeCardRequest) -> Result<Payment> ... }`.
pub(super) fn emit_client_methods(model: &Model) -> TokenStream {
    let methods = model.operations.iter().map(emit_method);
    quote! {
        /// The spec's operations as methods of [`Client`](::iamport::Client).
        mod client {
            use super::types::*;
            use ::iamport::{Client, Result};

            impl Client {
                #( #methods )*
            }
        }
    }
}

fn emit_method(op: &Operation) -> TokenStream {
    let method = ident(&op.rust_name);
    let returns = rust_type(&op.returns);
    let docs = doc(Some(&method_doc(op)));
    let aliases = doc_aliases(op);
    let request = format_ident!("{}", op.request_type());
    match &op.request {
        Some(_) => quote! {
            #docs
            #aliases
            pub fn #method(&self, request: &#request) -> Result<#returns> {
                self.send(request)
            }
        },
        None => quote! {
            #docs
            #aliases
            pub fn #method(&self) -> Result<#returns> {
                self.send(&#request)
            }
        },
    }
}
