//! [`Error`]: the one error type of the client, and [`ConfigError`] for building it.
//!
//! Nothing in here ever holds a secret in clear: the `imp_secret`, access tokens and card data
//! are [`Secret`](crate::Secret)s that print `[REDACTED]`, bodies are only kept as short redacted
//! excerpts (see [`Error::Decode`]), and serde's own messages (which quote the offending value)
//! are stripped of quoted text before they are stored.

use crate::runtime::ValidationError;
use crate::types::{Payment, PaymentStatus};
use std::fmt;

/// Everything that can go wrong in a call, as one enum to `match` on.
///
/// | variant | meaning | was the request sent? |
/// |---|---|---|
/// | [`Validation`](Error::Validation) | the request breaks a rule of the spec | no |
/// | [`Config`](Error::Config) | the client could not be built | no |
/// | [`Api`](Error::Api) | i'mport answered with a non-zero `code`, or a 4xx/5xx envelope | yes, refused |
/// | [`NotFound`](Error::NotFound) | i'mport says there is no such payment / schedule / billing key | yes |
/// | [`DuplicateMerchantUid`](Error::DuplicateMerchantUid) | a charge for a `merchant_uid` that is already paid (or being paid): **reconcile it** | yes, refused |
/// | [`PgRefused`](Error::PgRefused) | i'mport answered `code: 0` but the PG reported a failure (PAYMENTWALL delivery) | yes, refused |
/// | [`Http`](Error::Http) | an error status without an i'mport envelope (proxy page, ...) | yes |
/// | [`Transport`](Error::Transport) | connection, TLS or timeout failure | maybe |
/// | [`Decode`](Error::Decode) | a success body that does not match the spec | yes |
/// | [`ResponseTooLarge`](Error::ResponseTooLarge) | a success body over the size limit | yes |
/// | [`Declined`](Error::Declined) | a charge (or cancel) the card company refused | yes, **refused** |
/// | [`NotPaid`](Error::NotPaid) | a charge that ended in a status other than `paid` or `failed` | yes |
/// | [`OutcomeUnknown`](Error::OutcomeUnknown) | a charge whose answer was lost: **reconcile it** | yes, result unknown |
/// | [`CancelOutcomeUnknown`](Error::CancelOutcomeUnknown) | a cancel whose answer was lost: **look the payment up** | yes, result unknown |
/// | [`InvalidWebhook`](Error::InvalidWebhook) / [`WebhookMismatch`](Error::WebhookMismatch) | a webhook that cannot be trusted | — |
///
/// `Display` is one sentence and never repeats the [`source`](std::error::Error::source) (error
/// reporters such as `anyhow` print the chain themselves). `Debug` is derived: the variant and
/// its fields, none of which holds a secret in clear (a payment's card data, tokens and
/// credentials are types that print masked).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke a rule of the spec; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),

    /// A request body could not be encoded; nothing was sent.
    #[error("could not encode the request body")]
    Encode(#[source] serde_json::Error),

    /// The client could not be built (missing credential or environment variable, refused base
    /// URL). Raised by [`ClientBuilder::build`](crate::ClientBuilder::build) and
    /// [`Client::from_env`](crate::Client::from_env), never by a call.
    #[error(transparent)]
    Config(#[from] ConfigError),

    /// i'mport refused the request: its envelope carried a non-zero `code` (even under HTTP 200,
    /// which is how i'mport reports most business failures), or an error status (400, 401, 5xx)
    /// came with an envelope. `message` is i'mport's own text (usually Korean), kept for 4xx/5xx
    /// bodies too. For a charge or a cancel, a 5xx is never `Api` but an unknown outcome
    /// (wrapping this error): a PG timeout surfaces as a 500 and proves nothing about the money.
    #[error("i'mport refused {operation} (HTTP {status}, code {code}): {}", message.as_deref().unwrap_or("(no message)"))]
    Api {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The envelope's `code` (never branch on its exact value: 1 and -1 both occur).
        code: i64,
        /// The envelope's `message`.
        message: Option<String>,
        /// The envelope's other members, when i'mport sends more than `code`, `message` and
        /// `response` (e.g. KCP Quick Pay's `error`: the PG's own code and message); `None`
        /// when it sends nothing else. `Debug` shows only their names.
        extra: Option<Box<serde_json::Map<String, serde_json::Value>>>,
    },

    /// i'mport says the payment, schedule or billing key does not exist: HTTP 404 with i'mport's
    /// envelope or, on the operations where the real server answers an unknown billing key that
    /// way (`again`, `schedule`, `customer_view`, `customer_delete`: the spec's
    /// `x-iamport-not-found-on-refusal`), HTTP 200 with a non-zero `code`. Both are this one
    /// error. A 404 without i'mport's envelope (a proxy's page) is [`Error::Http`]: it proves
    /// nothing about i'mport's data.
    #[error("not found ({operation}): {}", message.as_deref().unwrap_or("(no message)"))]
    NotFound {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The HTTP status: 404, or 200 for a refusal under HTTP 200.
        status: u16,
        /// The envelope's `code`.
        code: i64,
        /// The envelope's `message`.
        message: Option<String>,
    },

    /// An unexpected HTTP status whose body is not an i'mport envelope (a proxy's error page, a
    /// redirect). `excerpt` is a short redacted excerpt of the body.
    #[error("unexpected HTTP {status} from {operation}: {excerpt}")]
    Http {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// A short, redacted excerpt of the body (see [`Error::Decode`]).
        excerpt: String,
    },

    /// The request could not be completed: DNS, connect, TLS, timeout, connection reset. For
    /// a charge whose request may have reached i'mport this arrives wrapped in
    /// [`Error::OutcomeUnknown`] instead.
    #[error("transport error during {operation}: {cause}")]
    Transport {
        /// The spec's `operationId`.
        operation: &'static str,
        /// What the HTTP layer reported (also in this error's `Display`, so it is not repeated
        /// as a `source`).
        cause: TransportError,
    },

    /// i'mport refused a charge because its `merchant_uid` already has a payment that is paid or
    /// in progress: "이미 결제가 완료된 merchant_uid입니다" (HTTP 200, non-zero `code`). After an
    /// [`Error::OutcomeUnknown`] this is the answer to the safe retry when the first request did
    /// land: **reconcile** the `merchant_uid` (see [`Client::settle_charge`](crate::Client::settle_charge)),
    /// never charge under a new one.
    #[error("{operation} refused: merchant_uid `{merchant_uid}` is already paid or being paid (code {code}): {}", message.as_deref().unwrap_or("(no message)"))]
    DuplicateMerchantUid {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The charge's `merchant_uid`.
        merchant_uid: String,
        /// The envelope's `code`.
        code: i64,
        /// The envelope's `message`.
        message: Option<String>,
    },

    /// i'mport answered `code: 0` (its own part worked) but the PG behind it refused: for
    /// PAYMENTWALL's delivery registration, a `response` with `error_code` / `error` instead of
    /// `success: 1` (the spec's `x-iamport-success`). Nothing was registered: a physical order
    /// whose delivery is not registered is not paid out.
    #[error("the PG refused {operation}: {} ({})", pg_message.as_deref().unwrap_or("(no message)"), pg_code.as_deref().unwrap_or("no code"))]
    PgRefused {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The PG's error code (`error_code`), as text.
        pg_code: Option<String>,
        /// The PG's message (`error`, or the `notices` joined).
        pg_message: Option<String>,
    },

    /// A response did not decode into the spec's type.
    ///
    /// `reason` is serde's message with every quoted value removed, and `excerpt` is at most
    /// 200 characters of the body in which every string value outside a short list of harmless
    /// fields (`code`, `message`, `status`, `imp_uid`, `merchant_uid`, `currency`, ...) is
    /// replaced by `"***"`: no card data, token or customer data is ever kept.
    #[error(
        "could not decode the response of {operation} (HTTP {status}): {reason}; body: {excerpt}"
    )]
    Decode {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// What did not match, without any value from the body.
        reason: String,
        /// A short, redacted excerpt of the body.
        excerpt: String,
    },

    /// A successful (2xx) answer was longer than
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes): it was not read past the
    /// limit, nor decoded. For a charge or a cancel this arrives wrapped in an unknown outcome.
    #[error("the answer to {operation} (HTTP {status}) is longer than the {limit}-byte limit")]
    ResponseTooLarge {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The limit that applied, in bytes.
        limit: u64,
    },

    /// The card company **declined** a charge: i'mport answered `code: 0` (its call to the card
    /// company worked) with a payment whose `status` is `failed` (limit exceeded, stolen card,
    /// insufficient funds, ...). For `cancelPayment`, a `failed` status: the cancel was refused.
    ///
    /// This is an `Err`, not an `Ok(payment)` to inspect, on purpose: i'mport's official SDKs return
    /// the failed payment as a normal value and leave the `status` check to the caller, and a
    /// forgotten check ships goods that were never paid for. Here `client.charge_billing_key(&req)?` can never
    /// treat a decline as success.
    ///
    /// PAYMENTWALL may report `failed` first and approve the same payment later after its fraud
    /// review (a `paid` webhook then arrives): handle webhooks with
    /// [`Client::verify_webhook`](crate::Client::verify_webhook) even for declined orders.
    #[error("{operation} declined: {}", fail_reason.as_deref().unwrap_or("(no reason given)"))]
    Declined {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The PG's reason (`fail_reason`), e.g. "insufficient funds".
        fail_reason: Option<String>,
        /// The failed payment as i'mport recorded it.
        payment: Box<Payment>,
    },

    /// A charge came back with `code: 0` but a status that is neither `paid` nor `failed`
    /// (e.g. `ready`): not a success, and not a decline either. Look at `payment`, or
    /// [`reconcile`](crate::Client::reconcile) later.
    #[error("{operation} did not complete: payment status is `{status}`")]
    NotPaid {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The payment's status.
        status: PaymentStatus,
        /// The payment as i'mport recorded it.
        payment: Box<Payment>,
    },

    /// A charge failed **after** its request may have reached i'mport (timeout, connection reset
    /// or closed, any 5xx with or without an i'mport envelope, a success body that does not
    /// decode): the card may or may not have been charged. (A connection that could not even be opened, or a token
    /// that could not be fetched, is a plain [`Error::Transport`] / [`Error::Api`]: nothing was
    /// sent.)
    ///
    /// It is never retried automatically. Call
    /// [`Client::reconcile`](crate::Client::reconcile) with `merchant_uid` to learn the real
    /// outcome. To charge after all, send the same request with the **same** `merchant_uid`:
    /// i'mport refuses a second payment for a paid `merchant_uid`, so that retry can never charge
    /// twice. Never retry under a new `merchant_uid` while the first one's outcome is unknown.
    #[error("outcome of {operation} for merchant_uid `{merchant_uid}` is unknown; reconcile it")]
    OutcomeUnknown {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The `merchant_uid` of the charge: the key to [`Client::reconcile`](crate::Client::reconcile).
        merchant_uid: String,
        /// What went wrong: [`Error::Transport`] (timeout, reset), [`Error::Api`] (a 5xx with
        /// an i'mport envelope), [`Error::Http`] (a 5xx without one) or [`Error::Decode`] (a 2xx
        /// answer that did not decode: the charge may have succeeded).
        #[source]
        source: Box<Error>,
    },

    /// A cancel (`cancelPayment`) failed **after** its request may have reached i'mport
    /// (timeout, connection reset, any 5xx, a success body that does not decode): the payment
    /// may or may not have been refunded, in whole or in part. It is never retried
    /// automatically.
    ///
    /// Look the payment up before doing anything else: [`Client::reconcile_imp_uid`] with
    /// `imp_uid`, or [`Client::reconcile`] with `merchant_uid`, and compare its `cancel_amount` /
    /// `cancel_history` with what they were before the cancel.
    ///
    /// [`Client::reconcile_imp_uid`]: crate::Client::reconcile_imp_uid
    /// [`Client::reconcile`]: crate::Client::reconcile
    #[error(
        "outcome of {operation} for imp_uid `{}` / merchant_uid `{}` is unknown; look the payment up",
        imp_uid.as_deref().unwrap_or("-"),
        merchant_uid.as_deref().unwrap_or("-")
    )]
    CancelOutcomeUnknown {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The cancel request's `imp_uid`, if it named one.
        imp_uid: Option<String>,
        /// The cancel request's `merchant_uid`, if it named one.
        merchant_uid: Option<String>,
        /// What went wrong (see [`Error::OutcomeUnknown`]).
        #[source]
        source: Box<Error>,
    },

    /// Bytes that are not an i'mport webhook payload.
    #[error("invalid webhook payload: {reason}")]
    InvalidWebhook {
        /// What is wrong (never the payload itself).
        reason: String,
    },

    /// A webhook whose `merchant_uid` does not match the payment i'mport holds under its
    /// `imp_uid`: forged or misrouted; do not act on it.
    #[error(
        "webhook for imp_uid `{imp_uid}` names merchant_uid `{webhook_merchant_uid}`, but i'mport has `{payment_merchant_uid}`"
    )]
    WebhookMismatch {
        /// The webhook's `imp_uid`.
        imp_uid: String,
        /// The `merchant_uid` the webhook claimed.
        webhook_merchant_uid: String,
        /// The `merchant_uid` of the payment i'mport returned.
        payment_merchant_uid: String,
    },
}

impl Error {
    /// An encoding error.
    pub(crate) fn encode(err: serde_json::Error) -> Self {
        Error::Encode(err)
    }

    /// The HTTP status i'mport answered with, if a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. }
            | Error::Http { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::NotFound { status, .. } => Some(*status),
            Error::Declined { .. }
            | Error::NotPaid { .. }
            | Error::DuplicateMerchantUid { .. }
            | Error::PgRefused { .. } => Some(200),
            Error::OutcomeUnknown { source, .. } | Error::CancelOutcomeUnknown { source, .. } => {
                source.status()
            }
            _ => None,
        }
    }

    /// The envelope's `code`, if i'mport sent one with an error.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { code, .. } => Some(*code),
            Error::NotFound { code, .. } | Error::DuplicateMerchantUid { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// i'mport's `message` (or the PG's `fail_reason` for a decline), if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. }
            | Error::NotFound { message, .. }
            | Error::DuplicateMerchantUid { message, .. } => message.as_deref(),
            Error::PgRefused { pg_message, .. } => pg_message.as_deref(),
            Error::Declined { fail_reason, .. } => fail_reason.as_deref(),
            _ => None,
        }
    }

    /// The spec's `operationId` of the call that failed, when the error came from a call.
    pub fn operation_id(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::NotFound { operation, .. }
            | Error::Http { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Decode { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::Declined { operation, .. }
            | Error::NotPaid { operation, .. }
            | Error::DuplicateMerchantUid { operation, .. }
            | Error::PgRefused { operation, .. }
            | Error::OutcomeUnknown { operation, .. }
            | Error::CancelOutcomeUnknown { operation, .. } => Some(operation),
            _ => None,
        }
    }

    /// Whether this is [`Error::NotFound`].
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// Whether a timeout caused this error (also inside [`Error::OutcomeUnknown`]).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { cause, .. } => cause.is_timeout(),
            Error::OutcomeUnknown { source, .. } | Error::CancelOutcomeUnknown { source, .. } => {
                source.is_timeout()
            }
            _ => false,
        }
    }

    /// The payment carried by [`Error::Declined`] or [`Error::NotPaid`].
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            Error::Declined { payment, .. } | Error::NotPaid { payment, .. } => Some(payment),
            _ => None,
        }
    }
}

/// Why a [`Client`](crate::Client) could not be built.
///
/// `Debug` prints the same sentence as `Display` (e.g. `environment variable IAMPORT_API_KEY is
/// not set`), so that `main` returning it reads well.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is not set (or is empty / not UTF-8).
    #[error("environment variable {0} is not set")]
    MissingEnvVar(&'static str),
    /// A required credential was not given to the builder (`imp_key` or `imp_secret`).
    #[error("missing credential: {0} (set it on the builder)")]
    MissingCredential(&'static str),
    /// The base URL is not an absolute `https://` (or loopback `http://`) URL.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Plain `http://` to a host that is not loopback: card data only travels over TLS.
    #[error(
        "refusing plain http:// to `{host}`: card data only travels over TLS (http is allowed for 127.0.0.0/8, ::1 and localhost only)"
    )]
    InsecureBaseUrl {
        /// The host that was refused.
        host: String,
    },
    /// An `https://` base URL in a build without TLS: enable the `rustls` (default) or
    /// `native-tls` feature.
    #[error("https needs TLS: enable the `rustls` (default) or `native-tls` feature of iamport")]
    NoTls,
    /// A timeout was set to zero (ureq has no timeouts by default; this client never runs without).
    #[error("timeout `{0}` must be greater than zero")]
    ZeroTimeout(&'static str),
}

impl fmt::Debug for ConfigError {
    /// The sentence of `Display`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why the HTTP exchange failed (connection, TLS, timeout, reset), from the HTTP library the
/// client runs on. Opaque on purpose: that library is not part of this crate's API, so that its
/// major releases do not force ours. Boxed, so that [`Error`] stays small.
pub struct TransportError(pub(crate) Box<ureq::Error>);

impl TransportError {
    /// Whether a timeout (connect, read, write or the overall deadline) ended the exchange.
    pub fn is_timeout(&self) -> bool {
        match &*self.0 {
            ureq::Error::Timeout(_) => true,
            // A deadline that passes while the body is read arrives as an I/O error.
            ureq::Error::Io(e) => e.kind() == std::io::ErrorKind::TimedOut,
            _ => false,
        }
    }

    /// Whether the connection could not be established (DNS, refused, unreachable): the request
    /// was certainly not sent.
    pub fn is_connect(&self) -> bool {
        !may_have_been_sent(&self.0)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The whole cause is in `Display`; there is no further `source`.
impl std::error::Error for TransportError {}

/// Whether a failed request may still have reached i'mport (and so may have charged a card).
/// Only failures that certainly happened before anything was sent count as "not sent".
pub(crate) fn may_have_been_sent(error: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    !matches!(
        error,
        ureq::Error::HostNotFound
            | ureq::Error::BadUri(_)
            | ureq::Error::Http(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::RequireHttpsOnly(_)
            | ureq::Error::InvalidProxyUrl
            | ureq::Error::ConnectProxyFailed(_)
            | ureq::Error::TlsRequired
            | ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect)
    ) && !matches!(error, ureq::Error::Io(e) if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::AddrNotAvailable | ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_small() {
        // Returned by every call: big payloads (a payment, the HTTP library's error) are boxed.
        assert!(
            std::mem::size_of::<Error>() <= 80,
            "{} bytes",
            std::mem::size_of::<Error>()
        );
    }

    #[test]
    fn transport_display_names_its_cause() {
        let error = Error::Transport {
            operation: "getToken",
            cause: TransportError(Box::new(ureq::Error::ConnectionFailed)),
        };
        let text = error.to_string();
        assert!(
            text.starts_with("transport error during getToken: "),
            "{text}"
        );
        assert!(
            text.len() > "transport error during getToken: ".len(),
            "{text}"
        );
        assert!(std::error::Error::source(&error).is_none());
    }

    #[test]
    fn connect_failures_are_not_sent() {
        let refused = ureq::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!may_have_been_sent(&refused));
        assert!(!may_have_been_sent(&ureq::Error::Timeout(
            ureq::Timeout::Connect
        )));
        assert!(may_have_been_sent(&ureq::Error::Timeout(
            ureq::Timeout::RecvResponse
        )));
        let reset = ureq::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(may_have_been_sent(&reset));
    }
}
