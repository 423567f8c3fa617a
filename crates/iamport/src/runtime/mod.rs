//! The hand-written runtime that generated code calls: exact amounts, timestamps, secrets,
//! validation helpers and the [`Execute`] transport contract.

mod amount;
mod card;
mod operation;
mod secret;
mod timestamp;
pub mod validation;
mod wire_enum;

pub use amount::{Amount, ParseAmountError};
pub use card::CardNumber;
pub use operation::{
    Execute, HttpRequest, Method, OperationKind, OperationSpec, Request, encode_path_segment,
    json_body,
};
pub use secret::Secret;
pub use timestamp::Timestamp;
pub use validation::{Pattern, ValidationError};
pub use wire_enum::ParseEnumError;
