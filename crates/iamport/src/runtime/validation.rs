//! Client-side validation: the rules the spec states, checked before any request is sent.
//!
//! Generated `validate()` methods call these helpers; each error names the field (a path such as
//! `schedules[0].merchant_uid`) and the rule, and never the value (it may be a card number).

// Kept at this (hidden) path too, as before it had a module of its own.
pub use super::validation_error::ValidationError;
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

/// A required string must not be empty.
pub fn non_empty(field: &str, value: &str) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(
            field,
            "is required and must not be empty",
        ));
    }
    Ok(())
}

/// `maxLength`, counted in characters.
pub fn max_length(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters long (is {len})"),
        ));
    }
    Ok(())
}

/// `minLength`, counted in characters.
pub fn min_length(field: &str, value: &str, min: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len < min {
        return Err(ValidationError::new(
            field,
            format!("must be at least {min} characters long (is {len})"),
        ));
    }
    Ok(())
}

/// `pattern`. The message quotes the pattern, never the value.
pub fn pattern(field: &str, value: &str, pattern: &Pattern) -> Result<(), ValidationError> {
    if !pattern.is_match(value) {
        return Err(ValidationError::new(
            field,
            format!("must match pattern {}", pattern.source()),
        ));
    }
    Ok(())
}

/// `minimum` (inclusive).
pub fn minimum(field: &str, value: i64, min: i64) -> Result<(), ValidationError> {
    if value < min {
        return Err(ValidationError::new(
            field,
            format!("must be at least {min} (is {value})"),
        ));
    }
    Ok(())
}

/// `maximum` (inclusive).
pub fn maximum(field: &str, value: i64, max: i64) -> Result<(), ValidationError> {
    if value > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} (is {value})"),
        ));
    }
    Ok(())
}

/// `minItems`: a list must hold at least `min` items.
pub fn min_items(field: &str, len: usize, min: usize) -> Result<(), ValidationError> {
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
    value: &crate::runtime::Amount,
    min: i64,
    exclusive: bool,
) -> Result<(), ValidationError> {
    let min_amount = crate::runtime::Amount::from(min);
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

/// A card number (`format: card-number`): see [`crate::runtime::CardNumber::check`].
pub fn card_number(field: &str, value: &crate::runtime::CardNumber) -> Result<(), ValidationError> {
    value.check(field)
}

/// A request-side enum value that the spec does not list (an `Unknown(..)` variant).
pub fn known_variant(field: &str, is_known: bool, allowed: &[&str]) -> Result<(), ValidationError> {
    if !is_known {
        return Err(ValidationError::new(
            field,
            format!("must be one of {}", allowed.join(", ")),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_field_and_rule_not_value() {
        static CARD: Pattern = Pattern::new(r"^\d{4}-\d{4}-\d{4}-\d{4}$");
        let err = pattern("card_number", "4242424242424242", &CARD).unwrap_err();
        assert_eq!(err.field(), "card_number");
        assert!(!err.to_string().contains("4242424242424242"));
        assert!(pattern("card_number", "4242-4242-4242-4242", &CARD).is_ok());
        let err = max_length("name", "가나다", 2)
            .unwrap_err()
            .within("schedules[0]");
        assert_eq!(err.field(), "schedules[0].name");
        assert_eq!(err.rule(), "must be at most 2 characters long (is 3)");
        let err = min_items("merchant_uid", 0, 1).unwrap_err();
        assert_eq!(err.rule(), "must hold at least 1 item (has 0)");
        assert!(min_items("merchant_uid", 1, 1).is_ok());
        let zero = crate::runtime::Amount::ZERO;
        let err = amount_minimum("amount", &zero, 0, true).unwrap_err();
        assert_eq!(err.rule(), "must be greater than 0 (is 0)");
        assert!(amount_minimum("amount", &zero, 0, false).is_ok());
        assert!(amount_minimum("amount", &1.into(), 0, true).is_ok());
    }
}
