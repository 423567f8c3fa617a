//! The small, validated model the emitter works from: operations and the types they use.
//!
//! Built from the `openapiv3` document after the lint pass, so constructs it does not support were
//! already reported; anything still unexpected here becomes a [`SpecError`](crate::SpecError), never a panic.

mod build;
mod types;

pub(crate) use build::build;
pub use types::{Constraints, Field, Kind, Location, Model, Operation, Sides, Ty, TypeDef};
