//! `validate()` on every request-side struct, from the spec's constraints: one call of
//! `iamport::runtime::validation` per rule, values named after their field.

use super::syntax::ident;
use crate::model::{Constraints, Field, Model, Ty, TypeDef};
use crate::naming::const_name;
use indexmap::IndexMap;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// The distinct `pattern`s, each emitted once as a lazily compiled `static` named after the
/// first field that uses it.
#[derive(Default)]
pub(super) struct Patterns(IndexMap<String, Ident>);

impl Patterns {
    fn get(&mut self, field: &str, pattern: &str) -> Ident {
        if let Some(name) = self.0.get(pattern) {
            return name.clone();
        }
        let base = const_name(field);
        let mut name = format_ident!("{}", base);
        let mut n = 2usize;
        while self.0.values().any(|v| *v == name) {
            name = format_ident!("{}_{}", base, n);
            n += 1;
        }
        self.0.insert(pattern.to_string(), name.clone());
        name
    }

    pub(super) fn emit(&self) -> TokenStream {
        let statics = self.0.iter().map(|(p, name)| {
            let d = format!(
                " The spec's pattern for `{}`.",
                name.to_string().to_lowercase()
            );
            quote! {
                #[doc = #d]
                static #name: Pattern = Pattern::new(#p);
            }
        });
        quote!( #( #statics )* )
    }
}

/// `impl Validate for #name`: one check per rule (none when the spec sets no rule).
pub(super) fn emit_validate(
    model: &Model,
    name: &str,
    fields: &[Field],
    patterns: &mut Patterns,
) -> TokenStream {
    let ty = format_ident!("{}", name);
    let checks: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let wire = &f.wire;
            if f.optional() {
                let body = checks(
                    model,
                    &f.ty,
                    &quote!(#wire),
                    &Value {
                        place: quote!(#fname),
                        reference: quote!(#fname),
                    },
                    &f.constraints,
                    false,
                    patterns,
                );
                if body.is_empty() {
                    return body;
                }
                quote! {
                    if let Some(#fname) = &self.#fname {
                        #body
                    }
                }
            } else {
                checks(
                    model,
                    &f.ty,
                    &quote!(#wire),
                    &Value {
                        place: quote!(self.#fname),
                        reference: quote!(&self.#fname),
                    },
                    &f.constraints,
                    true,
                    patterns,
                )
            }
        })
        .filter(|check| !check.is_empty())
        .collect();
    if checks.is_empty() {
        return quote!(impl Validate for #ty {});
    }
    quote! {
        impl Validate for #ty {
            fn validate(&self) -> Result<(), ValidationError> {
                #( #checks )*
                Ok(())
            }
        }
    }
}

/// A checked value, as a place (`self.name`, or a binding) for method calls and as a reference
/// (`&self.name`, or the binding) for arguments.
struct Value {
    place: TokenStream,
    reference: TokenStream,
}

/// Checks of one value; `field` is an `&str` expression naming it.
fn checks(
    model: &Model,
    ty: &Ty,
    field: &TokenStream,
    value: &Value,
    c: &Constraints,
    required: bool,
    patterns: &mut Patterns,
) -> TokenStream {
    let Value { place, reference } = value;
    let text = match ty {
        Ty::String => Some(quote!(#reference)),
        Ty::Secret => Some(quote!(#place.expose())),
        _ => None,
    };
    let mut out = TokenStream::new();
    if let Some(text) = text {
        if required {
            out.extend(quote!(validation::non_empty(#field, #text)?;));
        }
        if let Some(max) = c.max_length.map(Literal::usize_unsuffixed) {
            out.extend(quote!(validation::max_length(#field, #text, #max)?;));
        }
        if let Some(min) = c.min_length.map(Literal::usize_unsuffixed) {
            out.extend(quote!(validation::min_length(#field, #text, #min)?;));
        }
        if let Some(p) = &c.pattern {
            let field_name = field.to_string().trim_matches('"').to_string();
            let name = patterns.get(&field_name, p);
            out.extend(quote!(validation::pattern(#field, #text, &#name)?;));
        }
        return out;
    }
    match ty {
        Ty::CardNumber => out.extend(quote!(validation::card_number(#field, #reference)?;)),
        Ty::Amount => {
            if let Some(min) = c.minimum.map(Literal::i64_unsuffixed) {
                let exclusive = c.exclusive_minimum;
                out.extend(
                    quote!(validation::amount_minimum(#field, #reference, #min, #exclusive)?;),
                );
            }
        }
        Ty::Int | Ty::Timestamp => {
            let num = match (ty, reference.to_string().starts_with('&')) {
                (Ty::Int, true) => quote!(#place),
                (Ty::Int, false) => quote!(*#place),
                _ => quote!(#place.unix_seconds()),
            };
            if let Some(min) = c.minimum.map(Literal::i64_unsuffixed) {
                out.extend(quote!(validation::minimum(#field, #num, #min)?;));
            }
            if let Some(max) = c.maximum.map(Literal::i64_unsuffixed) {
                out.extend(quote!(validation::maximum(#field, #num, #max)?;));
            }
        }
        Ty::Vec(inner) => {
            if let Some(min) = c.min_items.map(Literal::usize_unsuffixed) {
                out.extend(quote!(validation::min_items(#field, #place.len(), #min)?;));
            }
            let item_constraints = Constraints {
                min_items: None,
                ..c.clone()
            };
            // `"schedules"` → `&format!("schedules[{index}]")`.
            let fmt = format!("{}[{{index}}]", field.to_string().trim_matches('"'));
            let item_field = quote!(&format!(#fmt));
            let inner_checks = checks(
                model,
                inner,
                &item_field,
                &Value {
                    place: quote!(item),
                    reference: quote!(item),
                },
                &item_constraints,
                false,
                patterns,
            );
            if !inner_checks.is_empty() {
                out.extend(quote! {
                    for (index, item) in #place.iter().enumerate() {
                        #inner_checks
                    }
                });
            }
        }
        Ty::Named(name) => match model.types.get(name) {
            Some(TypeDef::Struct { .. }) => {
                out.extend(quote!(#place.validate().map_err(|error| error.within(#field))?;));
            }
            Some(TypeDef::Enum { .. }) if model.sides.get(name).is_some_and(|s| s.response) => {
                let e = format_ident!("{}", name);
                out.extend(
                    quote!(validation::known_variant(#field, #place.is_known(), #e::VALUES)?;),
                );
            }
            _ => {}
        },
        _ => {}
    }
    out
}
