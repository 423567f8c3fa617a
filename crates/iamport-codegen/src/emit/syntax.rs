//! Small pieces of the generated syntax every emitter needs: identifiers, doc attributes, the Rust
//! type for a model type, and whether the model uses a type at all.

use crate::model::{Model, Ty, TypeDef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// An identifier for a field or method name, raw (`r#type`) when it is a keyword.
pub(super) fn ident(name: &str) -> Ident {
    match name {
        "self" | "Self" | "super" | "crate" => format_ident!("{}_", name),
        n if crate::naming::is_keyword(n) => Ident::new_raw(n, Span::call_site()),
        n => Ident::new(n, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for a text (none for an empty text).
///
/// Spec descriptions are prose, not Markdown written for rustdoc: indentation is dropped (an
/// indented line would become a code block, and so a doctest) and brackets that are not a link
/// are escaped (they would be read as intra-doc links).
pub(super) fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = text.lines().map(|l| format!(" {}", doc_line(l.trim())));
    quote! { #( #[doc = #lines] )* }
}

fn doc_line(line: &str) -> String {
    if line.contains("](") || line.starts_with("```") {
        return line.to_string();
    }
    let escaped = line.replace('[', "\\[").replace(']', "\\]");
    // Bare URLs become autolinks.
    static URL: std::sync::OnceLock<regex_lite::Regex> = std::sync::OnceLock::new();
    let url = URL.get_or_init(|| {
        regex_lite::Regex::new(r"(^|[^<(])(https?://[^\s)<>]+)").expect("valid regex")
    });
    url.replace_all(&escaped, "$1<$2>").into_owned()
}

/// The Rust type for `ty`, by the plain names the `types` module imports.
pub(super) fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Secret => quote!(Secret),
        Ty::CardNumber => quote!(CardNumber),
        Ty::Amount => quote!(Amount),
        Ty::Int => quote!(i64),
        Ty::Timestamp => quote!(Timestamp),
        Ty::Bool => quote!(bool),
        Ty::Json => quote!(Value),
        Ty::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        Ty::Named(name) => {
            let name = format_ident!("{}", name);
            quote!(#name)
        }
    }
}

/// Whether any field of any generated struct has type `want` (anywhere inside it).
pub(super) fn uses(model: &Model, want: &Ty) -> bool {
    fn holds(ty: &Ty, want: &Ty) -> bool {
        ty == want || matches!(ty, Ty::Vec(inner) if holds(inner, want))
    }
    model.types.values().any(|def| match def {
        TypeDef::Struct { fields, .. } => fields.iter().any(|f| holds(&f.ty, want)),
        _ => false,
    })
}
