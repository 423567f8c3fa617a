//! Judging an answer: the decoded `response`, or the right error (refusal, not found, decline,
//! an unknown outcome for money), from its status and i'mport's envelope, in one parse on success.

use super::body::Raw;
use super::log_line::MerchantUid;
use super::outcome::{moves_money, outcome_unknown};
use crate::decode::{self, Envelope, Peeked, RawEnvelope};
use crate::error::Error;
use crate::redact;
use crate::runtime::{HttpRequest, Method, OperationKind, OperationSpec};
use crate::types::Payment;
use serde::de::DeserializeOwned;

/// Turns a response into the decoded `response`, or the right error.
///
/// For a charge or a cancel, an answer that proves nothing about the money is an unknown
/// outcome, never a plain failure that invites a second attempt: any 5xx (with or without an
/// i'mport envelope: a PG timeout surfaces as a 500) and a 2xx answer that cannot be decoded
/// (the server may have added or changed a field).
pub(super) fn judge<T: DeserializeOwned>(
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
        (OperationKind::Charge, "paid")
        | (OperationKind::Ready, "ready" | "paid")
        | (OperationKind::Cancel, _) => return Ok(peeked.value),
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
    let Ok(envelope) = decode::parse::<decode::RefusalEnvelope>(body) else {
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
        extra: (!envelope.rest.is_empty()).then(|| Box::new(envelope.rest)),
    }
}

/// Judges an HTTP answer to `operation` exactly as [`Client`](crate::Client) does after reading it (status,
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
    use crate::runtime::Request;

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
            parses_to_judge::<Payment>(crate::types::AgainRequest::OPERATION, paid_body("paid"));
        assert_eq!(paid.unwrap().imp_uid, "imp_1");
        assert_eq!(parses, 1);
        let (read, parses) = parses_to_judge::<Payment>(
            crate::types::GetPaymentByImpUidRequest::OPERATION,
            paid_body("paid"),
        );
        assert_eq!(read.unwrap().merchant_uid, "m-1");
        assert_eq!(parses, 1);
        let (cancelled, parses) = parses_to_judge::<Payment>(
            crate::types::CancelPaymentRequest::OPERATION,
            paid_body("cancelled"),
        );
        assert!(cancelled.is_ok());
        assert_eq!(parses, 1);
        // A decline parses a second time, to put the failed payment into the error.
        let (declined, parses) =
            parses_to_judge::<Payment>(crate::types::AgainRequest::OPERATION, paid_body("failed"));
        assert!(matches!(declined, Err(Error::Declined { .. })));
        assert_eq!(parses, 2);
    }
}
