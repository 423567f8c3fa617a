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
/// indented line would become a code block, and so a doctest), brackets that are not a link
/// are escaped (they would be read as intra-doc links), and upstream's lists with a blank line
/// between items are written as tight lists (the same list in rustdoc).
pub(super) fn doc(text: Option<&str>) -> TokenStream {
    doc_lines(text, false)
}

/// The same for a field: its summary and the text after it form one paragraph, since rustdoc
/// shows a field's whole doc (there is no summary line to keep apart).
pub(super) fn field_doc(text: Option<&str>) -> TokenStream {
    doc_lines(text, true)
}

fn doc_lines(text: Option<&str>, join_summary: bool) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let is_item = |line: &str| {
        line.starts_with("- ")
            || line.starts_with("* ")
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let kept = lines.iter().enumerate().filter(|&(i, line)| {
        if !line.is_empty() || i == 0 || i + 1 == lines.len() {
            return true;
        }
        let (before, after) = (lines[i - 1], lines[i + 1]);
        let joins_summary = join_summary && i == 1 && !after.is_empty();
        let inside_list = is_item(before) && is_item(after);
        !(joins_summary || inside_list)
    });
    let lines = kept.map(|(_, l)| format!(" {}", doc_line(l)));
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
