//! The wire names of generated string enums: `VALUES`, `as_str`, `Display` and `FromStr`, from
//! one list, by [`wire_enum!`](crate::wire_enum).
//!
//! A generated enum derives `Serialize`/`Deserialize` with a `#[serde(rename = "...")]` per
//! variant (and an `#[serde(untagged)] Unknown(String)` catch-all on the response side); the
//! macro gives it the rest. A test of the generated code checks that both agree.

use std::fmt;

/// A text that is none of an enum's wire values (only closed, request-side enums refuse one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    /// The enum's name.
    pub enum_name: &'static str,
    /// The values it accepts.
    pub expected: &'static [&'static str],
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a {} value: expected one of {}",
            self.enum_name,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseEnumError {}

/// Implements `VALUES`, `as_str`, `Display` and `FromStr` for a generated string enum.
///
/// `wire_enum!(Name { Variant = "wire", ... })` for a closed enum;
/// `wire_enum!(Name { Variant = "wire", ... } open)` for one with an `Unknown(String)` variant,
/// which also gets `is_known`.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? } open) => {
        $crate::wire_enum!(@common $name { $($variant = $wire),* } Self::Unknown(value) => value.as_str());
        impl $name {
            /// Whether the value is one the spec lists (not `Unknown`).
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }
        impl $crate::runtime::validation::Known for $name {
            const LISTED: &'static [&'static str] = Self::VALUES;
            fn is_known(&self) -> bool {
                $name::is_known(self)
            }
        }
        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(match text {
                    $($wire => Self::$variant,)*
                    other => Self::Unknown(other.into()),
                })
            }
        }
    };
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        $crate::wire_enum!(@common $name { $($variant = $wire),* });
        impl ::core::str::FromStr for $name {
            type Err = $crate::runtime::ParseEnumError;
            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                match text {
                    $($wire => ::core::result::Result::Ok(Self::$variant),)*
                    _ => ::core::result::Result::Err($crate::runtime::ParseEnumError {
                        enum_name: ::core::stringify!($name),
                        expected: Self::VALUES,
                    }),
                }
            }
        }
    };
    (@common $name:ident { $($variant:ident = $wire:literal),* } $($unknown:pat => $text:expr)?) => {
        impl $name {
            /// The values the spec lists, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[$($wire),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    $($unknown => $text,)?
                }
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    enum Open {
        #[serde(rename = "payment.scheduled")]
        Scheduled,
        #[serde(untagged)]
        Unknown(String),
    }
    crate::wire_enum!(Open { Scheduled = "payment.scheduled" } open);

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    enum Closed {
        #[serde(rename = "real")]
        Real,
    }
    crate::wire_enum!(Closed { Real = "real" });

    #[test]
    fn names_parse_print_and_agree_with_serde() {
        assert_eq!("payment.scheduled".parse(), Ok(Open::Scheduled));
        assert_eq!("later".parse(), Ok(Open::Unknown("later".into())));
        assert_eq!(Open::Unknown("later".into()).to_string(), "later");
        assert!(!Open::Unknown("later".into()).is_known() && Open::Scheduled.is_known());
        let decoded: Open = serde_json::from_str("\"later\"").unwrap();
        assert_eq!(decoded, Open::Unknown("later".into()));
        assert_eq!(serde_json::to_string(&decoded).unwrap(), "\"later\"");
        assert_eq!(
            serde_json::to_string(&Open::Scheduled).unwrap(),
            format!("\"{}\"", Open::Scheduled)
        );
        let err = "virtual".parse::<Closed>().unwrap_err();
        assert_eq!(err.to_string(), "not a Closed value: expected one of real");
        assert_eq!(Closed::VALUES, ["real"]);
        assert_eq!(Open::VALUES, ["payment.scheduled"]);
        assert!(serde_json::from_str::<Closed>("\"virtual\"").is_err());
    }
}
