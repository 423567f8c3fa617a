//! [`CardNumber`]: a card number in any usual spelling, sent in i'mport's dashed form.

use crate::runtime::{Secret, ValidationError};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A card number (`format: card-number` in the spec): secret, tolerant of spelling, checked.
///
/// Accepts 13 to 16 digits written with or without dashes or spaces (`4242424242424242`,
/// `4242 4242 4242 4242`, `4242-4242-4242-4242`) and keeps them in i'mport's dashed form, which
/// is what [`Serialize`] writes and [`CardNumber::expose`] returns. i'mport counts digits and
/// ignores separators (its Swagger documents `cvc` as "AMEX의 경우 4자리": 15-digit AMEX cards
/// are charged through these calls), so the grouping only follows the card's printed layout. More
/// than 16 digits are refused: i'mport cuts a longer number to its first 16 digits before calling
/// the PG (<https://github.com/iamport/iamport-manual/issues/23>), which would charge some other
/// number.
///
/// | digits | groups | cards |
/// |---|---|---|
/// | 16 | 4-4-4-4 | Visa, Mastercard, most others |
/// | 15 | 4-6-5 | American Express |
/// | 14 | 4-6-4 | Diners Club |
/// | 13 | 4-4-5 | older Visa |
///
/// Any other text is kept as given, so that [`CardNumber::check`] (called by the generated
/// `validate()`) reports it, naming the field and the rule but never the value. The Luhn check
/// digit is checked too, as a helpful client-side error before a PG declines the card.
///
/// Like [`Secret`], `Debug` prints `[REDACTED]`, there is no `Display`, and the memory is zeroed
/// on drop. Decoding is as tolerant as construction, so a server built on the same types (the
/// sandbox) accepts every spelling.
#[derive(Clone, Default)]
pub struct CardNumber(Secret);

impl CardNumber {
    /// Wraps a card number, normalizing a well-formed one to the dashed form.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        match dashed(&value) {
            Some(normalized) => CardNumber(Secret::new(normalized)),
            None => CardNumber(Secret::new(value)),
        }
    }

    /// The number as sent on the wire (dashed when well formed). Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The digits only.
    pub fn digits(&self) -> String {
        self.expose().chars().filter(char::is_ascii_digit).collect()
    }

    /// The number with every digit but the last four replaced by `*` (for receipts).
    pub fn masked(&self) -> String {
        self.0.masked(4)
    }

    /// Checks the number: digits with optional dashes or spaces, 13 to 16 digits, a valid Luhn
    /// check digit. The error names `field` and the rule, never the value.
    pub fn check(&self, field: &str) -> Result<(), ValidationError> {
        let raw = self.expose();
        if raw.is_empty() {
            return Err(ValidationError::new(
                field,
                "is required and must not be empty",
            ));
        }
        if !raw
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        {
            return Err(ValidationError::new(
                field,
                "must hold only digits, dashes and spaces",
            ));
        }
        let digits = self.digits();
        if digits.len() > 16 {
            return Err(ValidationError::new(
                field,
                format!(
                    "must have at most 16 digits (has {}): i'mport would cut it to 16",
                    digits.len()
                ),
            ));
        }
        if !(13..=16).contains(&digits.len()) {
            return Err(ValidationError::new(
                field,
                format!("must have 13 to 16 digits (has {})", digits.len()),
            ));
        }
        if !luhn(&digits) {
            return Err(ValidationError::new(
                field,
                "fails the Luhn check digit: the number is mistyped",
            ));
        }
        Ok(())
    }
}

/// The dashed form of a well-formed number (13–16 digits, separators `-` or ` `), else `None`.
fn dashed(value: &str) -> Option<String> {
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        return None;
    }
    let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
    let groups: &[usize] = match digits.len() {
        16 => &[4, 4, 4, 4],
        15 => &[4, 6, 5],
        14 => &[4, 6, 4],
        13 => &[4, 4, 5],
        _ => return None,
    };
    let mut out = String::with_capacity(digits.len() + groups.len());
    let mut rest = digits.as_slice();
    for (i, len) in groups.iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        let (group, tail) = rest.split_at(*len);
        out.extend(group);
        rest = tail;
    }
    Some(out)
}

/// The Luhn (mod 10) check over ASCII digits.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<&str> for CardNumber {
    fn from(value: &str) -> Self {
        CardNumber::new(value)
    }
}

impl From<String> for CardNumber {
    fn from(value: String) -> Self {
        CardNumber::new(value)
    }
}

impl From<Secret> for CardNumber {
    fn from(value: Secret) -> Self {
        CardNumber::new(value.expose())
    }
}

impl Serialize for CardNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for CardNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(CardNumber::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_goes_out_dashed() {
        for (input, wire) in [
            ("4242424242424242", "4242-4242-4242-4242"),
            ("4242 4242 4242 4242", "4242-4242-4242-4242"),
            ("4242-4242-4242-4242", "4242-4242-4242-4242"),
            ("378282246310005", "3782-822463-10005"),
            ("3782 822463 10005", "3782-822463-10005"),
            ("30569309025904", "3056-930902-5904"),
            ("4222222222222", "4222-2222-22222"),
        ] {
            let card = CardNumber::from(input);
            assert_eq!(card.expose(), wire, "{input}");
            assert_eq!(serde_json::to_string(&card).unwrap(), format!("\"{wire}\""));
            let decoded: CardNumber = serde_json::from_str(&format!("\"{input}\"")).unwrap();
            assert_eq!(decoded.expose(), wire);
            assert!(card.check("card_number").is_ok(), "{input}");
        }
    }

    #[test]
    fn errors_name_field_and_rule_never_the_value() {
        let luhn = CardNumber::from("4242-4242-4242-4241").check("card_number");
        let err = luhn.unwrap_err();
        assert_eq!(err.field(), "card_number");
        assert!(err.rule().contains("Luhn"), "{}", err.rule());
        assert!(!err.to_string().contains("4241"));
        let short = CardNumber::from("4242-4242")
            .check("card_number")
            .unwrap_err();
        assert_eq!(short.rule(), "must have 13 to 16 digits (has 8)");
        let letters = CardNumber::from("4242-4242-4242-424x")
            .check("card_number")
            .unwrap_err();
        assert_eq!(letters.rule(), "must hold only digits, dashes and spaces");
        assert!(CardNumber::default().check("card_number").is_err());
        // i'mport cuts longer numbers to 16 digits: refused, whatever their check digit.
        for long in [
            "6200000000000000000",
            "4242-4242-4242-4242-1",
            "4242424242424242 12",
        ] {
            let err = CardNumber::from(long).check("card_number").unwrap_err();
            assert!(
                err.rule().starts_with("must have at most 16 digits"),
                "{}",
                err.rule()
            );
            assert!(!err.to_string().contains("4242"));
        }
    }

    #[test]
    fn debug_is_redacted() {
        let card = CardNumber::from("4242424242424242");
        assert_eq!(format!("{card:?}"), "[REDACTED]");
        assert_eq!(card.masked(), "****-****-****-4242");
        assert_eq!(card.digits(), "4242424242424242");
    }
}
