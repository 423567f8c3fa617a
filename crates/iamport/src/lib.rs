//! Synchronous i'mport (PortOne V1) subscription-billing client: charge a card once, store it as
//! a billing key, charge the billing key every month, schedule payments, refund. Generated from
//! `spec/iamport.json`, with the money-safety rules i'mport's own SDKs leave to the caller.
//!
//! **Start here**: [charge a card once](#flow-1-a-one-time-payment) ·
//! [store a billing key with a first payment](#flow-2-a-billing-key-and-its-first-payment) ·
//! [charge a billing key (subscription renewal)](#flow-3-charging-a-billing-key) ·
//! [every operation](#operations) · [limits](#limits).
//!
//! Every operation of the spec is a method of the [`Api`] trait, implemented by [`Client`]
//! (`use iamport::Api;`): `client.charge_card(&req)`, `client.charge_billing_key(&req)`,
//! `client.schedule_payments(&req)`, ... Requests are checked against the spec before anything is sent
//! ([`Error::Validation`] names the field and the rule); amounts are exact decimals
//! ([`Amount`]); card data and credentials are [`Secret`]s that never print.
//!
//! # The client
//!
//! ```no_run
//! # fn main() -> Result<(), iamport::Error> {
//! // IAMPORT_API_KEY, IAMPORT_API_SECRET and (optionally) IAMPORT_BASE_URL.
//! let client = iamport::Client::from_env()?;
//! // or, with every setting:
//! let client = iamport::Client::builder()
//!     .imp_key("imp_apikey")
//!     .imp_secret("...")
//!     .connect_timeout(std::time::Duration::from_secs(5))
//!     .read_timeout(std::time::Duration::from_secs(30))
//!     .timeout(std::time::Duration::from_secs(60))
//!     .build()?;
//! # let _ = client; Ok(()) }
//! ```
//!
//! One [`Client`] holds one connection pool and one access-token cache; it is `Send + Sync` and
//! cheap to clone: share one per process. Plain `http://` is refused for any host but loopback
//! (`127.0.0.0/8`, `::1`, `localhost`): card data only travels over TLS.
//!
//! **Tokens** are fetched on first use and cached. Their expiry comes from the server's own
//! `expired_at - now` measured on the local monotonic clock, so a wrong local clock does not
//! matter; they are refreshed [`token_refresh_margin`](ClientBuilder::token_refresh_margin)
//! (30 s, inside the server's one-minute extension window: earlier, i'mport answers the same
//! token and expiry) early; a refresh answered with an unchanged expiry keeps the token until
//! that expiry instead of asking again.
//! Many threads needing a token at once cause a single `getToken`. On HTTP 401 the
//! token is refreshed once and the call repeated once.
//!
//! **Retries**: only the operations of kind [`Read`](runtime::OperationKind::Read) (the `GET`s
//! of the [table](#operations)) are retried, on transport errors and 5xx, up to
//! [`read_attempts`](ClientBuilder::read_attempts) (3) times with exponential backoff. Writes and
//! charges are never retried, except for the single 401 refresh-and-repeat.
//!
//! **Logging** goes through the [`log`](https://docs.rs/log) facade, target `iamport`: method,
//! path, status, duration and `merchant_uid` of each request, never a body, a query or a header;
//! nothing is formatted when no logger takes the line. At `trace` level ureq dumps every byte it
//! sends and receives as hex rows: the client hands ureq placeholders only (`Bearer ****`, a
//! body of `*`s of the same length, `getToken`'s `access_token` masked as it arrives) and puts
//! the real bytes on the wire in a transport layer below ureq's protocol layer, so no log level
//! and no logger can print a token, the `imp_secret` or card data.
//!
//! **No thread per call**: host names are resolved on the calling thread and cached for 60 s
//! (ureq's own resolver starts an OS thread for every look-up once a deadline is set); answers
//! are decoded in one pass.
//!
//! # Payments: outcomes that cannot be overlooked
//!
//! i'mport answers a **declined** card with `code: 0` and a payment whose `status` is `failed`;
//! its official SDKs return that payment as a success value. Here a charge (`onetime`, `again`,
//! `retry_schedule_by_mid`) is `Ok` **only** when the payment is `paid`:
//!
//! * [`Error::Declined`]: the card company refused (`fail_reason` says why; `payment` is the failed
//!   payment). Nothing was charged by this request, but some PGs (PAYMENTWALL, after its fraud
//!   review) may approve the same payment later and send a `paid` webhook: keep handling webhooks.
//! * [`Error::NotPaid`]: any other status (e.g. `ready`).
//! * [`Error::OutcomeUnknown`]: the request may have reached i'mport but the answer was lost
//!   (timeout, connection reset, any 5xx: a PG timeout surfaces as a 500 and proves nothing). The
//!   card **may** have been charged; it is never retried automatically. Call
//!   [`Client::reconcile`] with its `merchant_uid`.
//! * [`Error::DuplicateMerchantUid`]: i'mport refused the charge because its `merchant_uid` is
//!   already paid or still being paid ("이미 결제가 완료된 merchant_uid입니다"): after an
//!   unknown outcome, the first request landed; reconcile it.
//! * [`Error::Api`]: i'mport refused the request (non-zero `code`, or a 4xx with a message).
//!
//! So a `?` can never let a decline pass as a payment.
//!
//! ## Retrying safely after an unknown outcome
//!
//! [`Client::reconcile`] right after a timeout can answer [`Reconciled::NotFound`] while i'mport
//! (or the card company) is still processing the first request: "not seen **yet**", not "not
//! charged". The only safe re-charge is **the same request with the same `merchant_uid`**:
//! i'mport refuses a second payment for a `merchant_uid` that is already paid, so whatever the
//! first request became, the card is charged at most once. A re-charge under a new
//! `merchant_uid` can charge the card twice. If the first request landed meanwhile, that re-send
//! is refused with [`Error::DuplicateMerchantUid`]: reconcile again, and it reads `Paid`.
//!
//! [`Client::settle_charge`] runs this recipe to its end (send; on an unknown outcome or a
//! duplicate refusal wait, reconcile, re-send the same request while i'mport has not seen it),
//! and returns the paid payment, [`Error::Declined`], or [`Error::OutcomeUnknown`] when it is
//! still unknown after the attempts you allowed:
//!
//! ```no_run
//! # use iamport::{Client, Error, types::ChargeBillingKeyRequest, Amount};
//! # fn main() -> Result<(), Error> {
//! # let client = Client::from_env()?;
//! # let request = ChargeBillingKeyRequest::new("customer_1234", "order-1", Amount::from(8900), "plan");
//! // Up to 10 look-ups, 2 s apart, after a lost answer.
//! match client.settle_charge(&request, 10, std::time::Duration::from_secs(2)) {
//!     Ok(payment) => println!("paid: {}", payment.imp_uid),
//!     Err(Error::Declined { fail_reason, .. }) => println!("declined: {fail_reason:?}"),
//!     Err(still_unknown @ Error::OutcomeUnknown { .. }) => {
//!         println!("{still_unknown}: reconcile later, never under a new merchant_uid")
//!     }
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! A lost `cancel_payment` is [`Error::CancelOutcomeUnknown`] (refunded or not): look the payment
//! up with [`Client::reconcile_imp_uid`] / [`Client::reconcile`] and compare its `cancel_amount`
//! before cancelling again.
//!
//! ## Flow 1: a one-time payment
//!
//! A key-in payment with a card number; the card is not stored.
//!
//! ```no_run
//! use iamport::types::ChargeCardRequest;
//! use iamport::{Amount, Client, Error, Reconciled};
//!
//! # fn main() -> Result<(), Error> {
//! let client = Client::from_env()?;
//! let request = ChargeCardRequest {
//!     merchant_uid: "order-20260101-0001".into(),
//!     amount: "12000".parse::<Amount>().expect("an amount"),
//!     card_number: "4242-4242-4242-4242".into(),
//!     expiry: "2029-12".into(),
//!     birth: Some("880101".into()),
//!     pwd_2digit: Some("12".into()),
//!     name: Some("Monthly plan".into()),
//!     ..Default::default()
//! };
//! match client.charge_card(&request) {
//!     Ok(payment) => println!("paid: {} ({})", payment.imp_uid, payment.amount),
//!     Err(Error::Declined { fail_reason, .. }) => {
//!         println!("card declined: {}", fail_reason.as_deref().unwrap_or("no reason given"));
//!     }
//!     Err(Error::OutcomeUnknown { merchant_uid, .. }) => match client.reconcile(&merchant_uid)? {
//!         Reconciled::Paid(payment) => println!("paid after all: {}", payment.imp_uid),
//!         Reconciled::Declined(payment) => println!("declined: {:?}", payment.fail_reason),
//!         // Not seen yet: re-send the *same* request (same merchant_uid). i'mport refuses a
//!         // second payment for a paid merchant_uid (Error::DuplicateMerchantUid: reconcile
//!         // again), so this can never charge twice. `settle_charge` does all of this.
//!         Reconciled::NotFound => println!("retried: {:?}", client.charge_card(&request).map(|p| p.imp_uid)),
//!         other => println!("needs a look: {other:?}"),
//!     },
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! ## Flow 2: a billing key and its first payment
//!
//! PAYMENTWALL cannot issue a billing key without a payment: give `customer_uid` to `onetime`, and
//! the card is stored under it when the payment succeeds. PAYMENTWALL needs `cvc`, `browser_ip`
//! and `buyer_email` (the same e-mail must be sent with every later `again`), and `buyer_name` as
//! "First Last".
//!
//! ```no_run
//! use iamport::types::ChargeCardRequest;
//! use iamport::{Amount, Client, Error, Reconciled};
//!
//! # fn main() -> Result<(), Error> {
//! let client = Client::from_env()?;
//! let request = ChargeCardRequest {
//!     pg: Some("paymentwall".into()),
//!     merchant_uid: "sub-42-2026-01".into(),
//!     customer_uid: Some("customer-42-card-1".into()),
//!     amount: "9.99".parse::<Amount>().expect("an amount"),
//!     currency: Some("USD".into()),
//!     card_number: "4242-4242-4242-4242".into(),
//!     expiry: "2029-12".into(),
//!     cvc: Some("123".into()),
//!     birth: Some("000000".into()),
//!     name: Some("Pro plan".into()),
//!     buyer_name: Some("Jane Doe".into()),
//!     buyer_email: Some("jane@example.com".into()),
//!     browser_ip: Some("203.0.113.7".into()),
//!     ..Default::default()
//! };
//! match client.charge_card(&request) {
//!     Ok(payment) => println!("paid, billing key {:?} stored", payment.customer_uid),
//!     Err(Error::Declined { fail_reason, payment, .. }) => {
//!         println!("declined ({}), no billing key: {}", payment.imp_uid, fail_reason.unwrap_or_default());
//!     }
//!     Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
//!         // Never charge again under a new merchant_uid: reconcile, and if i'mport has not seen
//!         // the payment yet, re-send this same request later (same merchant_uid).
//!         let outcome = client.reconcile(&merchant_uid)?;
//!         println!("reconciled: paid = {}", outcome.is_paid());
//!     }
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! ## Flow 3: charging a billing key
//!
//! The recurring payment of a subscription: `again` charges the card stored under
//! `customer_uid`. An unknown billing key is [`Error::NotFound`], whether i'mport answers it
//! with HTTP 404 or, as the real server does, HTTP 200 and a non-zero `code`.
//!
//! ```no_run
//! use iamport::types::ChargeBillingKeyRequest;
//! use iamport::{Amount, Client, Error, Reconciled};
//!
//! # fn main() -> Result<(), Error> {
//! let client = Client::from_env()?;
//! let request = ChargeBillingKeyRequest {
//!     customer_uid: "customer-42-card-1".into(),
//!     merchant_uid: "sub-42-2026-02".into(),
//!     amount: "9.99".parse::<Amount>().expect("an amount"),
//!     currency: Some("USD".into()),
//!     name: "Pro plan".into(),
//!     buyer_name: Some("Jane Doe".into()),
//!     buyer_email: Some("jane@example.com".into()),
//!     browser_ip: Some("203.0.113.7".into()),
//!     ..Default::default()
//! };
//! match client.charge_billing_key(&request) {
//!     Ok(payment) => println!("renewed: {}", payment.imp_uid),
//!     Err(Error::Declined { fail_reason, .. }) => {
//!         println!("renewal declined, start dunning: {fail_reason:?}");
//!     }
//!     Err(Error::OutcomeUnknown { merchant_uid, .. }) => match client.reconcile(&merchant_uid)? {
//!         Reconciled::Paid(payment) => println!("renewed after all: {}", payment.imp_uid),
//!         Reconciled::Declined(payment) => println!("declined: {:?}", payment.fail_reason),
//!         // Not seen yet: only the same request with the same merchant_uid is a safe retry.
//!         Reconciled::NotFound => match client.charge_billing_key(&request) {
//!             Ok(payment) => println!("renewed: {}", payment.imp_uid),
//!             // The first request landed meanwhile: reconcile again (it reads Paid).
//!             Err(Error::DuplicateMerchantUid { .. }) => println!("{:?}", client.reconcile(&merchant_uid)?),
//!             Err(error) => println!("still unsettled, reconcile later: {error}"),
//!         },
//!         other => println!("needs a look: {other:?}"),
//!     },
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! # Webhooks
//!
//! V1 webhooks are unsigned: parse them with [`WebhookPayload::parse`] and confirm them with
//! [`Client::verify_webhook`], which looks the payment up and returns it.
//!
//! ```no_run
//! # fn handle(client: &iamport::Client, content_type: Option<&str>, body: &[u8]) -> Result<(), iamport::Error> {
//! let payload = iamport::WebhookPayload::parse(content_type, body)?;
//! let payment = client.verify_webhook(&payload)?;
//! if payment.status == iamport::types::PaymentStatus::Paid {
//!     // compare payment.amount with the order, then fulfil it (idempotently)
//! }
//! # Ok(()) }
//! ```
//!
#![doc = include_str!("docs/async.md")]
//!
//! # Features
//!
//! * `rustls` (default): TLS through rustls with the Mozilla roots.
//! * `native-tls`: TLS through the platform's library; with `default-features = false` it
//!   replaces rustls. Without either, an `https://` base URL is [`ConfigError::NoTls`] at build
//!   time (plain `http://` to a loopback sandbox still works).
//! * `macros`: re-exports `iamport_macros::api!` as `iamport::api!`, to generate a client from
//!   a spec of your own with one dependency.
//!
//! # Operations
//!
//! Every operation of the spec, as a method of [`Api`] (English summary first; the method docs
//! add upstream's Korean text):
//!
#![doc = include_str!("docs/operations.md")]
//!
//! # Limits
//!
//! Every limit is finite; what happens beyond each:
//!
//! | limit | default | beyond it |
//! |---|---|---|
//! | successful answer size, [`max_response_bytes`](ClientBuilder::max_response_bytes) | 8 MiB | not read further: [`Error::ResponseTooLarge`] (for a charge or cancel, inside an unknown outcome); memory stays within about twice the limit |
//! | error answer size, [`ClientBuilder::MAX_ERROR_BODY_BYTES`] | 64 KiB | the rest is not read (the connection is closed, not reused); the error keeps an excerpt of what was read |
//! | error excerpt | 200 characters, from at most 16 KiB parsed | cut with `…`; a longer body is not parsed, its first 1 KiB is masked as text |
//! | [`connect_timeout`](ClientBuilder::connect_timeout) | 10 s | [`Error::Transport`] (nothing was sent) |
//! | [`read_timeout`](ClientBuilder::read_timeout), per read or write | 30 s | [`Error::Transport`]; for a charge or cancel, an unknown outcome |
//! | [`timeout`](ClientBuilder::timeout), the whole exchange | 60 s | same as a read timeout; a DNS look-up that misses the 60 s cache is bounded by the system resolver instead |
//! | [`read_attempts`](ClientBuilder::read_attempts) for `GET`s | 3, backoff 200 ms doubling | the last error is returned |
//! | [`token_refresh_margin`](ClientBuilder::token_refresh_margin) | 30 s | a token is refreshed that long before the server's expiry |
//!
//!
#![doc = include_str!("docs/deviations.md")]
// The library has no `unsafe` (the crate-wide table only denies it, for two tests: Cargo.toml).
#![forbid(unsafe_code)]

// Generated code names this crate as `::iamport`, inside it as well as in users' crates.
extern crate self as iamport;

mod billing_key;
mod client;
mod decode;
mod error;
mod masking;
mod reconcile;
mod redact;
mod resolver;
pub mod runtime;
mod send;
mod token;
mod transport;
mod webhook;

#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod generated;

pub use client::{Client, ClientBuilder};
pub use error::{ConfigError, Error, TransportError};
pub use generated::{Api, operations, types};
pub use reconcile::Reconciled;
pub use runtime::{Amount, Request, Secret, Timestamp, Validate, ValidationError};
pub use webhook::WebhookPayload;

/// `Result` with this crate's [`Error`] by default.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Generates a typed client from an OpenAPI spec of your own, at compile time (feature
/// `macros`): see [`iamport_macros::api`].
#[cfg(feature = "macros")]
pub use iamport_macros::api;

/// The README's examples, compiled as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;

/// Re-exports the generated code uses, so a crate calling `api!` needs no serde of its own.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    pub use serde_json;
}

/// The client's response decoding on its own, for benchmarks and fuzz targets.
#[doc(hidden)]
pub mod __decode {
    pub use crate::transport::decode_answer;
}
