//! `validate()` on every request-side struct, from the spec's constraints: one call of
//! `iamport::runtime::validation` per rule, values named after their field.

use super::syntax::ident;
use crate::model::{Constraints, Field, Model, Ty, TypeDef};
use crate::naming::const_name;
use indexmap::IndexMap;
use proc_macro2::{Ident, Literal, TokenStream, TokenTree};
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

/// `impl Validate for #name`: one check per rule. Each check is one call on the field itself,
/// optional or not: an absent optional field passes. A request type without rules gets an empty
/// impl (`Request` needs one); another type without rules none (nothing checks it).
pub(super) fn emit_validate(
    model: &Model,
    name: &str,
    fields: &[Field],
    request: bool,
    patterns: &mut Patterns,
) -> TokenStream {
    let ty = format_ident!("{}", name);
    let checks = checks(model, fields, patterns, 0);
    if checks.is_empty() {
        return match request {
            true => quote!(impl Validate for #ty {}),
            false => TokenStream::new(),
        };
    }
    // The last check's result is the function's: `...; max_length("pg", &self.pg, 80)`.
    let body = match as_tail(&checks) {
        Some(body) => body,
        None => quote!(#checks Ok(())),
    };
    quote! {
        impl Validate for #ty {
            fn validate(&self) -> Result<(), ValidationError> {
                #body
            }
        }
    }
}

/// The checks of a struct's fields, as statements; `depth` counts the nested structs looked into
/// (a recursive type ends the look).
fn checks(model: &Model, fields: &[Field], patterns: &mut Patterns, depth: usize) -> TokenStream {
    fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let field = &f.wire;
            let value = quote!(&self.#fname);
            let mut out = TokenStream::new();
            if !f.optional() && matches!(f.ty, Ty::String | Ty::Secret) {
                out.extend(quote!(non_empty(#field, #value)?;));
            }
            out.extend(rules(
                &f.ty,
                &quote!(#field),
                &value,
                &f.constraints,
                patterns,
            ));
            if let Ty::Vec(inner) = &f.ty {
                out.extend(items(model, inner, f, patterns, depth));
            }
            if let Ty::Named(type_name) = &f.ty {
                out.extend(named(model, type_name, f, depth));
            }
            if let Some(other) = f.constraints.at_most.as_ref()
                && let Some(o) = fields.iter().find(|o| &o.wire == other)
            {
                let other_ident = ident(&o.name);
                out.extend(quote!(
                    ::iamport::runtime::validation::amount_at_most(#field, #value, #other, &self.#other_ident)?;
                ));
            }
            out
        })
        .collect()
}

/// Whether the struct `name` has any rule (so that a parent checks it).
fn has_rules(model: &Model, name: &str, depth: usize) -> bool {
    match model.types.get(name) {
        Some(TypeDef::Struct { fields, .. }) if depth < 8 => {
            !checks(model, fields, &mut Patterns::default(), depth + 1).is_empty()
        }
        _ => false,
    }
}

/// `body` with its last `?;` dropped, when it ends with a call `...?;` (not with a loop).
fn as_tail(body: &TokenStream) -> Option<TokenStream> {
    let tokens: Vec<TokenTree> = body.clone().into_iter().collect();
    match tokens.as_slice() {
        [rest @ .., TokenTree::Punct(q), TokenTree::Punct(semi)]
            if q.as_char() == '?' && semi.as_char() == ';' =>
        {
            Some(rest.iter().cloned().collect())
        }
        _ => None,
    }
}

/// The spec's rules on one value (`field` names it in errors; `value` is a reference to it).
fn rules(
    ty: &Ty,
    field: &TokenStream,
    value: &TokenStream,
    c: &Constraints,
    patterns: &mut Patterns,
) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(max) = c.max_length.map(Literal::usize_unsuffixed) {
        out.extend(quote!(max_length(#field, #value, #max)?;));
    }
    if let Some(min) = c.min_length.map(Literal::usize_unsuffixed) {
        out.extend(quote!(min_length(#field, #value, #min)?;));
    }
    if let Some(p) = &c.pattern {
        let field_name = field.to_string().trim_matches('"').to_string();
        let name = patterns.get(&field_name, p);
        match &c.pattern_text {
            // Fully qualified: `mod types` imports only the rules of the plain list.
            Some(text) => out.extend(quote!(
                ::iamport::runtime::validation::pattern_text(#field, #value, &#name, #text)?;
            )),
            None => out.extend(quote!(pattern(#field, #value, &#name)?;)),
        }
    }
    match ty {
        Ty::CardNumber => out.extend(quote!(card_number(#field, #value)?;)),
        Ty::Amount => {
            if let Some(min) = c.minimum.map(Literal::i64_unsuffixed) {
                let exclusive = c.exclusive_minimum;
                out.extend(quote!(amount_minimum(#field, #value, #min, #exclusive)?;));
            }
        }
        Ty::Int | Ty::Timestamp => {
            if let Some(min) = c.minimum.map(Literal::i64_unsuffixed) {
                out.extend(quote!(minimum(#field, #value, #min)?;));
            }
            if let Some(max) = c.maximum.map(Literal::i64_unsuffixed) {
                out.extend(quote!(maximum(#field, #value, #max)?;));
            }
        }
        Ty::Vec(_) => {
            if let Some(min) = c.min_items.map(Literal::usize_unsuffixed) {
                out.extend(quote!(min_items(#field, #value, #min)?;));
            }
        }
        _ => {}
    }
    out
}

/// The rules on a list's items: each item's own `validate()` for objects, else a loop over the
/// items with the field's item rules, each named `field[index]`.
fn items(
    model: &Model,
    inner: &Ty,
    f: &Field,
    patterns: &mut Patterns,
    depth: usize,
) -> TokenStream {
    let fname = ident(&f.name);
    let field = &f.wire;
    if let Ty::Named(name) = inner
        && matches!(model.types.get(name), Some(TypeDef::Struct { .. }))
    {
        return match has_rules(model, name, depth) {
            true => quote!(each(#field, &self.#fname)?;),
            false => TokenStream::new(),
        };
    }
    let item_constraints = Constraints {
        min_items: None,
        ..f.constraints.clone()
    };
    let fmt = format!("{field}[{{index}}]");
    let checks = rules(
        inner,
        &quote!(&format!(#fmt)),
        &quote!(item),
        &item_constraints,
        patterns,
    );
    if checks.is_empty() {
        return checks;
    }
    let iter = if f.optional() {
        quote!(self.#fname.iter().flatten())
    } else {
        quote!(self.#fname.iter())
    };
    quote! {
        for (index, item) in #iter.enumerate() {
            #checks
        }
    }
}

/// The rules of a named type: a nested object's own `validate()`, or that an open enum's value
/// is one the spec lists.
fn named(model: &Model, name: &str, f: &Field, depth: usize) -> TokenStream {
    let fname = ident(&f.name);
    let field = &f.wire;
    match model.types.get(name) {
        Some(TypeDef::Struct { .. }) if !has_rules(model, name, depth) => TokenStream::new(),
        Some(TypeDef::Struct { .. }) if f.optional() => {
            quote!(nested(#field, self.#fname.as_ref())?;)
        }
        Some(TypeDef::Struct { .. }) => quote!(nested(#field, Some(&self.#fname))?;),
        Some(TypeDef::Enum { .. }) if model.sides.get(name).is_some_and(|s| s.response) => {
            quote!(known_variant(#field, &self.#fname)?;)
        }
        _ => TokenStream::new(),
    }
}
