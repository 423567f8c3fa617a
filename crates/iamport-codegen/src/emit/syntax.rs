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
/// shows a field's whole doc (there is no summary line to keep apart); a summary and a one-line
/// text share one line when it fits.
pub(super) fn field_doc(text: Option<&str>) -> TokenStream {
    doc_lines(text, true)
}

/// Where a field's doc starts (`mod types` → struct → field) and the width it should fit.
const FIELD_DOC_INDENT: usize = 8 + "/// ".len();
const WIDTH: usize = 100;

fn doc_lines(text: Option<&str>, field: bool) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let is_bullet = |line: &str| line.starts_with("- ") || line.starts_with("* ");
    let is_item = |line: &str| {
        is_bullet(line)
            || line
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let kept: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|&(i, line)| {
            if !line.is_empty() || i == 0 || i + 1 == lines.len() {
                return true;
            }
            let (before, after) = (lines[i - 1], lines[i + 1]);
            let joins_summary = field && i == 1 && !after.is_empty();
            let inside_list = is_item(before) && is_item(after);
            // A bullet list may start right under a paragraph (CommonMark).
            let opens_list = !before.is_empty() && is_bullet(after);
            !(joins_summary || inside_list || opens_list)
        })
        .map(|(_, line)| doc_line(line))
        .collect();
    let one_line = match kept.as_slice() {
        [summary, text] if field && !is_item(text) => Some(format!("{summary} {text}")),
        _ => None,
    };
    let lines = match one_line {
        Some(line) if FIELD_DOC_INDENT + display_width(&line) <= WIDTH => vec![line],
        _ => kept,
    };
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// Columns a text takes in an editor: Hangul and other CJK characters take two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFF00..=0xFF60 => 2,
            _ => 1,
        })
        .sum()
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
        Ty::Json => quote!(::iamport::__private::serde_json::Value),
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
