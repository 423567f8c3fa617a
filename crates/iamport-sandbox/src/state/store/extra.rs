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

/// The virtual account of a payment issued by `POST /vbanks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VbankRec {
    /// The bank's standard code.
    pub code: Box<str>,
    /// The bank's name.
    pub name: Box<str>,
    /// The account number.
    pub num: Box<str>,
    /// The account holder's name.
    pub holder: Box<str>,
    /// The deposit deadline (unix seconds).
    pub due: i64,
    /// When it was issued (unix seconds).
    pub issued_at: i64,
    /// A deposit planned at this sandbox time, made when the clock reaches it.
    pub deposit_at: Option<i64>,
}

impl VbankRec {
    /// Shows the account in `payment` (a virtual-account payment: no card).
    pub fn fill(&self, payment: &mut iamport::types::Payment) {
        use iamport::runtime::Timestamp;
        payment.pay_method = Some("vbank".to_owned());
        payment.apply_num = None;
        payment.card_code = None;
        payment.card_name = None;
        payment.card_number = None;
        payment.card_quota = None;
        payment.card_type = None;
        payment.vbank_code = Some(self.code.to_string());
        payment.vbank_name = Some(self.name.to_string());
        payment.vbank_num = Some(self.num.to_string());
        payment.vbank_holder = Some(self.holder.to_string());
        payment.vbank_date = Some(Timestamp::from_unix_seconds(self.due));
        payment.vbank_issued_at = Some(Timestamp::from_unix_seconds(self.issued_at));
    }
}
