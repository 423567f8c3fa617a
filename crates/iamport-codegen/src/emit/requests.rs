//! What makes a struct a request: `new(required fields)`, and `impl Request` (its operation, its
//! response type and how it goes on the wire).

use super::defaults::derives_default;
use super::syntax::{ident, rust_type};
use crate::model::{Field, Location, Model, Operation, Ty};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The operation whose request struct is `name`.
pub(super) fn operation_of<'m>(model: &'m Model, name: &str) -> Option<&'m Operation> {
    model
        .operations
        .iter()
        .find(|op| op.request.as_ref().is_some_and(|(n, _)| n == name))
}

/// `pub fn new(required fields) -> Self`: the others start as `None`.
pub(super) fn emit_new(model: &Model, name: &str, fields: &[Field]) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| !f.optional()).collect();
    let params = required.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = match &f.ty {
            Ty::String | Ty::Secret | Ty::CardNumber | Ty::Amount | Ty::Timestamp => {
                let ty = rust_type(&f.ty);
                quote!(impl Into<#ty>)
            }
            other => rust_type(other),
        };
        quote!(#fname: #ty)
    });
    let inits = required.iter().map(|f| {
        let fname = ident(&f.name);
        match &f.ty {
            Ty::String | Ty::Secret | Ty::CardNumber | Ty::Amount | Ty::Timestamp => {
                quote!(#fname: #fname.into())
            }
            _ => quote!(#fname),
        }
    });
    let optional: Vec<_> = fields
        .iter()
        .filter(|f| f.optional())
        .map(|f| ident(&f.name))
        .collect();
    let rest = if optional.is_empty() {
        quote!()
    } else if derives_default(model, name, fields) {
        quote!(..Default::default())
    } else {
        quote!(#( #optional: None, )*)
    };
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let d = match (required.is_empty(), optional.is_empty()) {
        (true, _) => format!(" An empty `{name}`: every field is optional."),
        (false, true) => format!(" A `{name}`."),
        (false, false) => format!(
            " A `{name}` with its required fields; the optional ones are `None`: set them by \
             name, or with `..{name}::new(..)` at the end of a struct literal."
        ),
    };
    quote! {
        #[doc = #d]
        #[must_use]
        #allow
        pub fn new(#( #params ),*) -> Self {
            Self { #( #inits, )* #rest }
        }
    }
}

/// `impl Request for XRequest`.
pub(super) fn emit_request_impl(op: &Operation) -> TokenStream {
    let Some((name, fields)) = &op.request else {
        return TokenStream::new();
    };
    let ty = format_ident!("{}", name);
    let response = rust_type(&op.returns);
    let spec = super::operations::spec(op);
    let to_http = to_http(op, fields);
    quote! {
        impl Request for #ty {
            type Response = #response;
            const OPERATION: &'static OperationSpec = &#spec;

            #to_http
        }
    }
}

/// A request type for an operation without inputs.
pub(super) fn emit_empty_request(op: &Operation) -> TokenStream {
    let ty = format_ident!("{}", op.request_type());
    let response = rust_type(&op.returns);
    let spec = super::operations::spec(op);
    let aliases = super::operations::doc_aliases(op);
    let d = format!(
        " The input of `{}` ({} `{}`): it takes none.",
        op.rust_name, op.method, op.path
    );
    let path = &op.path;
    quote! {
        #[doc = #d]
        #aliases
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #ty;

        impl Validate for #ty {}

        impl Request for #ty {
            type Response = #response;
            const OPERATION: &'static OperationSpec = &#spec;

            fn to_http(&self) -> Result<HttpRequest, Error> {
                Ok(HttpRequest::new(#path))
            }
        }
    }
}

/// `fn to_http`: the path with its parameters percent-encoded, the query pairs in order (arrays
/// repeat their name), the `merchant_uid` an unknown outcome reports, and the JSON body.
fn to_http(op: &Operation, fields: &[Field]) -> TokenStream {
    // Each path parameter percent-encoded into a local named after it, then `format!` with
    // inline names: `format!("/subscribe/customers/{customer_uid}")`.
    let mut template = String::new();
    let mut segments = Vec::new();
    for segment in op.path.split('/').skip(1) {
        template.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => {
                let field = fields
                    .iter()
                    .find(|f| f.location == Location::Path && f.wire == param);
                let name = field
                    .map(|f| f.name.clone())
                    .unwrap_or_else(|| crate::naming::field_ident_name(param));
                let local = format_ident!("{}", name.trim_start_matches("r#"));
                let local = if crate::naming::is_keyword(&local.to_string()) {
                    format_ident!("{}_segment", local)
                } else {
                    local
                };
                template.push_str(&format!("{{{local}}}"));
                let fname = ident(&name);
                let encoded = match field.map(|f| &f.ty) {
                    Some(Ty::String) => quote!(encode_path_segment(&self.#fname)),
                    Some(Ty::Named(_)) => quote!(encode_path_segment(self.#fname.as_str())),
                    _ => quote!(encode_path_segment(&self.#fname.to_string())),
                };
                segments.push(quote!(let #local = #encoded;));
            }
            None => template.push_str(segment),
        }
    }
    let path = if segments.is_empty() {
        quote!(#template)
    } else {
        segments.push(quote!(let path = format!(#template);));
        quote!(path)
    };
    let query = fields
        .iter()
        .filter(|f| f.location == Location::Query)
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire;
            match (&f.ty, f.optional()) {
                // A secret in the query (`pg_api_key`): sent, and masked in `Debug`.
                (Ty::Secret, true) => quote!(.query_secret(#wire, self.#fname.as_ref())),
                (Ty::Secret, false) => quote!(.query_secret(#wire, Some(&self.#fname))),
                (Ty::Vec(_), true) => quote!(.query_each(#wire, self.#fname.iter().flatten())),
                (Ty::Vec(_), false) | (_, true) => quote!(.query_each(#wire, &self.#fname)),
                (_, false) => quote!(.query(#wire, &self.#fname)),
            }
        });
    let merchant_uid = fields
        .iter()
        .find(|f| f.wire == "merchant_uid" && f.ty == Ty::String)
        .map(|f| match f.optional() {
            true => quote!(.merchant_uid(self.merchant_uid.as_deref())),
            false => quote!(.merchant_uid(Some(&self.merchant_uid))),
        });
    let request = quote!(HttpRequest::new(#path) #( #query )* #merchant_uid);
    let request = if fields.iter().any(|f| f.location == Location::Body) {
        quote!(#request.json(self))
    } else {
        quote!(Ok(#request))
    };
    quote! {
        fn to_http(&self) -> Result<HttpRequest, Error> {
            #( #segments )*
            #request
        }
    }
}
