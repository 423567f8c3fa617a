//! The sandbox's state: tokens, billing keys, payments and schedules, as plain records that are
//! turned into the generated response types when answered.
//!
//! Records are indexed (hash maps by `imp_uid`, `merchant_uid`, `customer_uid` and schedule
//! `merchant_uid`, ordered sets by schedule time), so a look-up or a duplicate check touches only
//! the records it is about, however many are stored; `Store::records_examined` counts the
//! records touched, for tests. Payment records are kept lean (under 1.5 KB each with their index
//! entries): ids are numbers or shared strings, fixed texts are `&'static str`.

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use iamport::types::PaymentStatus;

mod extra;
mod ids;
mod records;

pub use extra::{PreparedRec, VbankRec};
pub use ids::{random_hex, random_u64, random_upper};
pub use records::{
    Buyer, CancelRec, CustomerRec, PaymentRec, ScheduleRec, SuperKeyRec, Text, text,
};
use records::{NO_RECORD, imp_no_of};

/// 30 minutes: a token's lifetime.
pub const TOKEN_LIFETIME: i64 = 30 * 60;
/// Within this many seconds of expiry, getToken extends the token...
pub const TOKEN_EXTEND_WINDOW: i64 = 60;
/// ...by this many seconds.
pub const TOKEN_EXTENSION: i64 = 5 * 60;

/// A schedule's key in the time-ordered sets: `(schedule_at, seq, index)`.
type TimeKey = (i64, u64, u32);

/// Everything the sandbox remembers. One lock guards it (see the crate docs).
#[derive(Debug, Default)]
pub struct Store {
    /// token -> expired_at.
    pub tokens: HashMap<String, i64>,
    /// imp_key -> its current token.
    pub current_tokens: HashMap<String, String>,
    pub customers: HashMap<String, CustomerRec>,
    payments: Vec<PaymentRec>,
    /// `imp_uid` number -> payment index.
    payment_by_imp_no: HashMap<u64, u32>,
    /// `merchant_uid` -> its newest payment's index (older ones are chained).
    last_payment_by_merchant_uid: HashMap<Arc<str>, u32>,
    /// `customer_uid` -> its newest payment's index (older ones are chained).
    last_payment_by_customer: HashMap<Arc<str>, u32>,
    /// The distinct `User-Agent`s, shared by the payments.
    user_agents: HashSet<Arc<str>>,
    schedules: Vec<ScheduleRec>,
    schedule_by_merchant_uid: HashMap<String, u32>,
    schedules_by_customer: HashMap<String, Vec<u32>>,
    /// Every schedule by time.
    schedules_by_time: BTreeSet<TimeKey>,
    /// The pending schedules by time.
    pending_by_time: BTreeSet<TimeKey>,
    /// Declined payments the PG approves later: `(when, payment index)`.
    late_approvals: BTreeSet<(i64, u32)>,
    /// Virtual-account deposits planned: `(when, payment index)`; an entry the payment's
    /// `deposit_at` no longer agrees with is skipped when taken.
    planned_deposits: BTreeSet<(i64, u32)>,
    /// `merchant_uid`s of charges that arrived and are not answered yet (see [`Store::reserve`]).
    in_flight: HashSet<String>,
    pub seq: u64,
    /// `merchant_uid` -> its prepared amount (`/payments/prepare`).
    pub prepared: HashMap<String, PreparedRec>,
    id_base: u64,
    /// Records touched by look-ups and duplicate checks (see `Store::records_examined`).
    examined: Cell<u64>,
}

fn index_of(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(NO_RECORD)
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

    /// Every payment, oldest first (for views of the whole store: lists, the dashboard).
    pub fn payments(&self) -> impl Iterator<Item = &PaymentRec> {
        self.payments.iter()
    }

    /// Every schedule, in the order they were registered.
    #[cfg(feature = "dashboard")]
    pub fn schedules(&self) -> impl Iterator<Item = &ScheduleRec> {
        self.schedules.iter()
    }

    /// How many stored records look-ups and duplicate checks have touched so far.
    #[cfg(test)]
    pub fn records_examined(&self) -> u64 {
        self.examined.get()
    }

    fn examine(&self) {
        self.examined.set(self.examined.get().saturating_add(1));
    }

    /// getToken: the same token until expiry, extended in its last minute, a new one after.
    pub fn issue_token(&mut self, imp_key: &str, now: i64) -> (String, i64) {
        if let Some(token) = self.current_tokens.get(imp_key)
            && let Some(expired_at) = self.tokens.get_mut(token)
            && *expired_at > now
        {
            if expired_at.saturating_sub(now) <= TOKEN_EXTEND_WINDOW {
                *expired_at = expired_at.saturating_add(TOKEN_EXTENSION);
            }
            return (token.clone(), *expired_at);
        }
        self.tokens.retain(|_, expired_at| *expired_at > now);
        let token = random_hex(40);
        let expired_at = now.saturating_add(TOKEN_LIFETIME);
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

    // -----------------------------------------------------------------------------------------
    // Payments

    /// The shared copy of a `User-Agent`.
    pub fn user_agent(&mut self, agent: &str) -> Arc<str> {
        if let Some(shared) = self.user_agents.get(agent) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(agent);
        self.user_agents.insert(Arc::clone(&shared));
        shared
    }

    /// Numbers, indexes and stores a payment; returns its index.
    pub fn push_payment(&mut self, mut rec: PaymentRec) -> usize {
        rec.seq = self.next_seq();
        rec.imp_no = self.id_base * 1000 + rec.seq;
        let index = index_of(self.payments.len());
        // Share the merchant_uid (and customer_uid) with the index key when it is already there.
        rec.prev_same_merchant_uid = NO_RECORD;
        if let Some((key, last)) = self
            .last_payment_by_merchant_uid
            .get_key_value(&*rec.merchant_uid)
        {
            rec.prev_same_merchant_uid = *last;
            rec.merchant_uid = Arc::clone(key);
        }
        self.last_payment_by_merchant_uid
            .insert(Arc::clone(&rec.merchant_uid), index);
        rec.prev_same_customer = NO_RECORD;
        if let Some(uid) = rec.customer_uid.take() {
            let uid = match self.last_payment_by_customer.get_key_value(&*uid) {
                Some((key, last)) => {
                    rec.prev_same_customer = *last;
                    Arc::clone(key)
                }
                None => uid,
            };
            self.last_payment_by_customer
                .insert(Arc::clone(&uid), index);
            rec.customer_uid = Some(uid);
        }
        self.payment_by_imp_no.insert(rec.imp_no, index);
        self.payments.push(rec);
        self.payments.len() - 1
    }

    /// The payment at `index`.
    pub fn payment(&self, index: usize) -> &PaymentRec {
        &self.payments[index]
    }

    /// The payment at `index`, to change it (not its ids).
    pub fn payment_mut(&mut self, index: usize) -> &mut PaymentRec {
        &mut self.payments[index]
    }

    /// The index of the payment with this `imp_uid`.
    pub fn payment_index_by_imp_uid(&self, imp_uid: &str) -> Option<usize> {
        let index = *self.payment_by_imp_no.get(&imp_no_of(imp_uid)?)?;
        self.examine();
        Some(index as usize)
    }

    /// The payment with this `imp_uid`.
    pub fn payment_by_imp_uid(&self, imp_uid: &str) -> Option<&PaymentRec> {
        self.payment_index_by_imp_uid(imp_uid)
            .map(|i| &self.payments[i])
    }

    /// The indices of the payments with this `merchant_uid`, newest first.
    pub fn payment_indices_by_merchant_uid(&self, merchant_uid: &str) -> Vec<usize> {
        let first = self.last_payment_by_merchant_uid.get(merchant_uid).copied();
        self.chain(first, |p| p.prev_same_merchant_uid)
    }

    /// The indices of the payments made with this `customer_uid`, newest first.
    pub fn payment_indices_by_customer(&self, customer_uid: &str) -> Vec<usize> {
        let first = self.last_payment_by_customer.get(customer_uid).copied();
        self.chain(first, |p| p.prev_same_customer)
    }

    fn chain(&self, first: Option<u32>, prev: impl Fn(&PaymentRec) -> u32) -> Vec<usize> {
        let mut out = Vec::new();
        let mut next = first.unwrap_or(NO_RECORD);
        while let Some(p) = self.payments.get(next as usize) {
            self.examine();
            out.push(next as usize);
            next = prev(p);
        }
        out
    }

    /// Why `merchant_uid` cannot be charged again, if it cannot (see the crate docs).
    pub fn merchant_uid_taken(&self, merchant_uid: &str) -> Option<&'static str> {
        let taken = self
            .payment_indices_by_merchant_uid(merchant_uid)
            .into_iter()
            .any(|i| self.payments[i].status != PaymentStatus::Failed);
        taken.then_some(DUPLICATE_PAID)
    }

    // -----------------------------------------------------------------------------------------
    // Schedules

    fn time_key(&self, index: usize) -> TimeKey {
        let s = &self.schedules[index];
        (s.schedule_at, s.seq, index_of(index))
    }

    fn unlink_times(&mut self, index: usize) {
        let key = self.time_key(index);
        self.schedules_by_time.remove(&key);
        self.pending_by_time.remove(&key);
    }

    fn link_times(&mut self, index: usize) {
        let key = self.time_key(index);
        self.schedules_by_time.insert(key);
        if self.schedules[index].is_pending() {
            self.pending_by_time.insert(key);
        }
    }

    /// Stores a schedule, replacing the one with the same `merchant_uid` if any; returns its
    /// index.
    pub fn insert_schedule(&mut self, rec: ScheduleRec) -> usize {
        if let Some(index) = self.schedule_index(&rec.merchant_uid) {
            self.unlink_times(index);
            let old_customer = self.schedules[index].customer_uid.clone();
            if old_customer != rec.customer_uid {
                if let Some(list) = self.schedules_by_customer.get_mut(&old_customer) {
                    list.retain(|&i| i as usize != index);
                }
                self.schedules_by_customer
                    .entry(rec.customer_uid.clone())
                    .or_default()
                    .push(index_of(index));
            }
            self.schedules[index] = rec;
            self.link_times(index);
            return index;
        }
        let index = self.schedules.len();
        self.schedule_by_merchant_uid
            .insert(rec.merchant_uid.clone(), index_of(index));
        self.schedules_by_customer
            .entry(rec.customer_uid.clone())
            .or_default()
            .push(index_of(index));
        self.schedules.push(rec);
        self.link_times(index);
        index
    }

    /// The schedule at `index`.
    pub fn schedule(&self, index: usize) -> &ScheduleRec {
        &self.schedules[index]
    }

    /// Changes the schedule at `index` (not its `merchant_uid` or `customer_uid`), keeping the
    /// time indexes right.
    pub fn edit_schedule<R>(
        &mut self,
        index: usize,
        edit: impl FnOnce(&mut ScheduleRec) -> R,
    ) -> R {
        self.unlink_times(index);
        let out = edit(&mut self.schedules[index]);
        self.link_times(index);
        out
    }

    /// The index of the schedule with this `merchant_uid`.
    pub fn schedule_index(&self, merchant_uid: &str) -> Option<usize> {
        let index = *self.schedule_by_merchant_uid.get(merchant_uid)?;
        self.examine();
        Some(index as usize)
    }

    /// Whether a pending schedule holds `merchant_uid`.
    pub fn schedule_pending(&self, merchant_uid: &str) -> bool {
        self.schedule_index(merchant_uid)
            .is_some_and(|i| self.schedules[i].is_pending())
    }

    /// The indices of the schedules of `customer_uid`.
    pub fn schedule_indices_of_customer(&self, customer_uid: &str) -> Vec<usize> {
        let list = self
            .schedules_by_customer
            .get(customer_uid)
            .map(Vec::as_slice)
            .unwrap_or_default();
        list.iter()
            .map(|&i| {
                self.examine();
                i as usize
            })
            .collect()
    }

    /// The indices of the schedules whose `schedule_at` is in `from..to`, oldest first.
    pub fn schedule_indices_between(&self, from: i64, to: i64) -> Vec<usize> {
        if to <= from {
            return Vec::new();
        }
        self.schedules_by_time
            .range((from, 0, 0)..(to, 0, 0))
            .map(|&(_, _, i)| {
                self.examine();
                i as usize
            })
            .collect()
    }

    /// The indices of the pending schedules due at `now`, oldest first.
    pub fn due_schedule_indices(&self, now: i64) -> Vec<usize> {
        self.pending_by_time
            .range(..=(now, u64::MAX, u32::MAX))
            .map(|&(_, _, i)| {
                self.examine();
                i as usize
            })
            .collect()
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

    /// Has the declined payment at `index` approved at `at` (see [`Store::take_due_approvals`]).
    pub fn approve_later(&mut self, index: usize, at: i64) {
        self.late_approvals.insert((at, index_of(index)));
    }

    /// The late approvals due by `now`, earliest first, as `(when, payment index)`; they are
    /// forgotten.
    pub fn take_due_approvals(&mut self, now: i64) -> Vec<(i64, usize)> {
        let later = self.late_approvals.split_off(&(now.saturating_add(1), 0));
        let due = std::mem::replace(&mut self.late_approvals, later);
        due.into_iter().map(|(at, i)| (at, i as usize)).collect()
    }

    /// Plans a deposit on the virtual-account payment at `index` at `at` (see
    /// [`Store::take_due_deposits`]).
    pub fn plan_deposit(&mut self, index: usize, at: i64) {
        self.planned_deposits.insert((at, index_of(index)));
    }

    /// The payments with a deposit planned by `now`, in payment order, each once; they are
    /// forgotten.
    pub fn take_due_deposits(&mut self, now: i64) -> Vec<usize> {
        let later = self.planned_deposits.split_off(&(now.saturating_add(1), 0));
        let due = std::mem::replace(&mut self.planned_deposits, later);
        let mut indices: Vec<usize> = due.into_iter().map(|(_, i)| i as usize).collect();
        indices.sort_unstable();
        indices.dedup();
        indices
    }

    /// Ends the reservation of `merchant_uid`.
    pub fn release(&mut self, merchant_uid: &str) {
        self.in_flight.remove(merchant_uid);
    }

    /// Whether a charge with `merchant_uid` is in flight.
    pub fn in_flight(&self, merchant_uid: &str) -> bool {
        self.in_flight.contains(merchant_uid)
    }
}

/// Message for a `merchant_uid` whose charge is still being processed.
pub const DUPLICATE_IN_FLIGHT: &str = "이미 결제가 진행 중인 merchant_uid입니다. (duplicate merchant_uid: a charge with this merchant_uid is still being processed; look it up with GET /payments/find/{merchant_uid} before charging again)";
/// Message for a `merchant_uid` that already has an approved payment.
pub const DUPLICATE_PAID: &str = "이미 결제가 완료된 merchant_uid입니다. (duplicate merchant_uid: a payment with this merchant_uid was already approved)";
/// Message for a `merchant_uid` that a pending schedule already holds.
pub const DUPLICATE_SCHEDULED: &str =
    "이미 예약된 merchant_uid입니다. (duplicate merchant_uid: a pending schedule already uses it)";

#[cfg(test)]
mod tests {
    use super::records::imp_uid_of;
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
        assert_eq!(
            imp_no_of(&imp_uid_of(123_456_789_001)),
            Some(123_456_789_001)
        );
        assert_eq!(
            imp_no_of("imp_0000000000001"),
            None,
            "not a form the sandbox issues"
        );
        assert_eq!(imp_no_of("imp_12345678901x"), None);
    }
}
