//! Records of the operations beyond payments, billing keys and schedules: prepared amounts
//! (`/payments/prepare`) and virtual accounts (`/vbanks`).

use iamport::Amount;

/// An amount prepared for a `merchant_uid` (`POST /payments/prepare`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRec {
    /// The amount a payment of this `merchant_uid` must have.
    pub amount: Amount,
    /// The currency it must have, when one was given (else the currency is not checked).
    pub currency: Option<String>,
}
