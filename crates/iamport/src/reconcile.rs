//! [`Client::reconcile`]: what i'mport holds for a charge (or a cancel) whose answer was lost.

use crate::client::Client;
use crate::error::Error;
use crate::types::{
    GetPaymentByImpUidRequest, GetPaymentByMerchantUidRequest, Payment, PaymentStatus,
};

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
        use crate::Api as _;
        let request = GetPaymentByMerchantUidRequest {
            merchant_uid: merchant_uid.to_owned(),
            ..Default::default()
        };
        Reconciled::from_lookup(self.get_payment_by_merchant_uid(&request))
    }

    /// Like [`Client::reconcile`], by i'mport's `imp_uid` (`GET /payments/{imp_uid}`): for a
    /// [`Error::CancelOutcomeUnknown`] of a cancel sent by `imp_uid`.
    pub fn reconcile_imp_uid(&self, imp_uid: &str) -> Result<Reconciled, Error> {
        use crate::Api as _;
        let request = GetPaymentByImpUidRequest {
            imp_uid: imp_uid.to_owned(),
            ..Default::default()
        };
        Reconciled::from_lookup(self.get_payment_by_imp_uid(&request))
    }
}
