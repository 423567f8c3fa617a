//! The error a request that breaks a rule of the spec gets, from [`super::validation`] and from
//! the types that check themselves ([`super::CardNumber`]).

use std::fmt;

/// A request that breaks a rule of the spec. Raised before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    field: String,
    rule: String,
}

impl ValidationError {
    /// An error for `field` breaking `rule`.
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// The field's path in the request, e.g. `card_number` or `schedules[1].amount`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The rule it breaks, e.g. `must match pattern ^\d{4}-(0[1-9]|1[0-2])$`.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// Places this error under `parent` (a field holding a nested object or a list item).
    #[must_use]
    pub fn within(mut self, parent: impl fmt::Display) -> Self {
        self.field = format!("{parent}.{}", self.field);
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request field `{}`: {}", self.field, self.rule)
    }
}

impl std::error::Error for ValidationError {}
