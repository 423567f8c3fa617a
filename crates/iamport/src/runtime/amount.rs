//! [`Amount`]: an exact decimal amount of money that is a JSON number on the wire.

use rust_decimal::Decimal;
use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;
use std::str::FromStr;

/// An exact amount of money (`type: number` in the spec).
///
/// i'mport sends and receives amounts as JSON numbers (`"amount": 12.34`). `Amount` never passes
/// them through binary floating point: it decodes the number's **text** as the server sent it
/// (through [`serde_json::value::RawValue`]) straight into a [`rust_decimal::Decimal`], so
/// `12.34` is exactly twelve and 34 hundredths, and `0.1 + 0.2 == 0.3`. It encodes back to the
/// same digits, as a JSON number (an integer stays an integer: `1000` is sent as `1000`).
///
/// Decoding also accepts a JSON string holding a number (`"1000"`), as form-encoded clients send.
/// Amounts decode from JSON text (`serde_json::from_str`, `from_slice`, `from_reader`), which is
/// how the client and the sandbox read bodies.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Wraps an exact decimal.
    pub const fn new(value: Decimal) -> Self {
        Amount(value)
    }

    /// The exact decimal value.
    pub const fn as_decimal(&self) -> Decimal {
        self.0
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// `self - other`, or `None` on overflow.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.0.checked_sub(other.0).map(Amount)
    }

    /// `self + other`, or `None` on overflow.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }
}

/// Why a text is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal amount: {0}")]
pub struct ParseAmountError(String);

/// Parses money as written in JSON: the JSON number grammar
/// (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, RFC 8259 §6), which is also how
/// i'mport writes amounts, as numbers or inside strings (`1000`, `"1000"`, `12.34`). Nothing
/// else: no surrounding spaces, no `+` sign, no `_` separators (`"1_000"`), no bare `.5`.
impl FromStr for Amount {
    type Err = ParseAmountError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if !is_json_number(s) {
            return Err(ParseAmountError(excerpt(s)));
        }
        let parsed = if s.contains(['e', 'E']) {
            Decimal::from_scientific(s)
        } else {
            Decimal::from_str_exact(s)
        };
        parsed.map(Amount).map_err(|_| ParseAmountError(excerpt(s)))
    }
}

/// Whether `s` is exactly one JSON number (RFC 8259 §6).
fn is_json_number(s: &str) -> bool {
    fn digits(b: &[u8]) -> usize {
        b.iter().take_while(|c| c.is_ascii_digit()).count()
    }
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(&b[i..]),
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        let n = digits(&b[i + 1..]);
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(&b[i..]);
        if n == 0 {
            return false;
        }
        i += n;
    }
    i == b.len()
}

fn excerpt(s: &str) -> String {
    s.chars().take(32).collect()
}

impl From<Decimal> for Amount {
    fn from(value: Decimal) -> Self {
        Amount(value)
    }
}

impl From<Amount> for Decimal {
    fn from(value: Amount) -> Self {
        value.0
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Amount {
            fn from(value: $t) -> Self {
                Amount(Decimal::from(value))
            }
        }
    )*};
}
from_int!(i32, i64, u32, u64);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.scale() == 0
            && let Ok(n) = i64::try_from(self.0)
        {
            return serializer.serialize_i64(n);
        }
        let raw = RawValue::from_string(self.0.to_string()).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <Box<RawValue>>::deserialize(deserializer)?;
        let text = raw.get();
        let number = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(inner) => inner,
            None => text,
        };
        number.parse::<Amount>().map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_decimal_text_exactly() {
        let a: Amount = serde_json::from_str("12.34").unwrap();
        assert_eq!(a.as_decimal(), Decimal::new(1234, 2));
        let b: Amount = serde_json::from_str("0.1").unwrap();
        let c: Amount = serde_json::from_str("0.2").unwrap();
        assert_eq!(b.checked_add(c).unwrap(), "0.3".parse().unwrap());
    }

    #[test]
    fn encodes_as_json_number_with_same_digits() {
        assert_eq!(serde_json::to_string(&Amount::from(1000)).unwrap(), "1000");
        let a: Amount = "12.30".parse().unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), "12.30");
    }

    #[test]
    fn accepts_strings_and_exponents_rejects_garbage() {
        let a: Amount = serde_json::from_str("\"1000\"").unwrap();
        assert_eq!(a, Amount::from(1000));
        let e: Amount = serde_json::from_str("1.5e3").unwrap();
        assert_eq!(e, Amount::from(1500));
        assert!(serde_json::from_str::<Amount>("\"ten\"").is_err());
        assert!(serde_json::from_str::<Amount>("true").is_err());
    }

    #[test]
    fn parses_the_json_number_grammar_only() {
        for ok in [
            "0", "-0", "1000", "12.34", "0.5", "1e3", "1.5E+3", "25e-1", "-7.25",
        ] {
            assert!(ok.parse::<Amount>().is_ok(), "{ok}");
        }
        assert_eq!("25e-1".parse::<Amount>().unwrap(), "2.5".parse().unwrap());
        for bad in [
            "1_000", "1__0", " 1000 ", "1000 ", "+1000", ".5e4", ".5", "5.", "01", "1e", "1e+",
            "--1", "", "-", "0x10", "1,000", "NaN", "inf",
        ] {
            assert!(bad.parse::<Amount>().is_err(), "{bad:?} was accepted");
        }
        assert!(serde_json::from_str::<Amount>("\"1_000\"").is_err());
        assert!(serde_json::from_str::<Amount>("\" 1000\"").is_err());
    }
}
