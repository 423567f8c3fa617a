//! `validate()` on every request-side struct, from the spec's constraints.

use crate::model::{Constraints, Field, Model, Ty, TypeDef};
use indexmap::IndexSet;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The distinct `pattern`s, emitted once each as a lazily compiled `static`.
#[derive(Default)]
pub(super) struct Patterns(IndexSet<String>);

impl Patterns {
    fn get(&mut self, pattern: &str) -> proc_macro2::Ident {
        let (index, _) = self.0.insert_full(pattern.to_string());
        format_ident!("PATTERN_{}", index)
    }

    pub(super) fn emit(&self) -> TokenStream {
        let statics = self.0.iter().enumerate().map(|(i, p)| {
            let name = format_ident!("PATTERN_{}", i);
            quote! {
                static #name: ::iamport::runtime::Pattern = ::iamport::runtime::Pattern::new(#p);
            }
        });
        quote!( #( #statics )* )
    }
}

pub(super) fn emit_validate(
    model: &Model,
    name: &str,
    fields: &[Field],
    patterns: &mut Patterns,
) -> TokenStream {
    let ident = format_ident!("{}", name);
    let checks = fields.iter().map(|f| {
        let fname = super::ident(&f.name);
        let wire = &f.wire;
        let body = checks(
            model,
            &f.ty,
            &quote!(#wire),
            &f.constraints,
            !f.optional(),
            patterns,
        );
        if body.is_empty() {
            quote!()
        } else if f.optional() {
            quote! {
                if let ::core::option::Option::Some(value) = &self.#fname {
                    #body
                }
            }
        } else {
            quote! {
                {
                    let value = &self.#fname;
                    #body
                }
            }
        }
    });
    quote! {
        impl #ident {
            /// Checks the spec's rules (required values, lengths, patterns, ranges, enum values)
            /// before anything is sent. The error names the field and the rule, never the value.
            pub fn validate(&self) -> ::core::result::Result<(), ::iamport::runtime::ValidationError> {
                #( #checks )*
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// Checks of one value (`value: &T` in scope) named by `field` (an `&str` expression).
fn checks(
    model: &Model,
    ty: &Ty,
    field: &TokenStream,
    c: &Constraints,
    required: bool,
    patterns: &mut Patterns,
) -> TokenStream {
    let v = quote!(::iamport::runtime::validation);
    let text = match ty {
        Ty::String => Some(quote!(value.as_str())),
        Ty::Secret => Some(quote!(value.expose())),
        _ => None,
    };
    let mut out = TokenStream::new();
    if let Some(text) = text {
        if required {
            out.extend(quote!(#v::non_empty(#field, #text)?;));
        }
        if let Some(max) = c.max_length {
            out.extend(quote!(#v::max_length(#field, #text, #max)?;));
        }
        if let Some(min) = c.min_length {
            out.extend(quote!(#v::min_length(#field, #text, #min)?;));
        }
        if let Some(p) = &c.pattern {
            let name = patterns.get(p);
            out.extend(quote!(#v::pattern(#field, #text, &#name)?;));
        }
        return out;
    }
    match ty {
        Ty::CardNumber => out.extend(quote!(#v::card_number(#field, value)?;)),
        Ty::Amount => {
            if let Some(min) = c.minimum {
                let exclusive = c.exclusive_minimum;
                out.extend(quote!(#v::amount_minimum(#field, value, #min, #exclusive)?;));
            }
        }
        Ty::Int | Ty::Timestamp => {
            let num = if *ty == Ty::Int {
                quote!(*value)
            } else {
                quote!(value.unix_seconds())
            };
            if let Some(min) = c.minimum {
                out.extend(quote!(#v::minimum(#field, #num, #min)?;));
            }
            if let Some(max) = c.maximum {
                out.extend(quote!(#v::maximum(#field, #num, #max)?;));
            }
        }
        Ty::Vec(inner) => {
            if let Some(min) = c.min_items {
                out.extend(quote!(#v::min_items(#field, value.len(), #min)?;));
            }
            let item_field = quote!(&::std::format!("{}[{}]", #field, index));
            let item_constraints = Constraints {
                min_items: None,
                ..c.clone()
            };
            let inner_checks = checks(
                model,
                inner,
                &item_field,
                &item_constraints,
                false,
                patterns,
            );
            if !inner_checks.is_empty() {
                out.extend(quote! {
                    for (index, value) in value.iter().enumerate() {
                        #inner_checks
                    }
                });
            }
        }
        Ty::Named(name) => match model.types.get(name) {
            Some(TypeDef::Struct { .. }) => {
                out.extend(quote!(value.validate().map_err(|error| error.within(#field))?;));
            }
            Some(TypeDef::Enum { .. }) if model.sides.get(name).is_some_and(|s| s.response) => {
                let e = format_ident!("{}", name);
                out.extend(quote!(#v::known_variant(#field, value.is_known(), #e::VALUES)?;));
            }
            _ => {}
        },
        _ => {}
    }
    out
}
