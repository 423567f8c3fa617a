//! The hand-written runtime that generated code calls: exact amounts, timestamps, secrets, card
//! numbers, the [`Request`] trait and the [`Execute`] transport contract.
//!
//! Plumbing that only generated code needs (`validation`, `Pattern`, `encode_path_segment`,
//! `json_body`, `wire_enum!`) is public for `api!` users' crates but hidden from the docs.

mod amount;
mod card;
mod operation;
mod secret;
mod timestamp;
#[doc(hidden)]
pub mod validation;
mod validation_error;
mod visitor;
mod wire_enum;

pub use amount::{Amount, ParseAmountError};
pub use card::CardNumber;
pub use operation::{
    Execute, HttpRequest, Method, OperationKind, OperationSpec, Request, SuccessField, Validate,
};
#[doc(hidden)]
pub use operation::{encode_path_segment, json_body};
pub use secret::Secret;
pub use timestamp::Timestamp;
#[doc(hidden)]
pub use validation::Pattern;
pub use validation_error::ValidationError;
pub use visitor::RequestVisitor;
pub use wire_enum::ParseEnumError;
#[doc(hidden)]
pub use wire_enum::deserialize_wire;
