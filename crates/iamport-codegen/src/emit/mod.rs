//! Model → tokens.
//!
//! The output reads like hand-written code: three modules (`types`, `operations`, `api`), each
//! opening with its `use` lines and then using plain names. Hygiene comes from the module
//! boundary: a user type named `Option` or `Result` beside an `api!` call is not in scope inside
//! the generated modules, which see only the prelude and their own imports. The one item
//! emitted at the call site is `pub use self::api::Api;`. In the `iamport` crate itself, a
//! private `mod client` also makes every operation an inherent method of `Client`.

mod client;
mod defaults;
mod operations;
mod requests;
mod syntax;
mod types;
mod validate;
mod visitor;

use crate::Target;
use crate::model::Model;
use proc_macro2::TokenStream;
use quote::quote;

/// All generated items: `pub mod types`, `pub mod operations`, `pub mod api` and `Api`.
pub fn emit(model: &Model, target: Target) -> TokenStream {
    let types = types::emit_types(model, target);
    let operations = operations::emit_operations(model);
    let api = operations::emit_api(model);
    let client = match target {
        Target::IamportCrate => client::emit_client_methods(model),
        Target::UserCrate => TokenStream::new(),
    };
    quote! {
        #types
        #operations
        #api
        #client
        pub use self::api::Api;
    }
}
