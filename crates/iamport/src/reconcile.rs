//! [`Client::reconcile`]: the real outcome of a charge whose answer was lost.

use crate::client::Client;
use crate::error::Error;
use crate::types::{GetPaymentByMerchantUidRequest, Payment, PaymentStatus};

/// What i'mport holds for a `merchant_uid`, as found by [`Client::reconcile`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Reconciled {
    /// The card was charged: `status == "paid"`.
    Paid(Box<Payment>),
    /// The charge reached the card company and was declined (`status == "failed"`; see
    /// `fail_reason`). The card was not charged.
    Declined(Box<Payment>),
    /// i'mport has no payment under this `merchant_uid` (HTTP 404): the request never arrived,
    /// the card was not charged.
    NotCharged,
    /// Any other status (`ready`, `cancelled`, ...): look at the payment.
    Other(Box<Payment>),
}

impl Reconciled {
    /// The payment i'mport holds, unless there is none.
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            Reconciled::Paid(p) | Reconciled::Declined(p) | Reconciled::Other(p) => Some(p),
            Reconciled::NotCharged => None,
        }
    }

    /// Whether the card was charged (the payment is `paid`).
    pub fn is_paid(&self) -> bool {
        matches!(self, Reconciled::Paid(_))
    }
}

impl Client {
    /// Looks up the payment of `merchant_uid` (`GET /payments/find/{merchant_uid}`, the newest
    /// when several share it) and tells what really happened to a charge that ended in
    /// [`Error::OutcomeUnknown`].
    ///
    /// The look-up is a read: it is retried on transport errors and 5xx like every read. A 404 is
    /// [`Reconciled::NotCharged`]; other errors are returned as they are, and then the outcome is
    /// still unknown: try again later rather than charging again.
    ///
    /// A lost request can still be in flight for a moment after the timeout: reconcile after a
    /// short pause, and before re-charging with the **same** `merchant_uid`.
    pub fn reconcile(&self, merchant_uid: &str) -> Result<Reconciled, Error> {
        use crate::Api as _;
        let request = GetPaymentByMerchantUidRequest {
            merchant_uid: merchant_uid.to_owned(),
            ..Default::default()
        };
        match self.get_payment_by_merchant_uid(&request) {
            Ok(payment) => Ok(match payment.status {
                PaymentStatus::Paid => Reconciled::Paid(Box::new(payment)),
                PaymentStatus::Failed => Reconciled::Declined(Box::new(payment)),
                _ => Reconciled::Other(Box::new(payment)),
            }),
            Err(Error::NotFound { .. }) => Ok(Reconciled::NotCharged),
            Err(other) => Err(other),
        }
    }
}
