//! Decoding i'mport's envelope `{code, message, response}` in **one pass** over the body, the
//! payment's `status` included.
//!
//! A successful answer is decoded straight into `Envelope<T>`; for a charge or a cancel the
//! payment's `status` is noted on the way ([`Peeked`]), so judging the payment costs no second
//! parse. Only error paths (a refusal, a decline, a body that does not match) parse again, to
//! build the error.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, forward_to_deserialize_any};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// The envelope with a typed `response`.
#[derive(Deserialize)]
pub(crate) struct Envelope<R> {
    /// `0` on success.
    pub(crate) code: i64,
    /// The payload (`message` is not read here: a refusal is decoded again, as a
    /// [`RefusalEnvelope`]); absent or `null` on refusals.
    #[serde(default = "none")]
    pub(crate) response: Option<R>,
}

fn none<R>() -> Option<R> {
    None
}

/// The envelope with its `response` kept as raw JSON (error paths: excerpts, refusals).
pub(crate) type RawEnvelope = Envelope<Box<RawValue>>;

/// A refusal's envelope: `code`, `message`, and every other member but `response` (kept for
/// [`Error::Api`](crate::Error::Api)'s `extra`). `response` is skipped without being buffered.
pub(crate) struct RefusalEnvelope {
    /// Non-zero on a refusal.
    pub(crate) code: i64,
    /// i'mport's message.
    pub(crate) message: Option<String>,
    /// The other members.
    pub(crate) rest: serde_json::Map<String, serde_json::Value>,
}

impl<'de> Deserialize<'de> for RefusalEnvelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefusalVisitor;
        impl<'de> Visitor<'de> for RefusalVisitor {
            type Value = RefusalEnvelope;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("i'mport's envelope")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RefusalEnvelope, A::Error> {
                let (mut code, mut message) = (None, None);
                let mut rest = serde_json::Map::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "code" => code = Some(map.next_value::<i64>()?),
                        "message" => message = map.next_value::<Option<String>>()?,
                        "response" => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                        other => {
                            let value = map.next_value::<serde_json::Value>()?;
                            rest.insert(other.to_owned(), value);
                        }
                    }
                }
                let code = code.ok_or_else(|| de::Error::missing_field("code"))?;
                Ok(RefusalEnvelope {
                    code,
                    message,
                    rest,
                })
            }
        }
        deserializer.deserialize_map(RefusalVisitor)
    }
}

/// Parses JSON: every parse of a response goes through here, so tests can count them.
pub(crate) fn parse<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, serde_json::Error> {
    #[cfg(test)]
    tests::PARSES.with(|n| n.set(n.get() + 1));
    serde_json::from_slice(bytes)
}

/// `T` absent or `null`: decoded from a unit value, so `Option`s become `None` and anything
/// else is a clear "invalid type: unit value" error, without parsing anything.
pub(crate) fn from_null<T: DeserializeOwned>() -> Result<T, serde_json::Error> {
    T::deserialize(de::value::UnitDeserializer::<serde_json::Error>::new())
}

/// A value decoded as `T` while its top-level `status` string is noted.
pub(crate) struct Peeked<T> {
    /// The value.
    pub(crate) value: T,
    /// The `status` field of the object, when it was a string.
    pub(crate) status: Option<String>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Peeked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut status = None;
        let value = T::deserialize(Peek {
            inner: deserializer,
            status: &mut status,
        })?;
        Ok(Peeked { value, status })
    }
}

/// A deserializer that hands everything to `inner`, watching the keys of the top-level object.
struct Peek<'s, D> {
    inner: D,
    status: &'s mut Option<String>,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Peek<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(PeekVisitor {
            inner: visitor,
            status: self.status,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct PeekVisitor<'s, V> {
    inner: V,
    status: &'s mut Option<String>,
}

macro_rules! forward_visits {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for PeekVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visits! {
        visit_bool(bool), visit_i64(i64), visit_u64(u64), visit_f64(f64), visit_str(&str),
        visit_borrowed_str(&'de str), visit_string(String),
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.inner.visit_none()
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_map(PeekMap {
            inner: map,
            status: self.status,
            next_is_status: false,
        })
    }
}

/// The object's entries: keys read as (borrowed when possible) strings and handed on; the value
/// of `status` read as a string, noted, and handed on.
struct PeekMap<'s, A> {
    inner: A,
    status: &'s mut Option<String>,
    next_is_status: bool,
}

/// A string that borrows from the input unless it had escapes.
struct Text<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

fn hand_on<'de, S: DeserializeSeed<'de>, E: de::Error>(
    seed: S,
    text: Cow<'de, str>,
) -> Result<S::Value, E> {
    match text {
        Cow::Borrowed(s) => seed.deserialize(de::value::BorrowedStrDeserializer::new(s)),
        Cow::Owned(s) => seed.deserialize(de::value::StringDeserializer::new(s)),
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for PeekMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.inner.next_key::<Text<'de>>()? {
            None => Ok(None),
            Some(Text(key)) => {
                self.next_is_status = key == "status";
                hand_on(seed, key).map(Some)
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        if !std::mem::take(&mut self.next_is_status) {
            return self.inner.next_value_seed(seed);
        }
        match self.inner.next_value::<Option<Text<'de>>>()? {
            Some(Text(status)) => {
                *self.status = Some(status.clone().into_owned());
                hand_on(seed, status)
            }
            None => seed.deserialize(de::value::UnitDeserializer::new()),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::types::{Payment, PaymentStatus};
    use std::cell::Cell;

    thread_local! {
        /// JSON parses made through [`parse`] on this thread.
        pub(crate) static PARSES: Cell<usize> = const { Cell::new(0) };
    }

    #[test]
    fn peeked_decodes_the_value_and_notes_its_status() {
        let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"m\u002d1","status":"paid","amount":1000,"cancel_amount":0,"currency":"KRW","sandbox":false,"pay_method":"card","channel":"api","pg_provider":"nice","paid_at":1,"failed_at":0,"cancel_history":[],"extra":{"status":"nested"}}}"#;
        let envelope: Envelope<Peeked<Payment>> = parse(body).unwrap();
        let peeked = envelope.response.unwrap();
        assert_eq!(peeked.status.as_deref(), Some("paid"));
        assert_eq!(peeked.value.status, PaymentStatus::Paid);
        assert_eq!(peeked.value.merchant_uid, "m-1");
    }

    #[test]
    fn peek_leaves_errors_and_other_shapes_alone() {
        let wrong: Result<Envelope<Peeked<Payment>>, _> =
            parse(br#"{"code":0,"response":{"imp_uid":1,"status":"paid"}}"#);
        assert!(wrong.is_err());
        let list: Envelope<Peeked<Vec<u8>>> = parse(br#"{"code":0,"response":[1,2]}"#).unwrap();
        let peeked = list.response.unwrap();
        assert_eq!(peeked.value, [1, 2]);
        assert_eq!(peeked.status, None);
        assert_eq!(
            from_null::<Option<Payment>>().unwrap().map(|p| p.imp_uid),
            None
        );
        assert!(from_null::<Payment>().is_err());
    }
}
