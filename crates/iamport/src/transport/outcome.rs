//! When a failure leaves money in an unknown state: a charge or a cancel whose request may have
//! reached i'mport, and the [`Error::OutcomeUnknown`] / [`Error::CancelOutcomeUnknown`] that say so.

use crate::error::{Error, TransportError, may_have_been_sent};
use crate::runtime::{HttpRequest, OperationKind, OperationSpec};
use serde::Deserialize;

/// Whether a lost answer to `operation` leaves money in an unknown state: a charge or a cancel.
pub(super) fn moves_money(operation: &OperationSpec) -> bool {
    matches!(
        operation.kind,
        OperationKind::Charge | OperationKind::Ready | OperationKind::Cancel
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
        cause: TransportError(Box::new(source)),
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
