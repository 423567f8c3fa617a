//! Model → tokens. Generated code names std items by full path (`::core::option::Option`) and
//! the runtime as `::iamport::...`, so a user type named `Option` or `Result` cannot break it.

mod operations;
mod types;
mod validate;

use crate::model::{Model, Ty};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// All generated items: `pub mod types`, `pub mod operations` and the `Api` trait.
pub fn emit(model: &Model) -> TokenStream {
    let types = types::emit_types(model);
    let operations = operations::emit_operations(model);
    quote! {
        #types
        #operations
    }
}

/// An identifier for a field or method name, raw (`r#type`) when it is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
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
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
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

/// The Rust type for `ty`, as seen from inside `mod types`.
pub(crate) fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::Secret => quote!(::iamport::runtime::Secret),
        Ty::CardNumber => quote!(::iamport::runtime::CardNumber),
        Ty::Amount => quote!(::iamport::runtime::Amount),
        Ty::Int => quote!(i64),
        Ty::Timestamp => quote!(::iamport::runtime::Timestamp),
        Ty::Bool => quote!(bool),
        Ty::Json => quote!(::iamport::__private::serde_json::Value),
        Ty::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Named(name) => {
            let name = format_ident!("{}", name);
            quote!(#name)
        }
    }
}
