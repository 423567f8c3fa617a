//! Which generated structs derive `Default`.
//!
//! A type sent in requests derives it only when every field is optional: one with a required
//! field is built with `new(required fields)`, so leaving one out does not compile. A
//! response-only type derives it whenever its fields have defaults (handy for test fixtures).

use crate::model::{Field, Model, Ty, TypeDef};

/// Whether `ty` has a `Default` (so a struct holding it as a required field can derive one).
fn has_default(model: &Model, ty: &Ty, depth: usize) -> bool {
    match ty {
        Ty::Named(name) => match model.types.get(name) {
            Some(TypeDef::Struct { name, fields, .. }) if depth < 8 => {
                derives_default_at(model, name, fields, depth + 1)
            }
            _ => false,
        },
        _ => true,
    }
}

fn derives_default_at(model: &Model, name: &str, fields: &[Field], depth: usize) -> bool {
    let request = model.sides.get(name).is_some_and(|s| s.request);
    fields
        .iter()
        .all(|f| f.optional() || (!request && has_default(model, &f.ty, depth)))
}

/// Whether the struct `name` derives `Default`.
pub(super) fn derives_default(model: &Model, name: &str, fields: &[Field]) -> bool {
    derives_default_at(model, name, fields, 0)
}
