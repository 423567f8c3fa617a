//! Client-side validation: the rules the spec states, checked before any request is sent.
//!
//! Generated `validate()` methods call these helpers; each error names the field (a path such as
//! `schedules[0].merchant_uid`) and the rule, and never the value (it may be a card number).

// Kept at this (hidden) path too, as before it had a module of its own.
pub use super::validation_error::ValidationError;
use super::{Amount, CardNumber, Secret, Timestamp, Validate};
use std::sync::OnceLock;

/// A `pattern` from the spec, compiled on first use.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<regex_lite::Regex>,
}

impl Pattern {
    /// A pattern from its source (checked by the generator when the code was generated).
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern's source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` matches.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| {
                regex_lite::Regex::new(self.source).unwrap_or_else(|_| {
                    regex_lite::Regex::new("$^").expect("an empty regex compiles")
                })
            })
            .is_match(value)
    }
}

/// A field as the rules read it: its value when present. Every rule passes on an absent
/// optional field, so a generated check is one call whether the field is optional or not.
pub trait Field<T: ?Sized> {
    /// The value, or `None` for an absent optional field.
    fn value(&self) -> Option<&T>;
}

impl Field<str> for String {
    fn value(&self) -> Option<&str> {
        Some(self)
    }
}

impl Field<str> for Secret {
    fn value(&self) -> Option<&str> {
        Some(self.expose())
    }
}

impl Field<i64> for i64 {
    fn value(&self) -> Option<&i64> {
        Some(self)
    }
}

impl Field<i64> for Timestamp {
    fn value(&self) -> Option<&i64> {
        Some(&self.0)
    }
}

impl Field<Amount> for Amount {
    fn value(&self) -> Option<&Amount> {
        Some(self)
    }
}

impl Field<CardNumber> for CardNumber {
    fn value(&self) -> Option<&CardNumber> {
        Some(self)
    }
}

impl<T> Field<[T]> for Vec<T> {
    fn value(&self) -> Option<&[T]> {
        Some(self)
    }
}

impl<E: Known> Field<E> for E {
    fn value(&self) -> Option<&E> {
        Some(self)
    }
}

impl<T: ?Sized, F: Field<T>> Field<T> for Option<F> {
    fn value(&self) -> Option<&T> {
        self.as_ref().and_then(Field::value)
    }
}

/// An open enum (one with an `Unknown` catch-all, implemented by `wire_enum!`): whether a value
/// is one the spec lists.
pub trait Known {
    /// The values the spec lists.
    const LISTED: &'static [&'static str];
    /// Whether this value is one of them.
    fn is_known(&self) -> bool;
}

/// A required string must not be empty.
pub fn non_empty(field: &str, value: &impl Field<str>) -> Result<(), ValidationError> {
    if value.value().is_none_or(str::is_empty) {
        return Err(ValidationError::new(
            field,
            "is required and must not be empty",
        ));
    }
    Ok(())
}

/// `maxLength`, counted in characters.
pub fn max_length(field: &str, value: &impl Field<str>, max: usize) -> Result<(), ValidationError> {
    let len = value.value().map_or(0, |v| v.chars().count());
    if len > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters long (is {len})"),
        ));
    }
    Ok(())
}

/// `minLength`, counted in characters.
pub fn min_length(field: &str, value: &impl Field<str>, min: usize) -> Result<(), ValidationError> {
    let Some(len) = value.value().map(|v| v.chars().count()) else {
        return Ok(());
    };
    if len < min {
        return Err(ValidationError::new(
            field,
            format!("must be at least {min} characters long (is {len})"),
        ));
    }
    Ok(())
}

/// `pattern`. The message quotes the pattern, never the value.
pub fn pattern(
    field: &str,
    value: &impl Field<str>,
    pattern: &Pattern,
) -> Result<(), ValidationError> {
    if value.value().is_some_and(|v| !pattern.is_match(v)) {
        return Err(ValidationError::new(
            field,
            format!("must match pattern {}", pattern.source()),
        ));
    }
    Ok(())
}

/// `pattern` with the spec's readable description of it (`x-pattern-text`, e.g. `YYYY-MM (e.g.
/// 2029-12)`): the message a person can act on, never the value.
pub fn pattern_text(
    field: &str,
    value: &impl Field<str>,
    pattern: &Pattern,
    text: &str,
) -> Result<(), ValidationError> {
    if value.value().is_some_and(|v| !pattern.is_match(v)) {
        return Err(ValidationError::new(field, format!("must be {text}")));
    }
    Ok(())
}

/// An amount that must not exceed another field of the same request (`x-at-most`, e.g.
/// `vat_amount` at most `amount`). Absent values pass.
pub fn amount_at_most(
    field: &str,
    value: &impl Field<Amount>,
    other_field: &str,
    other: &impl Field<Amount>,
) -> Result<(), ValidationError> {
    match (value.value(), other.value()) {
        (Some(value), Some(other)) if value > other => Err(ValidationError::new(
            field,
            format!("must be at most `{other_field}` ({other}; is {value})"),
        )),
        _ => Ok(()),
    }
}

/// `minimum` (inclusive).
pub fn minimum(field: &str, value: &impl Field<i64>, min: i64) -> Result<(), ValidationError> {
    match value.value() {
        Some(&value) if value < min => Err(ValidationError::new(
            field,
            format!("must be at least {min} (is {value})"),
        )),
        _ => Ok(()),
    }
}

/// `maximum` (inclusive).
pub fn maximum(field: &str, value: &impl Field<i64>, max: i64) -> Result<(), ValidationError> {
    match value.value() {
        Some(&value) if value > max => Err(ValidationError::new(
            field,
            format!("must be at most {max} (is {value})"),
        )),
        _ => Ok(()),
    }
}

/// `minItems`: a list must hold at least `min` items.
pub fn min_items<T>(
    field: &str,
    value: &impl Field<[T]>,
    min: usize,
) -> Result<(), ValidationError> {
    let Some(len) = value.value().map(<[T]>::len) else {
        return Ok(());
    };
    if len < min {
        let items = if min == 1 { "item" } else { "items" };
        return Err(ValidationError::new(
            field,
            format!("must hold at least {min} {items} (has {len})"),
        ));
    }
    Ok(())
}

/// `minimum` (with `exclusiveMinimum`) on an amount of money.
pub fn amount_minimum(
    field: &str,
    value: &impl Field<Amount>,
    min: i64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let Some(value) = value.value() else {
        return Ok(());
    };
    let min_amount = Amount::from(min);
    if exclusive && *value <= min_amount {
        return Err(ValidationError::new(
            field,
            format!("must be greater than {min} (is {value})"),
        ));
    }
    if !exclusive && *value < min_amount {
        return Err(ValidationError::new(
            field,
            format!("must be at least {min} (is {value})"),
        ));
    }
    Ok(())
}

/// A card number (`format: card-number`): see [`CardNumber::check`].
pub fn card_number(field: &str, value: &impl Field<CardNumber>) -> Result<(), ValidationError> {
    value.value().map_or(Ok(()), |card| card.check(field))
}

/// A request-side enum value that the spec does not list (an `Unknown(..)` variant).
pub fn known_variant<E: Known>(field: &str, value: &impl Field<E>) -> Result<(), ValidationError> {
    if value.value().is_some_and(|v| !v.is_known()) {
        return Err(ValidationError::new(
            field,
            format!("must be one of {}", E::LISTED.join(", ")),
        ));
    }
    Ok(())
}

/// A nested object's own rules, its errors named within `field` (`extra.naverUseCfm`).
pub fn nested<T: Validate>(field: &str, value: Option<&T>) -> Result<(), ValidationError> {
    value.map_or(Ok(()), |v| {
        v.validate().map_err(|error| error.within(field))
    })
}

/// Each item's own rules, errors named within `field[index]` (`schedules[0].merchant_uid`).
pub fn each<T: Validate>(field: &str, value: &impl Field<[T]>) -> Result<(), ValidationError> {
    for (index, item) in value.value().unwrap_or_default().iter().enumerate() {
        item.validate()
            .map_err(|error| error.within(format!("{field}[{index}]")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_field_and_rule_not_value() {
        static CARD: Pattern = Pattern::new(r"^\d{4}-\d{4}-\d{4}-\d{4}$");
        let err = pattern("card_number", &"4242424242424242".to_string(), &CARD).unwrap_err();
        assert_eq!(err.field(), "card_number");
        assert!(!err.to_string().contains("4242424242424242"));
        assert!(pattern("card_number", &"4242-4242-4242-4242".to_string(), &CARD).is_ok());
        assert!(pattern("card_number", &None::<String>, &CARD).is_ok());
        let err = max_length("name", &"가나다".to_string(), 2)
            .unwrap_err()
            .within("schedules[0]");
        assert_eq!(err.field(), "schedules[0].name");
        assert_eq!(err.rule(), "must be at most 2 characters long (is 3)");
        let err = min_items("merchant_uid", &Vec::<String>::new(), 1).unwrap_err();
        assert_eq!(err.rule(), "must hold at least 1 item (has 0)");
        assert!(min_items("merchant_uid", &vec![1], 1).is_ok());
        assert!(min_items("merchant_uid", &None::<Vec<i64>>, 1).is_ok());
        assert!(non_empty("name", &None::<String>).is_err());
        assert!(maximum("at", &Some(Timestamp(5)), 4).is_err());
        assert!(maximum("at", &None::<Timestamp>, 4).is_ok());
        let zero = Amount::ZERO;
        let err = amount_minimum("amount", &zero, 0, true).unwrap_err();
        assert_eq!(err.rule(), "must be greater than 0 (is 0)");
        assert!(amount_minimum("amount", &zero, 0, false).is_ok());
        assert!(amount_minimum("amount", &Amount::from(1), 0, true).is_ok());
    }
}
