//! [`Client::reconcile`]: what i'mport holds for a charge (or a cancel) whose answer was lost.

use crate::client::Client;
use crate::error::Error;
use crate::runtime::Request;
use crate::types::{FindPaymentRequest, GetPaymentRequest, Payment, PaymentStatus};
use std::time::Duration;

/// What i'mport holds for a `merchant_uid` (or an `imp_uid`), as found by [`Client::reconcile`].
///
/// Only [`Paid`](Reconciled::Paid) and [`Declined`](Reconciled::Declined) are final answers
/// for a lost charge. [`NotFound`](Reconciled::NotFound) means "not seen **yet**": the lost
/// request may still be in flight inside i'mport or at the card company. The one safe way to
/// charge after an unknown outcome is to send the **same** request again, with the **same**
/// `merchant_uid`: i'mport refuses a second payment for a paid `merchant_uid`, so the card can be
/// charged at most once, whatever the first request became.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Reconciled {
    /// The card was charged: `status == "paid"`.
    Paid(Box<Payment>),
    /// The charge reached the card company and was declined (`status == "failed"`; see
    /// `fail_reason`). Final for most PGs, but not all: PAYMENTWALL may approve a `failed`
    /// payment later, after its fraud review, and then send a `paid` webhook for it. Do not
    /// treat it as "never charged" on such a PG: keep handling its webhooks and look the
    /// payment up again before re-charging under a new `merchant_uid`.
    Declined(Box<Payment>),
    /// The payment was cancelled (`status == "cancelled"`); for a partial cancel compare its
    /// `cancel_amount` with what you expected.
    Cancelled(Box<Payment>),
    /// i'mport has no payment under this key (HTTP 404 with i'mport's envelope): **not seen
    /// yet**. This does not prove the card was not charged: a lost request can still be processed
    /// after the answer was given up on. Never charge again under a new `merchant_uid` on this
    /// answer; re-send the same request with the same `merchant_uid`, or reconcile again later.
    NotFound,
    /// Any other status (`ready`, ...): look at the payment.
    Other(Box<Payment>),
}

impl Reconciled {
    /// The payment i'mport holds, unless there is none.
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            Reconciled::Paid(p)
            | Reconciled::Declined(p)
            | Reconciled::Cancelled(p)
            | Reconciled::Other(p) => Some(p),
            Reconciled::NotFound => None,
        }
    }

    /// Whether the card was charged (the payment is `paid`).
    pub fn is_paid(&self) -> bool {
        matches!(self, Reconciled::Paid(_))
    }

    fn from_lookup(lookup: Result<Payment, Error>) -> Result<Reconciled, Error> {
        match lookup {
            Ok(payment) => Ok(match payment.status {
                PaymentStatus::Paid => Reconciled::Paid(Box::new(payment)),
                PaymentStatus::Failed => Reconciled::Declined(Box::new(payment)),
                PaymentStatus::Cancelled => Reconciled::Cancelled(Box::new(payment)),
                _ => Reconciled::Other(Box::new(payment)),
            }),
            Err(Error::NotFound { .. }) => Ok(Reconciled::NotFound),
            Err(other) => Err(other),
        }
    }
}

impl Client {
    /// Looks up the payment of `merchant_uid` (`GET /payments/find/{merchant_uid}`, the newest
    /// when several share it) and tells what became of a charge that ended in
    /// [`Error::OutcomeUnknown`] (or of a cancel that ended in
    /// [`Error::CancelOutcomeUnknown`]).
    ///
    /// The look-up is a read: it is retried on transport errors and 5xx like every read. Only a
    /// 404 carrying i'mport's own envelope is [`Reconciled::NotFound`] ("not seen yet"); a 404
    /// page from a proxy is [`Error::Http`], and any other error is returned as it is: the outcome
    /// is then still unknown.
    ///
    /// After [`Reconciled::NotFound`], the safe retry is the same request with the same
    /// `merchant_uid` (never a new one): i'mport refuses a second payment for a `merchant_uid`
    /// that is already paid, so the card is charged at most once.
    pub fn reconcile(&self, merchant_uid: &str) -> Result<Reconciled, Error> {
        let request = FindPaymentRequest::new(merchant_uid.to_owned());
        Reconciled::from_lookup(self.find_payment(&request))
    }

    /// Like [`Client::reconcile`], by i'mport's `imp_uid` (`GET /payments/{imp_uid}`): for a
    /// [`Error::CancelOutcomeUnknown`] of a cancel sent by `imp_uid`.
    pub fn reconcile_imp_uid(&self, imp_uid: &str) -> Result<Reconciled, Error> {
        let request = GetPaymentRequest::new(imp_uid.to_owned());
        Reconciled::from_lookup(self.get_payment(&request))
    }
}

impl Client {
    /// Sends a charge (`onetime`, `again`, ...) and, when its outcome is lost, follows the safe
    /// retry recipe until it ends in a typed answer:
    ///
    /// 1. send the request; `paid` is `Ok`, a decline is [`Error::Declined`];
    /// 2. on [`Error::OutcomeUnknown`] or [`Error::DuplicateMerchantUid`] (the `merchant_uid` is
    ///    already paid, or still being paid by a request that landed late), wait `wait`, then
    ///    [`reconcile`](Client::reconcile) the `merchant_uid`:
    ///    * [`Reconciled::Paid`]: `Ok` with that payment (never a second charge);
    ///    * [`Reconciled::Declined`]: [`Error::Declined`] with that payment;
    ///    * [`Reconciled::NotFound`] (not seen yet): send the **same** request, same
    ///      `merchant_uid`, again; i'mport refuses a second payment for it, so the card is
    ///      charged at most once;
    ///    * anything else (`ready`, a failed look-up): reconcile again after `wait`;
    /// 3. after `attempts` reconciliations without an answer, [`Error::OutcomeUnknown`]: still
    ///    unknown; reconcile it later, never charge it under a new `merchant_uid`.
    ///
    /// Any other error of a send (validation, a refusal, an unknown billing key) is returned as
    /// it is: nothing was charged. A cancelled payment is [`Error::NotPaid`].
    pub fn settle_charge<R>(
        &self,
        request: &R,
        attempts: u32,
        wait: Duration,
    ) -> Result<Payment, Error>
    where
        R: Request<Response = Payment>,
    {
        let mut unknown = match self.send(request) {
            Ok(payment) => return Ok(payment),
            Err(error) => unsettled(error)?,
        };
        for _ in 0..attempts {
            std::thread::sleep(wait);
            let merchant_uid = merchant_uid_of(&unknown).to_owned();
            match self.reconcile(&merchant_uid) {
                Ok(Reconciled::Paid(payment)) => return Ok(*payment),
                Ok(Reconciled::Declined(payment)) => {
                    return Err(Error::Declined {
                        operation: R::OPERATION.operation_id,
                        fail_reason: payment.fail_reason.clone(),
                        payment,
                    });
                }
                Ok(Reconciled::Cancelled(payment)) => {
                    return Err(Error::NotPaid {
                        operation: R::OPERATION.operation_id,
                        status: payment.status.clone(),
                        payment,
                    });
                }
                Ok(Reconciled::NotFound) => match self.send(request) {
                    Ok(payment) => return Ok(payment),
                    Err(error) => unknown = unsettled(error)?,
                },
                // In progress (`ready`), or the look-up itself failed: ask again.
                Ok(Reconciled::Other(_)) | Err(_) => {}
            }
        }
        Err(match unknown {
            already @ Error::OutcomeUnknown { .. } => already,
            other => Error::OutcomeUnknown {
                operation: R::OPERATION.operation_id,
                merchant_uid: merchant_uid_of(&other).to_owned(),
                source: Box::new(other),
            },
        })
    }
}

/// The errors after which a charge's outcome is still to be settled by reconciling; any other
/// error is final (`Err`).
fn unsettled(error: Error) -> Result<Error, Error> {
    match error {
        Error::OutcomeUnknown { .. } | Error::DuplicateMerchantUid { .. } => Ok(error),
        other => Err(other),
    }
}

fn merchant_uid_of(error: &Error) -> &str {
    match error {
        Error::OutcomeUnknown { merchant_uid, .. }
        | Error::DuplicateMerchantUid { merchant_uid, .. } => merchant_uid,
        _ => "",
    }
}
