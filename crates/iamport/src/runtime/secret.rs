//! [`Secret`]: card data and credentials that never print.

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A sensitive string (`format: password` in the spec): card number, expiry, birth, `pwd_2digit`,
/// `cvc`, `imp_secret`, access tokens.
///
/// Built on [`secrecy::SecretString`]: the memory is zeroed on drop, and `Debug` prints
/// `[REDACTED]`. There is no `Display`. It serializes in clear, because the wire needs the value;
/// read it yourself only through [`Secret::expose`].
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a sensitive value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The value in clear. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The value with all but the last `keep` characters replaced by `*` (for receipts).
    pub fn masked(&self, keep: usize) -> String {
        let chars: Vec<char> = self.expose().chars().collect();
        let cut = chars.len().saturating_sub(keep);
        chars
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i < cut && c.is_ascii_alphanumeric() {
                    '*'
                } else {
                    *c
                }
            })
            .collect()
    }
}

impl Default for Secret {
    fn default() -> Self {
        Secret::new(String::new())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_serialize_exposes() {
        let s = Secret::from("4242-4242-4242-4242");
        assert_eq!(format!("{s:?}"), "[REDACTED]");
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            "\"4242-4242-4242-4242\""
        );
        assert_eq!(s.masked(4), "****-****-****-4242");
    }
}
