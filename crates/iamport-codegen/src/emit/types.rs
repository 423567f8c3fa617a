//! `pub mod types`: structs, string enums and `oneOf`/`anyOf` unions, with the request types'
//! constructors, `validate()` and `Request` impls.

use super::defaults::derives_default;
use super::syntax::{doc, field_doc, ident, rust_type, uses};
use super::{requests, validate};
use crate::Target;
use crate::model::{Field, Location, Model, Ty, TypeDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(super) fn emit_types(model: &Model, target: Target) -> TokenStream {
    // Serde's derives find `serde` among the crate's dependencies, unless told where it is.
    let serde = match target {
        Target::IamportCrate => TokenStream::new(),
        Target::UserCrate => quote!(#[serde(crate = "::iamport::__private::serde")]),
    };
    let mut patterns = validate::Patterns::default();
    let mut items: Vec<TokenStream> = Vec::new();
    for def in model.types.values() {
        let sides = model.sides.get(def.name()).copied().unwrap_or_default();
        match def {
            TypeDef::Struct {
                name,
                doc: d,
                fields,
            } => {
                items.push(emit_struct(
                    model,
                    name,
                    d.as_deref(),
                    fields,
                    sides.request,
                    &serde,
                ));
                let op = requests::operation_of(model, name);
                if sides.request {
                    // A constructor for every request type, and for any type with a required
                    // field (others have `Default`).
                    if op.is_some() || fields.iter().any(|f| !f.optional()) {
                        let new = requests::emit_new(model, name, fields);
                        let ty = format_ident!("{}", name);
                        items.push(quote!(impl #ty { #new }));
                    }
                    items.push(validate::emit_validate(
                        model,
                        name,
                        fields,
                        op.is_some(),
                        &mut patterns,
                    ));
                }
                if let Some(op) = op {
                    items.push(requests::emit_request_impl(op));
                }
            }
            TypeDef::Enum {
                name,
                doc: d,
                values,
                variants,
            } => items.push(emit_enum(
                name,
                d.as_deref(),
                values,
                variants,
                sides.response,
            )),
            TypeDef::OneOf {
                name,
                doc: d,
                variants,
            } => items.push(emit_one_of(name, d.as_deref(), variants, &serde)),
        }
    }
    // Operations without inputs still get a request type, so that `send` works for every one.
    for op in model.operations.iter().filter(|op| op.request.is_none()) {
        items.push(requests::emit_empty_request(op));
    }
    let statics = patterns.emit();
    let body = quote!(#( #items )* #statics);
    // Token text without whitespace: its spacing differs between proc-macro and library use.
    let text: String = body.to_string().split_whitespace().collect();
    let imports = imports(model, &text);
    quote! {
        /// Request and response types of the spec.
        pub mod types {
            #imports

            #body
        }
    }
}

/// The `use` lines of `mod types`: only the names its items (`body`, as token text without
/// whitespace) use, so
/// that a small spec expanded by `api!` compiles without unused-import warnings.
fn imports(model: &Model, body: &str) -> TokenStream {
    let mut runtime = Vec::new();
    for (name, used) in [
        ("Amount", uses(model, &Ty::Amount)),
        ("CardNumber", uses(model, &Ty::CardNumber)),
        ("HttpRequest", body.contains("HttpRequest")),
        ("Method", body.contains("Method::")),
        ("OperationKind", body.contains("OperationKind::")),
        ("OperationSpec", body.contains("OperationSpec")),
        ("Pattern", body.contains("Pattern::")),
        ("Request", body.contains("implRequestfor")),
        ("Secret", uses(model, &Ty::Secret)),
        ("Timestamp", uses(model, &Ty::Timestamp)),
        ("Validate", body.contains("implValidatefor")),
        ("ValidationError", body.contains("ValidationError")),
        ("encode_path_segment", body.contains("encode_path_segment(")),
    ] {
        if used {
            runtime.push(format_ident!("{}", name));
        }
    }
    // The rule functions, called as statements (`{max_length(`, `;nested(`).
    let rules: Vec<_> = [
        "amount_minimum",
        "card_number",
        "each",
        "known_variant",
        "max_length",
        "maximum",
        "min_items",
        "min_length",
        "minimum",
        "nested",
        "non_empty",
        "pattern",
    ]
    .into_iter()
    .filter(|rule| {
        ['{', ';', '}']
            .iter()
            .any(|c| body.contains(&format!("{c}{rule}(")))
    })
    .map(|rule| format_ident!("{}", rule))
    .collect();
    let rules = (!rules.is_empty()).then(|| {
        quote!(
            use ::iamport::runtime::validation::{#( #rules ),*};
        )
    });
    let error = body.contains(",Error>").then(|| {
        quote!(
            use ::iamport::Error;
        )
    });
    let unions = model
        .types
        .values()
        .any(|d| matches!(d, TypeDef::OneOf { .. }))
        .then(|| {
            quote! {
                use ::iamport::__private::serde::de::{Deserializer, Error as _};
                use ::iamport::__private::serde_json::{self, value::RawValue};
            }
        });
    quote! {
        #error
        use ::iamport::__private::serde::{Deserialize, Serialize};
        use ::iamport::runtime::{#( #runtime ),*};
        #rules
        #unions
    }
}

/// Request-side structs omit absent optional fields; response-only ones write them as `null`,
/// as i'mport does. An absent `Option` field decodes as `None`.
fn emit_struct(
    model: &Model,
    name: &str,
    d: Option<&str>,
    fields: &[Field],
    request: bool,
    serde: &TokenStream,
) -> TokenStream {
    let type_ident = format_ident!("{}", name);
    let docs = doc(d);
    let aliases = requests::operation_of(model, name)
        .map(super::operations::doc_aliases)
        .unwrap_or_default();
    let default = derives_default(model, name, fields).then(|| quote!(Default,));
    // A request with nothing in its body is never serialized (its fields go in the path and
    // query); every other struct is.
    let serializable = requests::operation_of(model, name).is_none()
        || fields.iter().any(|f| f.location == Location::Body);
    let serialize = serializable.then(|| quote!(Serialize,));
    let fields = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = rust_type(&f.ty);
        let ty = if f.optional() {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let fallback = format!("`{}`.", f.wire);
        let fdoc = field_doc(Some(f.doc.as_deref().unwrap_or(&fallback)));
        let mut attrs = Vec::new();
        if f.name != f.wire {
            let wire = &f.wire;
            attrs.push(quote!(rename = #wire));
        }
        match f.location {
            Location::Path | Location::Query => {
                if serializable {
                    attrs.push(quote!(skip_serializing));
                }
                // An absent list parameter is an empty list (the sandbox decodes the others
                // from the path, or checks that they are present first).
                if !f.optional() && matches!(f.ty, Ty::Vec(_)) {
                    attrs.push(quote!(default));
                }
            }
            Location::Body if f.optional() && !f.nullable && request => {
                attrs.push(quote!(skip_serializing_if = "Option::is_none"))
            }
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
        #aliases
        #[derive(Debug, Clone, #default #serialize Deserialize)]
        #serde
        pub struct #type_ident {
            #( #fields )*
        }
    }
}

/// The variants, with an `Unknown(String)` catch-all on the response side (so new upstream
/// values decode). Each wire string is written once, in the `iamport::wire_enum!` call, which
/// derives `Serialize`, `Deserialize`, `VALUES`, `as_str`, `Display` and `FromStr` from it.
fn emit_enum(
    name: &str,
    d: Option<&str>,
    values: &[String],
    variants: &[String],
    open: bool,
) -> TokenStream {
    let ident = format_ident!("{}", name);
    let docs = doc(d);
    let variants: Vec<_> = variants.iter().map(|v| format_ident!("{}", v)).collect();
    let declared = values.iter().zip(&variants).map(|(wire, variant)| {
        let vdoc = format!(" `{wire}`");
        quote! {
            #[doc = #vdoc]
            #variant,
        }
    });
    let (non_exhaustive, unknown, open_kw) = if open {
        (
            quote!(#[non_exhaustive]),
            quote! {
                /// A value this version of the spec does not list (kept, so new upstream values decode).
                Unknown(String),
            },
            quote!(open),
        )
    } else {
        Default::default()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #non_exhaustive
        pub enum #ident {
            #( #declared )*
            #unknown
        }

        ::iamport::wire_enum!(#ident { #( #variants = #values ),* } #open_kw);
    }
}

/// A union decodes the first alternative, in order, that the JSON satisfies. Decoding goes
/// through the JSON text (not serde's buffered content) so that exact amounts stay exact.
fn emit_one_of(
    name: &str,
    d: Option<&str>,
    variants: &[String],
    serde: &TokenStream,
) -> TokenStream {
    let ident = format_ident!("{}", name);
    let default_doc = format!("One of: {}.", variants.join(", "));
    let docs = doc(Some(d.unwrap_or(&default_doc)));
    let vs: Vec<_> = variants.iter().map(|v| format_ident!("{}", v)).collect();
    let vdocs = variants.iter().map(|v| format!(" A [`{v}`]."));
    let expected = format!("the value matches none of: {}", variants.join(", "));
    quote! {
        #docs
        #[derive(Debug, Clone, Serialize)]
        #serde
        #[serde(untagged)]
        pub enum #ident {
            #( #[doc = #vdocs] #vs(#vs), )*
        }

        impl<'de> Deserialize<'de> for #ident {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = Box::<RawValue>::deserialize(deserializer)?;
                #(
                    if let Ok(value) = serde_json::from_str(raw.get()) {
                        return Ok(Self::#vs(value));
                    }
                )*
                Err(D::Error::custom(#expected))
            }
        }
    }
}
