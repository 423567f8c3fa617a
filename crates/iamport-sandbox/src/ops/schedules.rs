//! Scheduled payments: register, revoke, look up, change, reschedule and retry them, and run
//! the ones that fell due on the sandbox clock.

use iamport::types::{
    GetScheduleRequest, ListBillingKeySchedulesRequest, ListSchedulesByCustomerRequest,
    ListSchedulesRequest, PagedSchedules, PaymentCustomerUidUsage, PaymentStatus,
    ReschedulePaymentRequest, RetryScheduleRequest, SchedulePaymentsRequest,
    ScheduleResultPaymentStatus, ScheduleStatus, UnschedulePaymentsRequest, UpdateScheduleRequest,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::billing_keys::{CardInput, issue_key};
use super::charges::{Charge, check_merchant_uid, record_charge};
use super::error::ApiError;
use super::merchant::{Call, Core};
use super::rules::{
    MAX_RANGE_SECONDS, NO_CUSTOMER_FOR_SCHEDULE, NOTHING_TO_UNSCHEDULE, UNKNOWN_BUYER,
    check_amount, check_paymentwall_buyer, no_customer, no_schedule, non_empty, not_negative,
    paged, require,
};
use super::table::{Answer, Operation, Outcome};
use crate::state::channels::{NO_CHANNEL, PgRules};
use crate::state::store::{Buyer, PaymentRec, ScheduleRec, Store};
use crate::state::webhook::WebhookBody;
use crate::support::lock;

impl Operation for SchedulePaymentsRequest {
    fn prepare(input: &mut Map<String, Value>) -> Result<(), ApiError> {
        // `currency` is required by the spec but "defaults to KRW" and older clients omit it.
        if let Some(Value::Array(items)) = input.get_mut("schedules") {
            for item in items.iter_mut() {
                if let Value::Object(obj) = item {
                    let missing = match obj.get("currency") {
                        None | Some(Value::Null) => true,
                        Some(Value::String(s)) => s.is_empty(),
                        _ => false,
                    };
                    if missing {
                        obj.insert("currency".into(), Value::String("KRW".into()));
                    }
                }
            }
        }
        Ok(())
    }

    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        if r.schedules.is_empty() {
            return Err(ApiError::bad_request(
                "`schedules` must contain at least one schedule",
            ));
        }
        let now = core.clock.now();
        for (i, s) in r.schedules.iter().enumerate() {
            check_amount(
                &format!("schedules[{i}].amount"),
                s.amount,
                &s.currency,
                s.tax_free,
            )?;
            if s.schedule_at.0 <= now {
                return Err(ApiError::bad_request(format!(
                    "`schedules[{i}].schedule_at` must be in the future (unix seconds)"
                )));
            }
            if r.schedules[..i]
                .iter()
                .any(|o| o.merchant_uid == s.merchant_uid)
            {
                return Err(ApiError::bad_request(format!(
                    "`schedules[{i}].merchant_uid` repeats an earlier schedule's"
                )));
            }
        }
        let mut store = lock(&core.store);
        let customer = match store.customers.get(&r.customer_uid).cloned() {
            Some(c) => c,
            None => {
                let (Some(number), Some(expiry)) = (&r.card_number, &r.expiry) else {
                    return Err(ApiError::business(NO_CUSTOMER_FOR_SCHEDULE));
                };
                let channel = core
                    .config
                    .channels
                    .select(None, r.channel_key.as_deref())
                    .ok_or_else(|| ApiError::business(NO_CHANNEL))?;
                issue_key(
                    &mut store,
                    channel,
                    &r.customer_uid,
                    CardInput {
                        number: number.expose(),
                        expiry: expiry.expose(),
                        cvc: r.cvc.as_ref().map(|c| c.expose()),
                    },
                    Buyer::default(),
                    r.customer_id.clone(),
                    now,
                )?
                .clone()
            }
        };
        for s in &r.schedules {
            check_merchant_uid(&store, &s.merchant_uid)?;
            if store.in_flight(&s.merchant_uid) {
                return Err(ApiError::business(crate::state::store::DUPLICATE_IN_FLIGHT));
            }
        }
        let mut out = Vec::new();
        for s in &r.schedules {
            let seq = store.next_seq();
            let or = |a: &Option<String>, b: &crate::state::store::Text| {
                non_empty(a)
                    .map(String::into_boxed_str)
                    .or_else(|| b.clone())
            };
            let rec = ScheduleRec {
                seq,
                customer_uid: r.customer_uid.clone(),
                customer_id: r
                    .customer_id
                    .clone()
                    .or_else(|| customer.customer_id.clone()),
                merchant_uid: s.merchant_uid.clone(),
                schedule_at: s.schedule_at.0,
                executed_at: 0,
                revoked_at: 0,
                amount: s.amount,
                currency: s.currency.clone(),
                name: s.name.clone(),
                buyer: Buyer {
                    name: or(&s.buyer_name, &customer.buyer.name),
                    email: or(&s.buyer_email, &customer.buyer.email),
                    tel: or(&s.buyer_tel, &customer.buyer.tel),
                    addr: or(&s.buyer_addr, &customer.buyer.addr),
                    postcode: or(&s.buyer_postcode, &customer.buyer.postcode),
                },
                custom_data: s.custom_data.clone(),
                notice_url: non_empty(&s.notice_url),
                card_quota: 0,
                schedule_status: ScheduleStatus::Scheduled,
                payment_status: None,
                fail_reason: None,
                imp_uid: None,
                channel: customer.channel,
                promotion_id: s.promotion_id.clone(),
            };
            out.push(rec.to_schedule());
            // A revoked or failed schedule with the same merchant_uid is replaced.
            store.insert_schedule(rec);
        }
        drop(store);
        Ok(Answer::ok(out))
    }
}

impl Operation for UnschedulePaymentsRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let customer_uid = non_empty(&r.customer_uid);
        let merchant_uids: Option<Vec<String>> = r.merchant_uid.clone().filter(|m| !m.is_empty());
        if customer_uid.is_none() && merchant_uids.is_none() {
            return Err(ApiError::bad_request(
                "missing required parameter: `customer_uid` or `merchant_uid`",
            ));
        }
        let now = core.clock.now();
        let mut store = lock(&core.store);
        let mut candidates: Vec<usize> = match (&merchant_uids, &customer_uid) {
            (Some(mids), _) => mids
                .iter()
                .filter_map(|m| store.schedule_index(m))
                .collect(),
            (None, Some(c)) => store.schedule_indices_of_customer(c),
            (None, None) => Vec::new(),
        };
        candidates.sort_unstable();
        candidates.dedup();
        let mut out = Vec::new();
        for index in candidates {
            let s = store.schedule(index);
            let matches =
                s.is_pending() && customer_uid.as_ref().is_none_or(|c| *c == s.customer_uid);
            if matches {
                out.push(store.edit_schedule(index, |s| {
                    s.schedule_status = ScheduleStatus::Revoked;
                    s.revoked_at = now;
                    s.to_schedule()
                }));
            }
        }
        if out.is_empty() {
            return Err(ApiError::business(NOTHING_TO_UNSCHEDULE));
        }
        drop(store);
        Ok(Answer::ok(out))
    }
}

fn sort_schedules(list: &mut [&ScheduleRec], sorting: Option<&str>) {
    if sorting == Some("scheduled") {
        list.sort_by_key(|s| (s.schedule_at, s.seq));
    } else {
        list.sort_by_key(|s| std::cmp::Reverse((s.schedule_at, s.seq)));
    }
}

impl Operation for ListSchedulesRequest {
    fn prepare(input: &mut Map<String, Value>) -> Result<(), ApiError> {
        require(input, &["schedule_from", "schedule_to"])
    }

    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let from = not_negative("schedule_from", r.schedule_from.0)?;
        let to = not_negative("schedule_to", r.schedule_to.0)?;
        if to <= from {
            return Err(ApiError::bad_request(
                "`schedule_to` must be after `schedule_from`",
            ));
        }
        if to
            .checked_sub(from)
            .is_none_or(|span| span > MAX_RANGE_SECONDS)
        {
            return Err(ApiError::bad_request(
                "the range `schedule_from`..`schedule_to` may span at most 3 months",
            ));
        }
        let status = r.schedule_status.as_ref();
        let store = lock(&core.store);
        let mut list: Vec<&ScheduleRec> = store
            .schedule_indices_between(from, to)
            .into_iter()
            .map(|i| store.schedule(i))
            .filter(|s| status.is_none_or(|st| *st == s.schedule_status))
            .collect();
        sort_schedules(&mut list, r.sorting.as_deref());
        let schedules = list.into_iter().map(ScheduleRec::to_schedule).collect();
        Ok(Answer::ok(paged(schedules, r.page, r.limit)?.into()))
    }
}

fn schedules_by_customer(
    core: &Core,
    customer_uid: &str,
    from: i64,
    to: i64,
    page: Option<i64>,
    status: Option<&ScheduleStatus>,
) -> Result<PagedSchedules, ApiError> {
    let from = not_negative("from", from)?;
    let to = not_negative("to", to)?;
    if to <= from {
        return Err(ApiError::bad_request("`to` must be after `from`"));
    }
    let store = lock(&core.store);
    let mut list: Vec<&ScheduleRec> = store
        .schedule_indices_of_customer(customer_uid)
        .into_iter()
        .map(|i| store.schedule(i))
        .filter(|s| s.schedule_at >= from && s.schedule_at < to)
        .filter(|s| status.is_none_or(|st| *st == s.schedule_status))
        .collect();
    sort_schedules(&mut list, None);
    let schedules = list.into_iter().map(ScheduleRec::to_schedule).collect();
    Ok(paged(schedules, page, None)?.into())
}

impl Operation for GetScheduleRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let store = lock(&core.store);
        let index = known_schedule(&store, &r.merchant_uid)?;
        Ok(Answer::ok(store.schedule(index).to_schedule()))
    }
}

impl Operation for UpdateScheduleRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let now = core.clock.now();
        let mut store = lock(&core.store);
        let index = known_schedule(&store, &r.merchant_uid)?;
        let s = store.schedule(index);
        if !s.is_pending() {
            return Err(ApiError::bad_request(format!(
                "the schedule is {}: only a pending schedule can be changed (use reschedule for failed or revoked ones)",
                s.schedule_status.as_str()
            )));
        }
        in_the_future(r.schedule_at.0, now)?;
        let json = store.edit_schedule(index, |s| {
            s.schedule_at = r.schedule_at.0;
            s.to_schedule()
        });
        Ok(Answer::ok(json))
    }
}

impl Operation for ReschedulePaymentRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let now = core.clock.now();
        let mut store = lock(&core.store);
        let index = known_schedule(&store, &r.merchant_uid)?;
        let s = store.schedule(index);
        if !s.retryable() {
            return Err(ApiError::bad_request(
                "only a failed or revoked schedule can be rescheduled",
            ));
        }
        in_the_future(r.schedule_at.0, now)?;
        let json = store.edit_schedule(index, |s| {
            s.schedule_at = r.schedule_at.0;
            s.schedule_status = ScheduleStatus::Scheduled;
            s.executed_at = 0;
            s.revoked_at = 0;
            s.payment_status = None;
            s.fail_reason = None;
            s.imp_uid = None;
            s.to_schedule()
        });
        Ok(Answer::ok(json))
    }
}

impl Operation for RetryScheduleRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let now = core.clock.now();
        let (payment, webhook) = {
            let mut store = lock(&core.store);
            let index = known_schedule(&store, &r.merchant_uid)?;
            let s = store.schedule(index);
            if !s.retryable() {
                return Err(ApiError::bad_request(
                    "only a failed or revoked schedule can be retried",
                ));
            }
            if !store.customers.contains_key(&s.customer_uid) {
                return Err(no_customer(&s.customer_uid.clone()));
            }
            execute_schedule(&mut store, index, now)
        };
        if let Some((url, body)) = webhook {
            core.notify(url.as_deref(), body);
        }
        let payment =
            payment.ok_or_else(|| ApiError::business(crate::state::store::DUPLICATE_PAID))?;
        Ok(Answer::ok(payment.to_payment()))
    }
}

type Webhook = (Option<String>, WebhookBody);

/// The schedule's view of a payment status.
fn schedule_payment_status(status: &PaymentStatus) -> ScheduleResultPaymentStatus {
    match status {
        PaymentStatus::Paid => ScheduleResultPaymentStatus::Paid,
        PaymentStatus::Cancelled => ScheduleResultPaymentStatus::Cancelled,
        _ => ScheduleResultPaymentStatus::Failed,
    }
}

/// Executes one schedule as an `again` payment. The caller holds the lock.
fn execute_schedule(
    store: &mut Store,
    index: usize,
    now: i64,
) -> (Option<PaymentRec>, Option<Webhook>) {
    let s = store.schedule(index).clone();
    let finish = |store: &mut Store,
                  imp_uid: Option<String>,
                  status: ScheduleResultPaymentStatus,
                  reason: Option<String>| {
        store.edit_schedule(index, |t| {
            t.schedule_status = ScheduleStatus::Executed;
            t.executed_at = now;
            t.revoked_at = 0;
            t.imp_uid = imp_uid;
            t.payment_status = Some(status);
            t.fail_reason = reason;
        });
    };
    let failed = ScheduleResultPaymentStatus::Failed;
    let Some(customer) = store.customers.get(&s.customer_uid).cloned() else {
        finish(store, None, failed, Some(UNKNOWN_BUYER.to_owned()));
        return (None, None);
    };
    if let Some(message) = store.merchant_uid_taken(&s.merchant_uid) {
        finish(store, None, failed, Some(message.to_owned()));
        return (None, None);
    }
    // PAYMENTWALL's buyer rules hold here as on `again`: a schedule that breaks them fails.
    let refused = (customer.channel.rules == PgRules::Paymentwall)
        .then(|| {
            check_paymentwall_buyer(
                Some(customer.buyer.email.as_deref()),
                s.buyer.email.as_deref(),
                s.buyer.name.as_deref(),
            )
            .err()
        })
        .flatten();
    let rec = record_charge(
        store,
        Charge {
            merchant_uid: s.merchant_uid.clone(),
            amount: s.amount,
            currency: s.currency.clone(),
            name: Some(s.name.clone()),
            buyer: s.buyer.clone(),
            custom_data: s.custom_data.clone(),
            notice_url: s.notice_url.clone(),
            card_quota: s.card_quota,
            channel: customer.channel,
            card_number: customer.card_number_full.clone(),
            expiry: customer.expiry.clone(),
            customer_uid: Some(s.customer_uid.clone()),
            usage: Some(PaymentCustomerUidUsage::PaymentScheduled),
            prior_approved: Some(customer.approved_charges),
            user_agent: None,
            refused,
        },
        now,
    );
    if rec.status == PaymentStatus::Paid
        && let Some(c) = store.customers.get_mut(&s.customer_uid)
    {
        c.approved_charges = c.approved_charges.saturating_add(1);
    }
    finish(
        store,
        Some(rec.imp_uid()),
        schedule_payment_status(&rec.status),
        rec.fail_reason.as_deref().map(str::to_owned),
    );
    let body = WebhookBody {
        imp_uid: rec.imp_uid(),
        merchant_uid: rec.merchant_uid.to_string(),
        status: rec.status.as_str().to_owned(),
        cancellation_id: None,
    };
    (Some(rec), Some((s.notice_url.clone(), body)))
}

/// The two spellings of "a customer's schedules" (`/subscribe/payments/schedule/customers/{uid}`
/// and `/subscribe/customers/{uid}/schedules`) have the same fields and the same answer.
macro_rules! schedules_of_customer {
    ($($request:ty),*) => {$(
        impl Operation for $request {
            fn prepare(input: &mut Map<String, Value>) -> Result<(), ApiError> {
                require(input, &["from", "to"])
            }

            fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
                let status = self.schedule_status.as_ref();
                let page = schedules_by_customer(
                    core,
                    &self.customer_uid,
                    self.from.0,
                    self.to.0,
                    self.page,
                    status,
                )?;
                Ok(Answer::ok(page))
            }
        }
    )*};
}

schedules_of_customer!(
    ListSchedulesByCustomerRequest,
    ListBillingKeySchedulesRequest
);

/// A schedule executed because the sandbox clock reached its `schedule_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecutedSchedule {
    /// The schedule's (and its payment's) `merchant_uid`.
    pub merchant_uid: String,
    /// The payment made, when one was recorded.
    #[serde(default)]
    pub imp_uid: Option<String>,
    /// `paid` or `failed`.
    #[serde(default)]
    pub payment_status: Option<String>,
    /// Why the payment failed.
    #[serde(default)]
    pub fail_reason: Option<String>,
}

/// Executes every pending schedule whose time has come by `now`; returns what happened.
pub(super) fn run_due_schedules(core: &Core, now: i64) -> Vec<ExecutedSchedule> {
    let mut webhooks = Vec::new();
    let mut report = Vec::new();
    {
        let mut store = lock(&core.store);
        for index in store.due_schedule_indices(now) {
            let (_, webhook) = execute_schedule(&mut store, index, now);
            let s = store.schedule(index);
            report.push(ExecutedSchedule {
                merchant_uid: s.merchant_uid.clone(),
                imp_uid: s.imp_uid.clone(),
                payment_status: s.payment_status.as_ref().map(|p| p.as_str().to_owned()),
                fail_reason: s.fail_reason.clone(),
            });
            webhooks.extend(webhook);
        }
    }
    for (url, body) in webhooks {
        core.notify(url.as_deref(), body);
    }
    report
}

/// The rule `updateScheduleByMid` and `rescheduleByMid` share: the new `schedule_at` (unix
/// seconds) must be after `now`.
fn in_the_future(schedule_at: i64, now: i64) -> Result<(), ApiError> {
    if schedule_at <= now {
        return Err(ApiError::bad_request(
            "`schedule_at` must be in the future (unix seconds)",
        ));
    }
    Ok(())
}

/// The index of the schedule under `merchant_uid`, or i'mport's "no such schedule" refusal.
fn known_schedule(store: &Store, merchant_uid: &str) -> Result<usize, ApiError> {
    store
        .schedule_index(merchant_uid)
        .ok_or_else(|| no_schedule(merchant_uid))
}
