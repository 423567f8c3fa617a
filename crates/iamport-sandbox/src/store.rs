//! The sandbox's state: tokens, billing keys, payments and schedules, as plain records that are
//! turned into the generated response types when answered.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};

use iamport::Amount;
use serde_json::{Value, json};

use crate::channels::Channel;

/// 30 minutes: a token's lifetime.
pub const TOKEN_LIFETIME: i64 = 30 * 60;
/// Within this many seconds of expiry, getToken extends the token...
pub const TOKEN_EXTEND_WINDOW: i64 = 60;
/// ...by this many seconds.
pub const TOKEN_EXTENSION: i64 = 5 * 60;

/// Buyer fields shared by payments and schedules.
#[derive(Debug, Clone, Default)]
pub struct Buyer {
    pub name: Option<String>,
    pub email: Option<String>,
    pub tel: Option<String>,
    pub addr: Option<String>,
    pub postcode: Option<String>,
}

/// One cancellation.
#[derive(Debug, Clone)]
pub struct CancelRec {
    pub pg_tid: String,
    pub amount: Amount,
    pub cancelled_at: i64,
    pub reason: String,
    pub cancellation_id: String,
}

/// One payment attempt.
#[derive(Debug, Clone)]
pub struct PaymentRec {
    pub seq: u64,
    pub imp_uid: String,
    pub merchant_uid: String,
    pub amount: Amount,
    pub cancel_amount: Amount,
    pub currency: String,
    pub status: &'static str,
    pub channel: Channel,
    pub pg_tid: String,
    pub apply_num: Option<String>,
    pub card_name: String,
    pub card_code: String,
    pub card_number: String,
    pub card_quota: i64,
    pub name: Option<String>,
    pub buyer: Buyer,
    pub custom_data: Option<String>,
    pub started_at: i64,
    pub paid_at: i64,
    pub failed_at: i64,
    pub cancelled_at: i64,
    pub updated_at: i64,
    pub fail_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub cancel_history: Vec<CancelRec>,
    pub customer_uid: Option<String>,
    pub customer_uid_usage: Option<&'static str>,
    pub notice_url: Option<String>,
    pub user_agent: Option<String>,
}

impl PaymentRec {
    /// The `Payment` object as i'mport sends it (absent values are `null`, timestamps 0).
    pub fn to_json(&self) -> Value {
        let history: Vec<Value> = self
            .cancel_history
            .iter()
            .map(|c| {
                json!({
                    "pg_tid": c.pg_tid, "amount": c.amount, "cancelled_at": c.cancelled_at,
                    "reason": c.reason, "cancellation_id": c.cancellation_id, "receipt_url": Value::Null,
                })
            })
            .collect();
        json!({
            "imp_uid": self.imp_uid,
            "merchant_uid": self.merchant_uid,
            "pay_method": "card",
            "channel": "api",
            "pg_provider": self.channel.pg_provider,
            "emb_pg_provider": Value::Null,
            "pg_tid": self.pg_tid,
            "pg_id": self.channel.pg_id,
            "escrow": false,
            "apply_num": self.apply_num,
            "bank_code": Value::Null,
            "bank_name": Value::Null,
            "card_code": self.card_code,
            "card_name": self.card_name,
            "card_issuer_code": Value::Null,
            "card_issuer_name": Value::Null,
            "card_publisher_code": Value::Null,
            "card_publisher_name": Value::Null,
            "card_quota": self.card_quota,
            "card_number": self.card_number,
            "card_type": 0,
            "vbank_code": Value::Null,
            "vbank_name": Value::Null,
            "vbank_num": Value::Null,
            "vbank_holder": Value::Null,
            "vbank_date": 0,
            "vbank_issued_at": 0,
            "name": self.name,
            "amount": self.amount,
            "cancel_amount": self.cancel_amount,
            "currency": self.currency,
            "buyer_name": self.buyer.name,
            "buyer_email": self.buyer.email,
            "buyer_tel": self.buyer.tel,
            "buyer_addr": self.buyer.addr,
            "buyer_postcode": self.buyer.postcode,
            "custom_data": self.custom_data,
            "user_agent": self.user_agent.clone().unwrap_or_else(|| "sorry_not_supported_anymore".into()),
            "status": self.status,
            "started_at": self.started_at,
            "paid_at": self.paid_at,
            "failed_at": self.failed_at,
            "cancelled_at": self.cancelled_at,
            "fail_reason": self.fail_reason,
            "cancel_reason": self.cancel_reason,
            "receipt_url": Value::Null,
            "cancel_history": history,
            "cancel_receipt_urls": Vec::<String>::new(),
            "cash_receipt_issued": false,
            "customer_uid": self.customer_uid,
            "customer_uid_usage": self.customer_uid_usage,
            "sandbox": false,
        })
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
    pub card_name: String,
    pub card_code: String,
    pub card_number: String,
    pub customer_id: Option<String>,
    pub buyer: Buyer,
    pub inserted: i64,
    pub updated: i64,
    /// Approved charges on this key so far.
    pub approved_charges: u32,
}

impl CustomerRec {
    /// The `Customer` object.
    pub fn to_json(&self) -> Value {
        json!({
            "customer_uid": self.customer_uid,
            "pg_provider": self.channel.pg_provider,
            "pg_id": self.channel.pg_id,
            "customer_id": self.customer_id,
            "card_name": self.card_name,
            "card_code": self.card_code,
            "card_number": self.card_number,
            "card_type": 0,
            "card_issuer_code": Value::Null,
            "card_issuer_name": Value::Null,
            "card_publisher_code": Value::Null,
            "card_publisher_name": Value::Null,
            "customer_name": self.buyer.name,
            "customer_tel": self.buyer.tel,
            "customer_email": self.buyer.email,
            "customer_addr": self.buyer.addr,
            "customer_postcode": self.buyer.postcode,
            "inserted": self.inserted,
            "updated": self.updated,
            "sandbox": false,
        })
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
    pub schedule_status: &'static str,
    pub payment_status: Option<&'static str>,
    pub fail_reason: Option<String>,
    pub imp_uid: Option<String>,
    pub channel: Channel,
    pub promotion_id: Option<String>,
}

impl ScheduleRec {
    /// The `ScheduleResult` object.
    pub fn to_json(&self) -> Value {
        json!({
            "customer_uid": self.customer_uid,
            "merchant_uid": self.merchant_uid,
            "imp_uid": self.imp_uid,
            "pg_provider": self.channel.pg_provider,
            "pg_id": self.channel.pg_id,
            "customer_id": self.customer_id,
            "schedule_at": self.schedule_at,
            "executed_at": self.executed_at,
            "revoked_at": self.revoked_at,
            "amount": self.amount,
            "currency": self.currency,
            "name": self.name,
            "buyer_name": self.buyer.name,
            "buyer_email": self.buyer.email,
            "buyer_tel": self.buyer.tel,
            "buyer_addr": self.buyer.addr,
            "buyer_postcode": self.buyer.postcode,
            "custom_data": self.custom_data,
            "schedule_status": self.schedule_status,
            "payment_status": self.payment_status,
            "fail_reason": self.fail_reason,
            "promotion_id": self.promotion_id,
        })
    }
}

/// Everything the sandbox remembers. One lock guards it (see the crate docs).
#[derive(Debug, Default)]
pub struct Store {
    /// token -> expired_at.
    pub tokens: HashMap<String, i64>,
    /// imp_key -> its current token.
    pub current_tokens: HashMap<String, String>,
    pub customers: HashMap<String, CustomerRec>,
    pub payments: Vec<PaymentRec>,
    pub schedules: Vec<ScheduleRec>,
    /// `merchant_uid`s of charges that arrived and are not answered yet (see [`Store::reserve`]).
    in_flight: HashSet<String>,
    pub seq: u64,
    id_base: u64,
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store {
            id_base: random_u64() % 900_000_000 + 100_000_000,
            ..Store::default()
        }
    }

    /// The next sequence number.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A fresh `imp_uid` (`imp_` + 12 digits).
    pub fn new_imp_uid(&mut self) -> String {
        let n = self.next_seq();
        format!("imp_{:012}", self.id_base * 1000 + n)
    }

    /// getToken: the same token until expiry, extended in its last minute, a new one after.
    pub fn issue_token(&mut self, imp_key: &str, now: i64) -> (String, i64) {
        if let Some(token) = self.current_tokens.get(imp_key)
            && let Some(expired_at) = self.tokens.get_mut(token)
            && *expired_at > now
        {
            if *expired_at - now <= TOKEN_EXTEND_WINDOW {
                *expired_at += TOKEN_EXTENSION;
            }
            return (token.clone(), *expired_at);
        }
        self.tokens.retain(|_, expired_at| *expired_at > now);
        let token = random_hex(40);
        let expired_at = now + TOKEN_LIFETIME;
        self.tokens.insert(token.clone(), expired_at);
        self.current_tokens
            .insert(imp_key.to_owned(), token.clone());
        (token, expired_at)
    }

    /// Whether `token` is known and not past its `expired_at`.
    pub fn token_valid(&self, token: &str, now: i64) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|expired_at| now < *expired_at)
    }

    pub fn payment_by_imp_uid(&self, imp_uid: &str) -> Option<&PaymentRec> {
        self.payments.iter().find(|p| p.imp_uid == imp_uid)
    }

    pub fn schedule_index(&self, merchant_uid: &str) -> Option<usize> {
        self.schedules
            .iter()
            .rposition(|s| s.merchant_uid == merchant_uid)
    }

    /// Why `merchant_uid` cannot be charged again, if it cannot (see the crate docs).
    pub fn merchant_uid_taken(&self, merchant_uid: &str) -> Option<&'static str> {
        if self
            .payments
            .iter()
            .any(|p| p.merchant_uid == merchant_uid && p.status != "failed")
        {
            return Some(DUPLICATE_PAID);
        }
        None
    }
}

impl Store {
    /// Reserves `merchant_uid` for a charge that just arrived, before anything (a latency fault,
    /// the PG) delays it: refused while another charge with it is in flight, after one was
    /// approved, or while a pending schedule holds it. [`Store::release`] ends the reservation
    /// once the charge has been handled.
    pub fn reserve(&mut self, merchant_uid: &str) -> Result<(), &'static str> {
        if self.in_flight.contains(merchant_uid) {
            return Err(DUPLICATE_IN_FLIGHT);
        }
        if let Some(message) = self.merchant_uid_taken(merchant_uid) {
            return Err(message);
        }
        if self.schedule_pending(merchant_uid) {
            return Err(DUPLICATE_SCHEDULED);
        }
        self.in_flight.insert(merchant_uid.to_owned());
        Ok(())
    }

    /// Ends the reservation of `merchant_uid`.
    pub fn release(&mut self, merchant_uid: &str) {
        self.in_flight.remove(merchant_uid);
    }

    /// Whether a charge with `merchant_uid` is in flight.
    pub fn in_flight(&self, merchant_uid: &str) -> bool {
        self.in_flight.contains(merchant_uid)
    }

    /// Whether a pending schedule holds `merchant_uid`.
    pub fn schedule_pending(&self, merchant_uid: &str) -> bool {
        self.schedules
            .iter()
            .any(|s| s.merchant_uid == merchant_uid && s.schedule_status == "scheduled")
    }
}

/// Message for a `merchant_uid` whose charge is still being processed.
pub const DUPLICATE_IN_FLIGHT: &str = "이미 결제가 진행 중인 merchant_uid입니다. (duplicate merchant_uid: a charge with this merchant_uid is still being processed; look it up with GET /payments/find/{merchant_uid} before charging again)";
/// Message for a `merchant_uid` that already has an approved payment.
pub const DUPLICATE_PAID: &str = "이미 결제가 완료된 merchant_uid입니다. (duplicate merchant_uid: a payment with this merchant_uid was already approved)";
/// Message for a `merchant_uid` that a pending schedule already holds.
pub const DUPLICATE_SCHEDULED: &str =
    "이미 예약된 merchant_uid입니다. (duplicate merchant_uid: a pending schedule already uses it)";

/// 64 random bits from the standard library's randomly seeded hasher.
pub fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish()
}

/// `len` random lowercase hex digits.
pub fn random_hex(len: usize) -> String {
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        out.push_str(&format!("{:016x}", random_u64()));
    }
    out.truncate(len);
    out
}

/// `len` random characters from `A-Z0-9` (cancellation ids look like `06JC8FVHJTW2WY16FEY0`).
pub fn random_upper(len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    (0..len)
        .map(|_| ALPHABET[(random_u64() % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_reused_extended_and_renewed() {
        let mut store = Store::new();
        let (t1, e1) = store.issue_token("k", 1000);
        assert_eq!(e1, 1000 + TOKEN_LIFETIME);
        assert_eq!(t1.len(), 40);
        let (t2, e2) = store.issue_token("k", 1500);
        assert_eq!((t2.as_str(), e2), (t1.as_str(), e1));
        let (t3, e3) = store.issue_token("k", e1 - 30);
        assert_eq!((t3.as_str(), e3), (t1.as_str(), e1 + TOKEN_EXTENSION));
        assert!(store.token_valid(&t1, e3 - 1));
        assert!(!store.token_valid(&t1, e3));
        let (t4, _) = store.issue_token("k", e3);
        assert_ne!(t4, t1);
        assert_ne!(store.new_imp_uid(), store.new_imp_uid());
    }
}
