//! The records the store keeps (lean: ids as numbers or shared strings, fixed texts
//! `&'static str`) and the generated response types they are answered as.

use std::sync::Arc;

use iamport::types::{
    BillingKey, FailedChannel, FailedChannelType, Payment, PaymentCancel, PaymentCustomerUidUsage,
    PaymentStatus, ScheduleResult, ScheduleResultPaymentStatus, ScheduleStatus, SucceededChannel,
};
use iamport::{Amount, Timestamp};

use crate::state::channels::Channel;

/// "No record" in the chains of payments sharing a `merchant_uid` or `customer_uid`.
pub(super) const NO_RECORD: u32 = u32::MAX;

/// An optional text as stored: boxed, without the spare capacity of a `String`.
pub type Text = Option<Box<str>>;

/// The stored form of an optional string.
pub fn text(value: &Option<String>) -> Text {
    value.as_deref().map(Box::from)
}

/// A stored optional text as an owned one.
fn owned(text: &Text) -> Option<String> {
    text.as_deref().map(str::to_owned)
}

/// A unix time as the generated types hold it (i'mport sends 0 for "not yet").
fn at(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp(seconds))
}

/// Buyer fields shared by payments and schedules.
#[derive(Debug, Clone, Default)]
pub struct Buyer {
    pub name: Text,
    pub email: Text,
    pub tel: Text,
    pub addr: Text,
    pub postcode: Text,
}

/// Buyer fields as the generated types hold them.
struct BuyerView {
    name: Option<String>,
    email: Option<String>,
    tel: Option<String>,
    addr: Option<String>,
    postcode: Option<String>,
}

impl Buyer {
    fn view(&self) -> BuyerView {
        BuyerView {
            name: owned(&self.name),
            email: owned(&self.email),
            tel: owned(&self.tel),
            addr: owned(&self.addr),
            postcode: owned(&self.postcode),
        }
    }
}

/// One cancellation.
#[derive(Debug, Clone)]
pub struct CancelRec {
    pub pg_tid: Box<str>,
    pub amount: Amount,
    pub cancelled_at: i64,
    pub reason: Box<str>,
    pub cancellation_id: Box<str>,
}

/// One payment attempt. `seq`, `imp_no` and the chain links are set by [`super::Store::push_payment`].
#[derive(Debug, Clone)]
pub struct PaymentRec {
    pub seq: u64,
    /// The number of the `imp_uid` (`imp_` + at least 12 digits).
    pub imp_no: u64,
    pub merchant_uid: Arc<str>,
    pub amount: Amount,
    pub cancel_amount: Amount,
    pub currency: Box<str>,
    pub status: PaymentStatus,
    pub channel: Channel,
    pub pg_tid: Box<str>,
    pub apply_num: Option<u32>,
    pub card_name: &'static str,
    pub card_code: &'static str,
    /// The masked number.
    pub card_number: Box<str>,
    pub card_quota: i64,
    pub name: Text,
    pub buyer: Buyer,
    pub custom_data: Text,
    pub started_at: i64,
    pub paid_at: i64,
    pub failed_at: i64,
    pub cancelled_at: i64,
    pub updated_at: i64,
    pub fail_reason: Text,
    pub cancel_reason: Text,
    pub cancel_history: Vec<CancelRec>,
    pub customer_uid: Option<Arc<str>>,
    pub customer_uid_usage: Option<PaymentCustomerUidUsage>,
    pub notice_url: Text,
    pub user_agent: Option<Arc<str>>,
    /// The virtual account, for a payment issued by `POST /vbanks` (else a card payment).
    pub vbank: Option<Box<super::VbankRec>>,
    /// The previous payment with the same `merchant_uid` ([`NO_RECORD`] for none).
    pub(super) prev_same_merchant_uid: u32,
    /// The previous payment with the same `customer_uid` ([`NO_RECORD`] for none).
    pub(super) prev_same_customer: u32,
}

/// The `imp_uid` of an `imp_uid` number.
pub(super) fn imp_uid_of(imp_no: u64) -> String {
    format!("imp_{imp_no:012}")
}

/// The number of an `imp_uid` in the form the sandbox issues, else `None`.
pub(super) fn imp_no_of(imp_uid: &str) -> Option<u64> {
    let digits = imp_uid.strip_prefix("imp_")?;
    if digits.len() < 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    (imp_uid_of(n) == imp_uid).then_some(n)
}

impl PaymentRec {
    /// A new `ready` record with its card; the caller fills in the rest and
    /// [`super::Store::push_payment`] numbers it.
    pub fn new(
        merchant_uid: &str,
        amount: Amount,
        currency: &str,
        channel: Channel,
        card: (&'static str, &'static str, String),
        started_at: i64,
    ) -> Self {
        let (card_name, card_code, card_number) = card;
        PaymentRec {
            seq: 0,
            imp_no: 0,
            merchant_uid: Arc::from(merchant_uid),
            amount,
            cancel_amount: Amount::ZERO,
            currency: currency.into(),
            status: PaymentStatus::Ready,
            channel,
            pg_tid: Box::from(""),
            apply_num: None,
            card_name,
            card_code,
            card_number: card_number.into_boxed_str(),
            card_quota: 0,
            name: None,
            buyer: Buyer::default(),
            custom_data: None,
            started_at,
            paid_at: 0,
            failed_at: 0,
            cancelled_at: 0,
            updated_at: started_at,
            fail_reason: None,
            cancel_reason: None,
            cancel_history: Vec::new(),
            customer_uid: None,
            customer_uid_usage: None,
            notice_url: None,
            user_agent: None,
            vbank: None,
            prev_same_merchant_uid: NO_RECORD,
            prev_same_customer: NO_RECORD,
        }
    }

    /// The `imp_uid`.
    pub fn imp_uid(&self) -> String {
        imp_uid_of(self.imp_no)
    }

    /// The `Payment` object as i'mport sends it (absent values are `null`, timestamps 0).
    pub fn to_payment(&self) -> Payment {
        let buyer = self.buyer.view();
        let history = self
            .cancel_history
            .iter()
            .map(|c| PaymentCancel {
                pg_tid: Some(c.pg_tid.to_string()),
                amount: c.amount,
                cancelled_at: at(c.cancelled_at),
                reason: Some(c.reason.to_string()),
                cancellation_id: Some(c.cancellation_id.to_string()),
                receipt_url: None,
            })
            .collect();
        let mut payment = Payment {
            imp_uid: self.imp_uid(),
            merchant_uid: self.merchant_uid.to_string(),
            pay_method: Some("card".to_owned()),
            channel: Some("api".to_owned()),
            pg_provider: Some(self.channel.pg_provider.to_owned()),
            emb_pg_provider: None,
            pg_tid: Some(self.pg_tid.to_string()),
            pg_id: Some(self.channel.pg_id.to_owned()),
            sandbox: Some(false),
            escrow: Some(false),
            apply_num: self.apply_num.map(|n| format!("{n:08}")),
            bank_code: None,
            bank_name: None,
            card_code: Some(self.card_code.to_owned()),
            card_name: Some(self.card_name.to_owned()),
            card_issuer_code: None,
            card_issuer_name: None,
            card_publisher_code: None,
            card_publisher_name: None,
            card_quota: Some(self.card_quota),
            card_number: Some(self.card_number.to_string()),
            card_type: Some(0),
            vbank_code: None,
            vbank_name: None,
            vbank_num: None,
            vbank_holder: None,
            vbank_date: at(0),
            vbank_issued_at: at(0),
            name: owned(&self.name),
            amount: self.amount,
            cancel_amount: Some(self.cancel_amount),
            currency: Some(self.currency.to_string()),
            buyer_name: buyer.name,
            buyer_email: buyer.email,
            buyer_tel: buyer.tel,
            buyer_addr: buyer.addr,
            buyer_postcode: buyer.postcode,
            custom_data: owned(&self.custom_data),
            user_agent: Some(
                self.user_agent
                    .as_deref()
                    .unwrap_or("sorry_not_supported_anymore")
                    .to_owned(),
            ),
            status: self.status.clone(),
            started_at: at(self.started_at),
            paid_at: at(self.paid_at),
            failed_at: at(self.failed_at),
            cancelled_at: at(self.cancelled_at),
            fail_reason: owned(&self.fail_reason),
            cancel_reason: owned(&self.cancel_reason),
            receipt_url: None,
            cancel_history: Some(history),
            deposit_history: None,
            cancel_receipt_urls: Some(Vec::new()),
            cash_receipt_issued: Some(false),
            customer_uid: self.customer_uid.as_deref().map(str::to_owned),
            customer_uid_usage: self.customer_uid_usage.clone(),
            promotion: None,
        };
        if let Some(vbank) = &self.vbank {
            vbank.fill(&mut payment);
        }
        payment
    }

    /// What is left to cancel.
    pub fn remaining(&self) -> Amount {
        self.amount
            .checked_sub(self.cancel_amount)
            .unwrap_or(Amount::ZERO)
    }
}

/// One billing key.
#[derive(Debug, Clone)]
pub struct CustomerRec {
    pub customer_uid: String,
    pub channel: Channel,
    pub card_number_full: String,
    pub expiry: String,
    pub card_name: &'static str,
    pub card_code: &'static str,
    pub card_number: String,
    pub customer_id: Option<String>,
    pub buyer: Buyer,
    pub inserted: i64,
    pub updated: i64,
    /// Approved charges on this key so far.
    pub approved_charges: u32,
    /// Set when this is a smart-routing super billing key; `channel` is then its first
    /// succeeded channel, the one charged.
    pub group: Option<SuperKeyRec>,
}

/// What makes a billing key a smart-routing super billing key.
#[derive(Debug, Clone)]
pub struct SuperKeyRec {
    /// `channelGroupId`.
    pub group_id: String,
    /// The channels of the group on which a billing key was issued.
    pub succeeded: Vec<Channel>,
    /// The channels of the group that refused to issue one, each with its reason.
    pub failed: Vec<(Channel, &'static str)>,
}

impl CustomerRec {
    /// The `BillingKey` object: one card's billing key, or a super billing key shaped like
    /// i'mport's `SuperBillingKeyAnnotation` (card data per channel, none at the top level).
    pub fn to_billing_key(&self) -> BillingKey {
        let buyer = self.buyer.view();
        if let Some(group) = &self.group {
            return BillingKey {
                customer_uid: self.customer_uid.clone(),
                customer_id: self.customer_id.clone(),
                customer_name: buyer.name,
                customer_tel: buyer.tel,
                customer_email: buyer.email,
                customer_addr: buyer.addr,
                customer_postcode: buyer.postcode,
                channel_group_id: Some(group.group_id.clone()),
                succeeded_channels: Some(
                    group
                        .succeeded
                        .iter()
                        .map(|c| self.succeeded_on(c))
                        .collect(),
                ),
                failed_channels: Some(
                    group
                        .failed
                        .iter()
                        .map(|(c, message)| FailedChannel {
                            r#type: Some(FailedChannelType::PgProvider),
                            message: Some((*message).to_owned()),
                            pg_provider: c.pg_provider.to_owned(),
                            pg_id: c.pg_id.to_owned(),
                        })
                        .collect(),
                ),
                ..BillingKey::default()
            };
        }
        BillingKey {
            customer_uid: self.customer_uid.clone(),
            pg_provider: Some(self.channel.pg_provider.to_owned()),
            pg_id: Some(self.channel.pg_id.to_owned()),
            sandbox: Some(false),
            customer_id: self.customer_id.clone(),
            card_name: Some(self.card_name.to_owned()),
            card_code: Some(self.card_code.to_owned()),
            card_issuer_code: None,
            card_issuer_name: None,
            card_publisher_code: None,
            card_publisher_name: None,
            card_number: Some(self.card_number.clone()),
            card_type: Some(0),
            customer_name: buyer.name,
            customer_tel: buyer.tel,
            customer_email: buyer.email,
            customer_addr: buyer.addr,
            customer_postcode: buyer.postcode,
            inserted: at(self.inserted),
            updated: at(self.updated),
            channel_group_id: None,
            succeeded_channels: None,
            failed_channels: None,
        }
    }

    /// The key issued on one channel of a super billing key's group.
    fn succeeded_on(&self, channel: &Channel) -> SucceededChannel {
        SucceededChannel {
            pg_provider: channel.pg_provider.to_owned(),
            pg_id: channel.pg_id.to_owned(),
            card_name: Some(self.card_name.to_owned()),
            card_code: Some(self.card_code.to_owned()),
            card_number: Some(self.card_number.clone()),
            card_type: Some(0),
            inserted: at(self.inserted),
            updated: at(self.updated),
            ..SucceededChannel::default()
        }
    }
}

/// One scheduled payment.
#[derive(Debug, Clone)]
pub struct ScheduleRec {
    pub seq: u64,
    pub customer_uid: String,
    pub customer_id: Option<String>,
    pub merchant_uid: String,
    pub schedule_at: i64,
    pub executed_at: i64,
    pub revoked_at: i64,
    pub amount: Amount,
    pub currency: String,
    pub name: String,
    pub buyer: Buyer,
    pub custom_data: Option<String>,
    pub notice_url: Option<String>,
    pub card_quota: i64,
    pub schedule_status: ScheduleStatus,
    pub payment_status: Option<ScheduleResultPaymentStatus>,
    pub fail_reason: Option<String>,
    pub imp_uid: Option<String>,
    pub channel: Channel,
    pub promotion_id: Option<String>,
}

impl ScheduleRec {
    /// The `ScheduleResult` object.
    pub fn to_schedule(&self) -> ScheduleResult {
        let buyer = self.buyer.view();
        ScheduleResult {
            customer_uid: self.customer_uid.clone(),
            merchant_uid: self.merchant_uid.clone(),
            imp_uid: self.imp_uid.clone(),
            pg_provider: Some(self.channel.pg_provider.to_owned()),
            pg_id: Some(self.channel.pg_id.to_owned()),
            customer_id: self.customer_id.clone(),
            schedule_at: at(self.schedule_at),
            executed_at: at(self.executed_at),
            revoked_at: at(self.revoked_at),
            amount: Some(self.amount),
            currency: Some(self.currency.clone()),
            name: Some(self.name.clone()),
            buyer_name: buyer.name,
            buyer_email: buyer.email,
            buyer_tel: buyer.tel,
            buyer_addr: buyer.addr,
            buyer_postcode: buyer.postcode,
            custom_data: self.custom_data.clone(),
            schedule_status: Some(self.schedule_status.clone()),
            payment_status: self.payment_status.clone(),
            fail_reason: self.fail_reason.clone(),
            promotion_id: self.promotion_id.clone(),
        }
    }

    /// Whether the schedule is pending.
    pub fn is_pending(&self) -> bool {
        self.schedule_status == ScheduleStatus::Scheduled
    }

    /// Whether it ran and its payment failed.
    pub fn has_failed(&self) -> bool {
        self.schedule_status == ScheduleStatus::Executed
            && self.payment_status == Some(ScheduleResultPaymentStatus::Failed)
    }

    /// Whether `retry` and `reschedule` apply: it ran and failed, or it was revoked (a schedule
    /// not run yet, or paid, is refused with HTTP 400).
    pub fn retryable(&self) -> bool {
        self.has_failed() || self.schedule_status == ScheduleStatus::Revoked
    }
}
