//! The wire names of generated string enums, written once: [`wire_enum!`](crate::wire_enum)
//! derives `Serialize`, `Deserialize`, `VALUES`, `as_str`, `Display` and `FromStr` from one list
//! of `Variant = "wire"` pairs, so serde and the string forms cannot disagree.

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

/// Decodes a wire string with `parse` (`None`: not a listed value, an error naming `values`),
/// borrowed or owned, without allocating. Called by the serde impls of `wire_enum!`.
#[doc(hidden)]
pub fn deserialize_wire<'de, D, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
    values: &'static [&'static str],
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Wire<T> {
        parse: fn(&str) -> Option<T>,
        values: &'static [&'static str],
    }
    impl<T> serde::de::Visitor<'_> for Wire<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "one of {}", self.values.join(", "))
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
            (self.parse)(text).ok_or_else(|| E::unknown_variant(text, self.values))
        }
    }
    deserializer.deserialize_str(Wire { parse, values })
}

/// Implements `Serialize`, `Deserialize`, `VALUES`, `as_str`, `Display` and `FromStr` for a
/// generated string enum, from its one list of wire strings.
///
/// `wire_enum!(Name { Variant = "wire", ... })` for a closed enum (an unlisted value does not
/// decode); `wire_enum!(Name { Variant = "wire", ... } open)` for one with an `Unknown(String)`
/// variant, which keeps an unlisted value and also gets `is_known`.
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
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_wire(
                    deserializer,
                    |text| <Self as ::core::str::FromStr>::from_str(text).ok(),
                    Self::VALUES,
                )
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Open {
        Scheduled,
        Unknown(String),
    }
    crate::wire_enum!(Open { Scheduled = "payment.scheduled" } open);

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Closed {
        Real,
    }
    crate::wire_enum!(Closed { Real = "real" });

    #[test]
    fn one_list_gives_parse_print_and_serde() {
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
        let refused = serde_json::from_str::<Closed>("\"virtual\"").unwrap_err();
        assert!(refused.to_string().contains("expected `real`"), "{refused}");
        // Owned (escaped) strings decode too.
        let escaped: Open = serde_json::from_str("\"payment\\u002escheduled\"").unwrap();
        assert_eq!(escaped, Open::Scheduled);
    }
}
