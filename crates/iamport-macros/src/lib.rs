//! `api!("path/to/spec.json")`: expands an OpenAPI 3.0 spec into the i'mport client's types,
//! `operations` and `Api` trait, in place. Every request type implements
//! `iamport::runtime::Request`, so `client.send(&request)` works for it too.
//!
//! A thin front-end over [`iamport_codegen::generate`], the same function `cargo xtask codegen`
//! uses, so the macro and the checked-in code are the same tokens. The path is relative to the
//! calling crate's `Cargo.toml`. Problems become `compile_error!`s pointing at the path literal,
//! one per problem, each with its JSON pointer; the macro never panics. The calling crate is
//! rebuilt when the spec file changes (through an `include_bytes!` of it).
//!
//! ```no_run
//! mod billing {
//!     // Relative to this crate's Cargo.toml: the workspace's spec.
//!     iamport_macros::api!("../../spec/iamport.json");
//! }
//!
//! # fn main() -> Result<(), iamport::Error> {
//! let client = iamport::Client::from_env()?;
//! let request = billing::types::GetPaymentRequest::new("imp_803037736674");
//! // `send` takes any request, of your spec or of iamport's.
//! let payment = client.send(&request)?;
//! println!("{}", payment.status);
//! // Your spec's methods are those of `billing::Api`. On `iamport::Client`, whose own methods
//! // of the same names take iamport's request types, call them through the trait:
//! let again = billing::Api::get_payment(&client, &request)?;
//! # let _ = again;
//! # Ok(()) }
//! ```

use proc_macro2::TokenStream;
use quote::quote;
use std::path::{Path, PathBuf};
use syn::LitStr;

/// Expands the spec at the given path (relative to the calling crate's `Cargo.toml`) into
/// `pub mod types`, `pub mod operations`, `pub mod api` and `pub use self::api::Api`.
#[proc_macro]
pub fn api(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    expand(input.into()).into()
}

fn expand(input: TokenStream) -> TokenStream {
    match try_expand(input) {
        Ok((tokens, tracker)) => quote!(#tokens #tracker),
        Err(error) => error.into_compile_error(),
    }
}

/// The generated tokens, and the item that makes cargo rebuild the caller when the spec changes.
fn try_expand(input: TokenStream) -> syn::Result<(TokenStream, TokenStream)> {
    let literal: LitStr = syn::parse2(input).map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the spec's path as a string literal: `api!(\"spec/iamport.json\")`",
        )
    })?;
    let path = resolve(&literal)?;
    let json = std::fs::read_to_string(&path).map_err(|e| {
        syn::Error::new(
            literal.span(),
            format!(
                "cannot read the spec `{}` (paths are relative to the crate's Cargo.toml): {e}",
                literal.value()
            ),
        )
    })?;
    let tokens = iamport_codegen::generate(&json, iamport_codegen::Target::UserCrate)
        .map_err(|e| to_syn_error(&literal, e))?
        .tokens;
    let absolute = path.to_string_lossy().into_owned();
    let tracker = quote! {
        const _: &[u8] = include_bytes!(#absolute);
    };
    Ok((tokens, tracker))
}

fn resolve(literal: &LitStr) -> syn::Result<PathBuf> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").ok_or_else(|| {
        syn::Error::new(
            literal.span(),
            "CARGO_MANIFEST_DIR is not set: run the build through cargo",
        )
    })?;
    Ok(Path::new(&dir).join(literal.value()))
}

/// One spanned error per spec problem, so the user sees all of them at once.
fn to_syn_error(literal: &LitStr, error: iamport_codegen::Error) -> syn::Error {
    let spec = literal.value();
    let mut problems = error
        .problems()
        .iter()
        .map(|p| syn::Error::new(literal.span(), format!("{spec}: {p}")));
    match problems.next() {
        Some(mut first) => {
            for next in problems {
                first.combine(next);
            }
            first
        }
        None => syn::Error::new(literal.span(), format!("{spec}: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The macro path and the `cargo xtask codegen` path emit the same tokens, except that the
    /// macro's serde derives name the serde they reach through `iamport` (a user's crate may not
    /// depend on serde itself) and that only the `iamport` crate makes the operations inherent
    /// methods of its `Client`.
    #[test]
    fn macro_expands_to_the_checked_in_code() {
        let (tokens, tracker) =
            try_expand(quote!("../../spec/iamport.json")).expect("the spec expands");
        assert!(tracker.to_string().contains("include_bytes"));
        // Formatting the macro's tokens the way the xtask does must give the checked-in file
        // (after its two-line preamble) byte for byte.
        let from_macro: syn::File = syn::parse2(tokens).expect("the macro's output parses");
        let from_macro = prettyplease::unparse(&from_macro);
        let serde_crate = "#[serde(crate = \"::iamport::__private::serde\")]";
        let derives = from_macro
            .lines()
            .filter(|line| line.trim().starts_with("#[derive(") && line.contains("erialize"))
            .count();
        assert_eq!(from_macro.matches(serde_crate).count(), derives);
        let from_macro: String = from_macro
            .lines()
            .filter(|line| line.trim() != serde_crate)
            .flat_map(|line| [line, "\n"])
            .collect();
        let checked_in =
            std::fs::read_to_string(workspace_root().join("crates/iamport/src/generated.rs"))
                .unwrap();
        let (_preamble, checked_in) = checked_in
            .split_once("\n\n")
            .expect("a preamble, then the code");
        // Only the `iamport` crate gets the inherent `Client` methods (`mod client`).
        let (before, client) = checked_in
            .split_once("/// The spec's operations as methods of [`Client`]")
            .expect("the checked-in code has `mod client`");
        let (_, after) = client.split_once("\n}\n").expect("`mod client` ends");
        let checked_in = format!("{before}{after}");
        assert!(
            from_macro == checked_in,
            "the macro and crates/iamport/src/generated.rs differ: run `cargo xtask codegen`"
        );
    }

    #[test]
    fn errors_are_spanned_compile_errors_not_panics() {
        let out = expand(quote!(42)).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(
            out.contains("expected the spec's path as a string literal"),
            "{out}"
        );
        let out = expand(quote!("does/not/exist.json")).to_string();
        assert!(
            out.contains("cannot read the spec `does/not/exist.json`"),
            "{out}"
        );
    }
}
