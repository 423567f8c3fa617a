//! [`Execute`] for [`Client`]: tokens, the 401 refresh-and-repeat, read retries, the envelope,
//! and the judgement of charges.

use crate::client::{Client, ClientBuilder};
use crate::decode::{self, BareEnvelope, Envelope, Peeked, RawEnvelope};
use crate::error::{Error, TransportError};
use crate::masking;
use crate::redact;
use crate::runtime::{Execute, HttpRequest, Method, OperationKind, OperationSpec, Secret};
use crate::token::{Fetched, Token};
use crate::types::{self, Payment};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Instant;

/// A response that arrived: its status and its body, read up to a limit.
pub(crate) struct Raw {
    status: u16,
    /// The body, or its first bytes when `truncated`.
    body: Vec<u8>,
    /// The body was longer than the limit for its status (see [`read_bounded`]).
    truncated: bool,
    /// The limit that applied.
    limit: u64,
}

#[doc(hidden)]
impl Execute for Client {
    /// Sends one operation and decodes the envelope's `response`.
    ///
    /// * Authenticated operations get a cached token (see [`crate::Client`]); on HTTP 401 the
    ///   token is refreshed once and the request repeated once.
    /// * [`OperationKind::Read`] operations are attempted up to
    ///   [`read_attempts`](crate::ClientBuilder::read_attempts) times on transport errors and
    ///   5xx, with exponential backoff. Nothing else is ever repeated.
    /// * [`OperationKind::Charge`]: only `status == "paid"` is `Ok`; `failed` is
    ///   [`Error::Declined`], any other status [`Error::NotPaid`]; a failure after the request
    ///   may have reached i'mport (transport, any 5xx, an undecodable or oversized 2xx) is
    ///   [`Error::OutcomeUnknown`].
    /// * [`OperationKind::Cancel`]: a `failed` status is [`Error::Declined`]; a lost answer is
    ///   [`Error::CancelOutcomeUnknown`].
    fn execute<T: DeserializeOwned>(
        &self,
        operation: &'static OperationSpec,
        request: HttpRequest,
    ) -> Result<T, Error> {
        let attempts = if operation.kind == OperationKind::Read {
            self.inner.read_attempts
        } else {
            1
        };
        let mut backoff = self.inner.retry_backoff;
        let mut attempt = 1;
        loop {
            let outcome = self.exchange(operation, &request)?;
            let retryable = match &outcome {
                Err(_) => true,
                Ok(raw) => raw.status >= 500,
            };
            if retryable && attempt < attempts {
                log::warn!(
                    target: "iamport",
                    "{} {}: attempt {attempt} of {attempts} failed ({}); retrying in {} ms",
                    operation.method.as_str(),
                    request.path,
                    match &outcome {
                        Ok(raw) => format!("HTTP {}", raw.status),
                        Err(e) => e.to_string(),
                    },
                    backoff.as_millis(),
                );
                std::thread::sleep(backoff);
                backoff = backoff.saturating_mul(2);
                attempt += 1;
                continue;
            }
            return match outcome {
                Err(source) => Err(transport_failure(operation, &request, source)),
                Ok(raw) => judge(operation, &request, raw),
            };
        }
    }
}

impl Client {
    /// The current access token, fetched (single-flight) when none is cached or it is due.
    fn token(&self) -> Result<Token, Error> {
        self.inner.tokens.get(|| {
            use crate::Api as _;
            let request = types::GetTokenRequest {
                imp_key: self.inner.imp_key.clone(),
                imp_secret: self.inner.imp_secret.clone(),
            };
            let token = self.get_token(&request)?;
            // The access token came through ureq masked (see `masking`): put it back.
            let access_token =
                masking::unmask_token(token.access_token.expose()).ok_or_else(|| {
                    Error::Decode {
                        operation: crate::operations::GET_TOKEN.operation_id,
                        status: 200,
                        reason: "the access token could not be read back from the answer"
                            .to_owned(),
                        excerpt: String::new(),
                    }
                })?;
            Ok(Fetched {
                token: access_token,
                server_now: token.now.unix_seconds(),
                server_expired_at: token.expired_at.unix_seconds(),
            })
        })
    }

    /// One exchange with its token, repeated once after a 401 with a refreshed token.
    ///
    /// The outer `Err` is a failure before the request was sent (the token could not be
    /// fetched); the inner one a transport failure of the request itself.
    fn exchange(
        &self,
        operation: &'static OperationSpec,
        request: &HttpRequest,
    ) -> Result<Result<Raw, ureq::Error>, Error> {
        if !operation.requires_auth {
            return Ok(self.send(operation, request, None));
        }
        let token = self.token()?;
        match self.send(operation, request, Some(&token.value)) {
            Ok(raw) if raw.status == 401 => {
                self.inner.tokens.invalidate(token.generation);
                let fresh = self.token()?;
                log::info!(
                    target: "iamport",
                    "{} {}: HTTP 401, token refreshed, repeating once",
                    operation.method.as_str(),
                    request.path
                );
                Ok(self.send(operation, request, Some(&fresh.value)))
            }
            other => Ok(other),
        }
    }

    /// Sends the request once and reads the whole body. Logs method, path, status, duration and
    /// `merchant_uid`: never the body, the query or a header.
    fn send(
        &self,
        operation: &'static OperationSpec,
        request: &HttpRequest,
        token: Option<&Arc<Secret>>,
    ) -> Result<Raw, ureq::Error> {
        let started = Instant::now();
        let result = self.send_unlogged(operation, request, token);
        let millis = started.elapsed().as_millis();
        // Nothing below allocates unless a logger takes the line (the `log` macros check the
        // level before formatting, and `MerchantUid` formats lazily).
        let merchant_uid = MerchantUid(request.merchant_uid.as_deref());
        let method = operation.method.as_str();
        let path = &request.path;
        match &result {
            Ok(raw) if raw.status < 400 => log::debug!(
                target: "iamport",
                "{method} {path} -> {} in {millis} ms{merchant_uid}",
                raw.status
            ),
            Ok(raw) => log::info!(
                target: "iamport",
                "{method} {path} -> {} in {millis} ms{merchant_uid}",
                raw.status
            ),
            Err(e) => log::warn!(
                target: "iamport",
                "{method} {path} -> transport error after {millis} ms{merchant_uid}: {}",
                transport_kind(e)
            ),
        }
        result
    }

    fn send_unlogged(
        &self,
        operation: &'static OperationSpec,
        request: &HttpRequest,
        token: Option<&Arc<Secret>>,
    ) -> Result<Raw, ureq::Error> {
        let mut url = String::with_capacity(self.inner.base_url.len() + request.path.len() + 64);
        url.push_str(&self.inner.base_url);
        url.push_str(&request.path);
        push_query_string(&mut url, &request.query);
        let agent = &self.inner.agent;
        // ureq only ever sees placeholders: see `masking`.
        let mask_token_answer = operation.operation_id == crate::operations::GET_TOKEN.operation_id;
        let (_armed, placeholders) =
            masking::arm(token, request.body.as_deref(), mask_token_answer);
        macro_rules! with_auth {
            ($builder:expr) => {{
                let builder = $builder;
                match &placeholders.authorization {
                    Some(value) => builder.header("Authorization", value.as_str()),
                    None => builder,
                }
            }};
        }
        let body = placeholders.body.as_deref();
        let mut response = match (operation.method, body) {
            (Method::Get, _) => with_auth!(agent.get(&url)).call()?,
            (Method::Delete, None) => with_auth!(agent.delete(&url)).call()?,
            (Method::Delete, Some(body)) => with_auth!(agent.delete(&url))
                .force_send_body()
                .content_type("application/json")
                .send(body)?,
            (Method::Post, Some(body)) => with_auth!(agent.post(&url))
                .content_type("application/json")
                .send(body)?,
            (Method::Put, Some(body)) => with_auth!(agent.put(&url))
                .content_type("application/json")
                .send(body)?,
            (Method::Post, None) => with_auth!(agent.post(&url)).send_empty()?,
            (Method::Put, None) => with_auth!(agent.put(&url)).send_empty()?,
        };
        let status = response.status().as_u16();
        let limit = if (200..=299).contains(&status) {
            self.inner.max_response_bytes
        } else {
            ClientBuilder::MAX_ERROR_BODY_BYTES
        };
        read_bounded(status, response.body_mut(), limit)
    }
}

/// Reads at most `limit` bytes of a body (one more to notice a longer one), never allocating
/// more than `limit + 1` bytes whatever `Content-Length` says. A longer body is left unread: ureq
/// then closes the connection instead of returning it to the pool.
fn read_bounded(status: u16, body: &mut ureq::Body, limit: u64) -> Result<Raw, ureq::Error> {
    use std::io::Read as _;
    let cap = limit.saturating_add(1);
    let expected = body.content_length().unwrap_or(8 * 1024).min(cap);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    body.with_config()
        .limit(u64::MAX)
        .reader()
        .take(cap)
        .read_to_end(&mut bytes)
        // `From` unwraps ureq errors the reader wrapped in `io::Error` (e.g. a passed deadline).
        .map_err(ureq::Error::from)?;
    let truncated = bytes.len() as u64 > limit;
    if truncated {
        bytes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    Ok(Raw {
        status,
        body: bytes,
        truncated,
        limit,
    })
}

/// Appends `?a=1&b=2`, every key and value percent-encoded (or nothing).
fn push_query_string(out: &mut String, query: &[(&'static str, String)]) {
    for (i, (key, value)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&crate::runtime::encode_path_segment(key));
        out.push('=');
        out.push_str(&crate::runtime::encode_path_segment(value));
    }
}

/// A transport error's short description for a log line (no URL, so no query values).
fn transport_kind(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(t) => format!("timeout ({t:?})"),
        ureq::Error::Io(e) => format!("io error ({:?})", e.kind()),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::BadUri(_) => "bad URI".to_owned(),
        other => other.to_string(),
    }
}

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

/// Whether a lost answer to `operation` leaves money in an unknown state: a charge or a cancel.
fn moves_money(operation: &OperationSpec) -> bool {
    matches!(
        operation.kind,
        OperationKind::Charge | OperationKind::Cancel
    )
}

/// A transport failure: an unknown outcome for a charge or cancel that may have been sent.
fn transport_failure(
    operation: &'static OperationSpec,
    request: &HttpRequest,
    source: ureq::Error,
) -> Error {
    let unknown = moves_money(operation) && may_have_been_sent(&source);
    let error = Error::Transport {
        operation: operation.operation_id,
        source: TransportError(source),
    };
    if unknown {
        outcome_unknown(operation, request, error)
    } else {
        error
    }
}

/// The keys of a cancel request, read back from its JSON body (for
/// [`Error::CancelOutcomeUnknown`]).
#[derive(Deserialize, Default)]
struct CancelKeys {
    #[serde(default)]
    imp_uid: Option<String>,
    #[serde(default)]
    merchant_uid: Option<String>,
}

/// [`Error::OutcomeUnknown`] for a charge, [`Error::CancelOutcomeUnknown`] for a cancel.
fn outcome_unknown(
    operation: &'static OperationSpec,
    request: &HttpRequest,
    source: Error,
) -> Error {
    let source = Box::new(source);
    let method = operation.method.as_str();
    let path = &request.path;
    if operation.kind == OperationKind::Cancel {
        let keys: CancelKeys = request
            .body
            .as_deref()
            .and_then(|body| serde_json::from_slice(body).ok())
            .unwrap_or_default();
        log::warn!(
            target: "iamport",
            "{method} {path}: outcome unknown for imp_uid={} merchant_uid={}; look the payment up before cancelling again",
            keys.imp_uid.as_deref().unwrap_or("-"),
            keys.merchant_uid.as_deref().unwrap_or("-"),
        );
        return Error::CancelOutcomeUnknown {
            operation: operation.operation_id,
            imp_uid: keys.imp_uid,
            merchant_uid: keys.merchant_uid,
            source,
        };
    }
    let merchant_uid = request.merchant_uid.clone().unwrap_or_default();
    log::warn!(
        target: "iamport",
        "{method} {path}: outcome unknown for merchant_uid={merchant_uid}; reconcile, and charge again only with the same merchant_uid"
    );
    Error::OutcomeUnknown {
        operation: operation.operation_id,
        merchant_uid,
        source,
    }
}

/// Turns a response into the decoded `response`, or the right error.
///
/// For a charge or a cancel, an answer that proves nothing about the money is an unknown
/// outcome, never a plain failure that invites a second attempt: any 5xx (with or without an
/// i'mport envelope: a PG timeout surfaces as a 500) and a 2xx answer that cannot be decoded
/// (the server may have added or changed a field).
fn judge<T: DeserializeOwned>(
    operation: &'static OperationSpec,
    request: &HttpRequest,
    raw: Raw,
) -> Result<T, Error> {
    let status = raw.status;
    match judge_response(operation, request, raw) {
        Err(
            error @ (Error::Decode { .. }
            | Error::ResponseTooLarge { .. }
            | Error::Api { .. }
            | Error::Http { .. }),
        ) if moves_money(operation)
            && (status >= 500
                || matches!(error, Error::Decode { .. } | Error::ResponseTooLarge { .. })) =>
        {
            Err(outcome_unknown(operation, request, error))
        }
        other => other,
    }
}

/// What i'mport says, in its refusals, when the billing key (customer) is unknown: "등록되지
/// 않은 구매자입니다." (`again`), "등록된 고객정보가 없습니다." (`schedule`), "요청하신
/// customer_uid(…)로 등록된 정보를 찾을 수 없습니다." (`customerView`, `customerDelete`); see the
/// reference, §2.
const UNKNOWN_CUSTOMER_MARKERS: &[&str] = &[
    "등록되지 않은 구매자",
    "등록된 고객정보가 없",
    "customer_uid",
];

/// Whether an HTTP 200 refusal (`code != 0`) of `operation` is i'mport's way of saying "no such
/// billing key": on the operations the spec marks `x-iamport-not-found-on-refusal`. A look-up or a
/// delete by `customer_uid` has no other refusal; a charge or a schedule has many (duplicate
/// `merchant_uid`, a channel not set up, ...), so there only the unknown-customer message counts.
fn refusal_means_not_found(operation: &OperationSpec, message: Option<&str>) -> bool {
    if !operation.not_found_on_refusal {
        return false;
    }
    let by_key_only = operation.kind == OperationKind::Read || operation.method == Method::Delete;
    by_key_only || message.is_some_and(|m| UNKNOWN_CUSTOMER_MARKERS.iter().any(|k| m.contains(k)))
}

fn judge_response<T: DeserializeOwned>(
    operation: &'static OperationSpec,
    request: &HttpRequest,
    raw: Raw,
) -> Result<T, Error> {
    let id = operation.operation_id;
    let status = raw.status;
    if !(200..=299).contains(&status) {
        return Err(refusal(operation, status, &raw.body));
    }
    if raw.truncated {
        return Err(Error::ResponseTooLarge {
            operation: id,
            status,
            limit: raw.limit,
        });
    }
    // The one parse of a successful answer; error paths below parse again to build the error.
    if !moves_money(operation) {
        return match decode::parse::<Envelope<T>>(&raw.body) {
            Ok(Envelope {
                code: 0, response, ..
            }) => response
                .map_or_else(decode::from_null, Ok)
                .map_err(|err| decode_error(id, status, &err, b"null")),
            Ok(_) => Err(refusal(operation, status, &raw.body)),
            Err(err) => Err(undecodable(operation, status, &raw.body, &err)),
        };
    }
    let peeked = match decode::parse::<Envelope<Peeked<T>>>(&raw.body) {
        Ok(Envelope {
            code: 0,
            response: Some(peeked),
            ..
        }) => peeked,
        Ok(Envelope { code: 0, .. }) => {
            let err = de_msg("a successful answer without a payment");
            return Err(decode_error(id, status, &err, b"null"));
        }
        Ok(_) => return Err(refusal(operation, status, &raw.body)),
        Err(err) => return Err(undecodable(operation, status, &raw.body, &err)),
    };
    let status_text = peeked.status.as_deref().unwrap_or_default();
    let declined = match (operation.kind, status_text) {
        (_, "failed") => true,
        (OperationKind::Charge, "paid") | (OperationKind::Cancel, _) => return Ok(peeked.value),
        _ => false,
    };
    // Not a success: decode the payment the error carries (a second parse, on this path only).
    let payment = match decode::parse::<Envelope<Payment>>(&raw.body) {
        Ok(Envelope {
            response: Some(payment),
            ..
        }) => payment,
        Ok(_) => {
            return Err(undecodable(
                operation,
                status,
                &raw.body,
                &de_msg("no payment"),
            ));
        }
        Err(err) => return Err(undecodable(operation, status, &raw.body, &err)),
    };
    if log::log_enabled!(target: "iamport", log::Level::Info) {
        log::info!(
            target: "iamport",
            "{id}: payment {} is `{status_text}`{}",
            payment.imp_uid,
            MerchantUid(request.merchant_uid.as_deref())
        );
    }
    Err(if declined {
        Error::Declined {
            operation: id,
            fail_reason: payment.fail_reason.clone(),
            payment: Box::new(payment),
        }
    } else {
        Error::NotPaid {
            operation: id,
            status: payment.status.clone(),
            payment: Box::new(payment),
        }
    })
}

/// A serde error with a message of ours.
fn de_msg(message: &str) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(message)
}

fn decode_error(id: &'static str, status: u16, err: &serde_json::Error, body: &[u8]) -> Error {
    Error::Decode {
        operation: id,
        status,
        reason: redact::serde_reason(err),
        excerpt: redact::excerpt(body),
    }
}

/// A 2xx body that did not decode into the typed envelope: a refusal whose `response` has some
/// other shape, or a body that does not match the spec (or is not JSON at all).
fn undecodable(
    operation: &'static OperationSpec,
    status: u16,
    body: &[u8],
    err: &serde_json::Error,
) -> Error {
    match decode::parse::<RawEnvelope>(body) {
        Ok(envelope) if envelope.code != 0 => refusal(operation, status, body),
        Ok(envelope) => decode_error(
            operation.operation_id,
            status,
            err,
            envelope
                .response
                .as_deref()
                .map_or(b"null", |r| r.get().as_bytes()),
        ),
        Err(_) => decode_error(operation.operation_id, status, err, body),
    }
}

/// An answer that is not a success: an error status, or a 2xx with a non-zero `code`.
///
/// Without i'mport's envelope nothing says who answered: a 404 page from a proxy or a load
/// balancer is not i'mport saying "no such payment", so it is [`Error::Http`].
fn refusal(operation: &'static OperationSpec, status: u16, body: &[u8]) -> Error {
    let id = operation.operation_id;
    let Ok(envelope) = decode::parse::<BareEnvelope>(body) else {
        return Error::Http {
            operation: id,
            status,
            excerpt: redact::excerpt(body),
        };
    };
    let not_found = status == 404
        || ((200..=299).contains(&status)
            && envelope.code != 0
            && refusal_means_not_found(operation, envelope.message.as_deref()));
    if not_found {
        return Error::NotFound {
            operation: id,
            status,
            code: envelope.code,
            message: envelope.message,
        };
    }
    Error::Api {
        operation: id,
        status,
        code: envelope.code,
        message: envelope.message,
    }
}

/// ` merchant_uid=…` for a log line, formatted only when the line is written.
struct MerchantUid<'a>(Option<&'a str>);

impl std::fmt::Display for MerchantUid<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(m) => write!(f, " merchant_uid={m}"),
            None => Ok(()),
        }
    }
}

/// Judges an HTTP answer to `operation` exactly as [`Client`] does after reading it (status,
/// envelope, payment status, the one-pass decode), without a network: the entry point of the
/// benchmarks and fuzz targets, so they measure and fuzz the client's own path, not a copy.
#[doc(hidden)]
pub fn decode_answer<T: DeserializeOwned>(
    operation: &'static OperationSpec,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let raw = Raw {
        status,
        body: body.to_vec(),
        truncated: false,
        limit: u64::MAX,
    };
    judge(operation, &HttpRequest::default(), raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_string(query: &[(&'static str, String)]) -> String {
        let mut out = String::new();
        push_query_string(&mut out, query);
        out
    }

    #[test]
    fn query_strings_encode_keys_and_values() {
        assert_eq!(query_string(&[]), "");
        assert_eq!(
            query_string(&[
                ("customer_uid[]", "a b".into()),
                ("customer_uid[]", "c&d".into())
            ]),
            "?customer_uid%5B%5D=a%20b&customer_uid%5B%5D=c%26d"
        );
    }

    fn paid_body(status: &str) -> Vec<u8> {
        format!(
            r#"{{"code":0,"message":null,"response":{{"imp_uid":"imp_1","merchant_uid":"m-1","status":"{status}","amount":1000,"cancel_amount":0,"currency":"KRW","sandbox":false,"pay_method":"card","channel":"api","pg_provider":"nice","paid_at":1,"failed_at":0,"fail_reason":null,"cancel_history":[]}}}}"#
        )
        .into_bytes()
    }

    fn parses_to_judge<T: DeserializeOwned>(
        operation: &'static OperationSpec,
        body: Vec<u8>,
    ) -> (Result<T, Error>, usize) {
        let raw = Raw {
            status: 200,
            body,
            truncated: false,
            limit: 1 << 20,
        };
        let request = HttpRequest {
            merchant_uid: Some("m-1".into()),
            ..Default::default()
        };
        decode::tests::PARSES.with(|n| n.set(0));
        let judged = judge::<T>(operation, &request, raw);
        (judged, decode::tests::PARSES.with(std::cell::Cell::get))
    }

    #[test]
    fn a_paid_payment_is_decoded_in_one_parse() {
        let (paid, parses) =
            parses_to_judge::<Payment>(&crate::operations::AGAIN, paid_body("paid"));
        assert_eq!(paid.unwrap().imp_uid, "imp_1");
        assert_eq!(parses, 1);
        let (read, parses) = parses_to_judge::<Payment>(
            &crate::operations::GET_PAYMENT_BY_IMP_UID,
            paid_body("paid"),
        );
        assert_eq!(read.unwrap().merchant_uid, "m-1");
        assert_eq!(parses, 1);
        let (cancelled, parses) =
            parses_to_judge::<Payment>(&crate::operations::CANCEL_PAYMENT, paid_body("cancelled"));
        assert!(cancelled.is_ok());
        assert_eq!(parses, 1);
        // A decline parses a second time, to put the failed payment into the error.
        let (declined, parses) =
            parses_to_judge::<Payment>(&crate::operations::AGAIN, paid_body("failed"));
        assert!(matches!(declined, Err(Error::Declined { .. })));
        assert_eq!(parses, 2);
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
