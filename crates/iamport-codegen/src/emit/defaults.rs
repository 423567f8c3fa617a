//! Which generated structs derive `Default` (and so which request types need a constructor).

use crate::model::{Field, Model, Ty, TypeDef};

/// Whether `ty` has a `Default` (so a struct holding it as a required field can derive one).
pub(super) fn has_default(model: &Model, ty: &Ty, depth: usize) -> bool {
    match ty {
        Ty::Named(name) => match model.types.get(name) {
            Some(TypeDef::Struct { fields, .. }) if depth < 8 => fields
                .iter()
                .all(|f| f.optional() || has_default(model, &f.ty, depth + 1)),
            _ => false,
        },
        _ => true,
    }
}

/// Whether a struct derives `Default`.
pub(super) fn derives_default(model: &Model, fields: &[Field]) -> bool {
    fields
        .iter()
        .all(|f| f.optional() || has_default(model, &f.ty, 0))
}
