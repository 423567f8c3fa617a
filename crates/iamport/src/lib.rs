//! Synchronous i'mport (PortOne V1) subscription-billing client, generated from `spec/iamport.json`.

// Generated code names this crate as `::iamport`, inside it as well as in users' crates.
extern crate self as iamport;

mod error;
pub mod runtime;

#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated;

pub use error::Error;
pub use generated::{Api, operations, types};
pub use runtime::{Amount, Secret, Timestamp, ValidationError};

/// Re-exports the generated code uses, so a crate calling `api!` needs no serde of its own.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}
