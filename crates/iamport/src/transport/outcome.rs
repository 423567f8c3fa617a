//! When a failure leaves money in an unknown state: a charge or a cancel whose request may have
//! reached i'mport, and the [`Error::OutcomeUnknown`] / [`Error::CancelOutcomeUnknown`] that say so.

use crate::error::{Error, TransportError};
use crate::runtime::{HttpRequest, OperationKind, OperationSpec};
use serde::Deserialize;

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
pub(super) fn moves_money(operation: &OperationSpec) -> bool {
    matches!(
        operation.kind,
        OperationKind::Charge | OperationKind::Cancel
    )
}

/// A transport failure: an unknown outcome for a charge or cancel that may have been sent.
pub(super) fn transport_failure(
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
pub(super) fn outcome_unknown(
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

#[cfg(test)]
mod tests {
    use super::*;

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
