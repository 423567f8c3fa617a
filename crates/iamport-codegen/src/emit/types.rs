//! `pub mod types`: structs, enums and oneOf unions.

use super::{doc, ident, rust_type, validate};
use crate::model::{Field, Location, Model, Ty, TypeDef};
use crate::naming::type_name;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn emit_types(model: &Model) -> TokenStream {
    let mut patterns = validate::Patterns::default();
    let items: Vec<TokenStream> = model
        .types
        .values()
        .map(|def| {
            let sides = model.sides.get(def.name()).copied().unwrap_or_default();
            match def {
                TypeDef::Struct {
                    name,
                    doc: d,
                    fields,
                } => {
                    let mut out = emit_struct(model, name, d.as_deref(), fields, sides.request);
                    // A request struct is found by the same search words as its method.
                    if let Some(op) = model
                        .operations
                        .iter()
                        .find(|op| op.request.as_ref().is_some_and(|(n, _)| n == name))
                    {
                        out = with_aliases(out, super::operations::doc_aliases(op));
                    }
                    if sides.request {
                        out.extend(validate::emit_validate(model, name, fields, &mut patterns));
                    }
                    out
                }
                TypeDef::Enum {
                    name,
                    doc: d,
                    values,
                } => emit_enum(name, d.as_deref(), values, sides.response),
                TypeDef::OneOf {
                    name,
                    doc: d,
                    variants,
                } => emit_one_of(name, d.as_deref(), variants),
            }
        })
        .collect();
    let statics = patterns.emit();
    quote! {
        /// Request and response types of the spec.
        pub mod types {
            #( #items )*
            #statics
        }
    }
}

/// Puts `aliases` (attributes) in front of an item's tokens.
fn with_aliases(item: TokenStream, aliases: TokenStream) -> TokenStream {
    quote!(#aliases #item)
}

/// Whether `ty` has a `Default` (so a struct holding it as a required field can derive one).
fn has_default(model: &Model, ty: &Ty, depth: usize) -> bool {
    match ty {
        Ty::Named(name) => match model.types.get(name) {
            Some(TypeDef::Struct { fields, .. }) if depth < 8 => fields
                .iter()
                .all(|f| f.optional() || has_default(model, &f.ty, depth + 1)),
            _ => false,
        },
        _ => true,
    }
}

/// Request-side structs omit absent optional fields; response-only ones write them as `null`,
/// as i'mport does.
fn emit_struct(
    model: &Model,
    name: &str,
    d: Option<&str>,
    fields: &[Field],
    request: bool,
) -> TokenStream {
    let type_ident = format_ident!("{}", name);
    let default_doc = format!("The `{name}` object.");
    let docs = doc(Some(d.unwrap_or(&default_doc)));
    let derive_default = fields
        .iter()
        .all(|f| f.optional() || has_default(model, &f.ty, 0));
    let default = derive_default.then(|| quote!(::core::default::Default,));
    let fields = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty);
        let ty = if f.optional() {
            quote!(::core::option::Option<#ty>)
        } else {
            ty
        };
        let fallback = format!("`{}`.", f.wire);
        let fdoc = doc(Some(f.doc.as_deref().unwrap_or(&fallback)));
        let mut attrs = Vec::new();
        if f.name != f.wire {
            let wire = &f.wire;
            attrs.push(quote!(rename = #wire));
        }
        match f.location {
            Location::Path | Location::Query if has_default(model, &f.ty, 0) || f.optional() => {
                attrs.push(quote!(skip_serializing, default))
            }
            Location::Path | Location::Query => attrs.push(quote!(skip_serializing)),
            Location::Body if f.optional() && !f.nullable && request => attrs.push(quote!(
                default,
                skip_serializing_if = "::core::option::Option::is_none"
            )),
            Location::Body if f.optional() => attrs.push(quote!(default)),
            Location::Body => {}
        }
        let serde = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
        quote! {
            #fdoc
            #serde
            pub #fname: #ty,
        }
    });
    quote! {
        #docs
        #[derive(::core::fmt::Debug, ::core::clone::Clone, #default ::iamport::__private::serde::Serialize, ::iamport::__private::serde::Deserialize)]
        #[serde(crate = "::iamport::__private::serde")]
        pub struct #type_ident {
            #( #fields )*
        }
    }
}

fn emit_enum(name: &str, d: Option<&str>, values: &[String], open: bool) -> TokenStream {
    let ident = format_ident!("{}", name);
    let default_doc = format!("The `{name}` values.");
    let docs = doc(Some(d.unwrap_or(&default_doc)));
    let variants: Vec<_> = values
        .iter()
        .map(|v| format_ident!("{}", type_name(v)))
        .collect();
    let variant_docs = values.iter().map(|v| format!(" `{v}`"));
    let unknown_decl = open.then(|| {
        quote! {
            /// A value this version of the spec does not list (kept, so new upstream values decode).
            Unknown(::std::string::String),
        }
    });
    let unknown_str = open.then(|| quote!(Self::Unknown(value) => value.as_str(),));
    let names_doc = " The values the spec lists, as sent on the wire.";
    let is_known = open.then(|| {
        quote! {
            /// Whether the value is one the spec lists (not [`Self::Unknown`]).
            pub fn is_known(&self) -> bool {
                !::core::matches!(self, Self::Unknown(_))
            }
        }
    });
    let decode_fallback = if open {
        quote!(_ => Self::Unknown(value))
    } else {
        quote!(_ => return ::core::result::Result::Err(<D::Error as ::iamport::__private::serde::de::Error>::unknown_variant(&value, Self::VALUES)))
    };
    quote! {
        #docs
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub enum #ident {
            #( #[doc = #variant_docs] #variants, )*
            #unknown_decl
        }

        impl #ident {
            #[doc = #names_doc]
            pub const VALUES: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    #unknown_str
                }
            }

            #is_known
        }

        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::iamport::__private::serde::Serialize for #ident {
            fn serialize<S: ::iamport::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::iamport::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::iamport::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::iamport::__private::serde::Deserialize>::deserialize(deserializer)?;
                ::core::result::Result::Ok(match value.as_str() {
                    #( #values => Self::#variants, )*
                    #decode_fallback
                })
            }
        }
    }
}

fn emit_one_of(name: &str, d: Option<&str>, variants: &[String]) -> TokenStream {
    let ident = format_ident!("{}", name);
    let default_doc = format!("One of: {}.", variants.join(", "));
    let docs = doc(Some(d.unwrap_or(&default_doc)));
    let vs: Vec<_> = variants.iter().map(|v| format_ident!("{}", v)).collect();
    let vdocs = variants.iter().map(|v| format!(" A [`{v}`]."));
    let expected = format!("the value matches none of: {}", variants.join(", "));
    quote! {
        #docs
        #[derive(::core::fmt::Debug, ::core::clone::Clone)]
        pub enum #ident {
            #( #[doc = #vdocs] #vs(#vs), )*
        }

        impl ::iamport::__private::serde::Serialize for #ident {
            fn serialize<S: ::iamport::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#vs(value) => ::iamport::__private::serde::Serialize::serialize(value, serializer), )*
                }
            }
        }

        /// Decodes the first alternative, in spec order, that the JSON satisfies.
        impl<'de> ::iamport::__private::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::iamport::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let raw = <::std::boxed::Box<::iamport::__private::serde_json::value::RawValue> as ::iamport::__private::serde::Deserialize>::deserialize(deserializer)?;
                #(
                    if let ::core::result::Result::Ok(value) = ::iamport::__private::serde_json::from_str::<#vs>(raw.get()) {
                        return ::core::result::Result::Ok(Self::#vs(value));
                    }
                )*
                ::core::result::Result::Err(<D::Error as ::iamport::__private::serde::de::Error>::custom(#expected))
            }
        }
    }
}
