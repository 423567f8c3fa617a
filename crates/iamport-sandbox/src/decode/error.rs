//! The one error decoding gives: a leaf that the parsers (`coerce`, `form`) and their parent share.

/// A request that could not be decoded; the message names the field and never echoes values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);
