//! Charges: `onetime` (a key-in payment, optionally issuing a billing key) and `again` (a
//! payment on a billing key), the outcome of a test card, and the `merchant_uid` reservation
//! that keeps a retried charge from charging twice.

use std::sync::Arc;

use iamport::Amount;
use iamport::runtime::{OperationKind, OperationSpec, Request};
use iamport::types::{
    ChargeBillingKeyRequest, ChargeCardRequest, PaymentCustomerUidUsage, PaymentStatus,
    RetryScheduleRequest,
};

use super::error::ApiError;
use super::merchant::{Call, Core};
use super::rules::{
    UNKNOWN_BUYER, buyer_of, check_amount, check_card, check_paymentwall_buyer, non_empty,
};
use super::table::{Answer, Operation, Outcome};
use crate::state::cards::{self, CardBehavior};
use crate::state::channels::{Channel, NO_CHANNEL, PgRules};
use crate::state::clock::expiry_passed;
use crate::state::store::{
    Buyer, CustomerRec, DUPLICATE_SCHEDULED, PaymentRec, Store, random_upper, text,
};
use crate::state::webhook::WebhookBody;
use crate::support::lock;

pub(super) struct Charge {
    pub(super) merchant_uid: String,
    pub(super) amount: Amount,
    pub(super) currency: String,
    pub(super) name: Option<String>,
    pub(super) buyer: Buyer,
    pub(super) custom_data: Option<String>,
    pub(super) notice_url: Option<String>,
    pub(super) card_quota: i64,
    pub(super) channel: Channel,
    pub(super) card_number: String,
    pub(super) expiry: String,
    pub(super) customer_uid: Option<String>,
    pub(super) usage: Option<PaymentCustomerUidUsage>,
    /// Approved charges on the billing key before this one (`None` when no key is involved).
    pub(super) prior_approved: Option<u32>,
    pub(super) user_agent: Option<String>,
    /// Set when the PG refuses the charge before the card is tried (a scheduled charge that
    /// breaks PAYMENTWALL's buyer rules): recorded as failed with this reason.
    pub(super) refused: Option<&'static str>,
}

/// The outcome of charging: `Ok` = approved, `Err(fail_reason)` = declined.
fn decide(c: &Charge, now: i64) -> Result<(), &'static str> {
    if let Some(reason) = c.refused {
        return Err(reason);
    }
    if expiry_passed(&c.expiry, now) {
        return Err(cards::EXPIRED_CARD);
    }
    match cards::behavior_of(&c.card_number) {
        CardBehavior::Approve => Ok(()),
        CardBehavior::Decline(reason)
        | CardBehavior::Refuse(reason)
        | CardBehavior::DeclineThenApproveLater(reason) => Err(reason),
        CardBehavior::ApproveThenDecline(reason) => {
            if c.prior_approved.unwrap_or(0) == 0 {
                Ok(())
            } else {
                Err(reason)
            }
        }
    }
}

/// Records a charge (approved or declined) and returns a copy. The caller holds the store lock
/// and has checked the `merchant_uid`.
pub(super) fn record_charge(store: &mut Store, c: Charge, now: i64) -> PaymentRec {
    let outcome = decide(&c, now);
    // Declined by the card's own behaviour (not an expiry or a refusal): approved later.
    let late = matches!(
        (cards::behavior_of(&c.card_number), outcome),
        (CardBehavior::DeclineThenApproveLater(late), Err(reason)) if late == reason
    );
    let (card_name, card_code) = cards::brand_of(&c.card_number);
    let paid = outcome.is_ok();
    let mut rec = PaymentRec::new(
        &c.merchant_uid,
        c.amount,
        &c.currency,
        c.channel,
        (card_name, card_code, cards::mask(&c.card_number)),
        now,
    );
    rec.status = if paid {
        PaymentStatus::Paid
    } else {
        PaymentStatus::Failed
    };
    rec.pg_tid = format!("sbx_{}", random_upper(20)).into_boxed_str();
    rec.apply_num = paid.then(random_apply_num);
    rec.card_quota = c.card_quota;
    rec.name = text(&c.name);
    rec.buyer = c.buyer;
    rec.custom_data = text(&c.custom_data);
    rec.paid_at = if paid { now } else { 0 };
    rec.failed_at = if paid { 0 } else { now };
    rec.fail_reason = outcome.err().map(Box::from);
    rec.customer_uid = c.customer_uid.as_deref().map(Arc::from);
    rec.customer_uid_usage = c.usage;
    rec.notice_url = text(&c.notice_url);
    rec.user_agent = c.user_agent.as_deref().map(|a| store.user_agent(a));
    let index = store.push_payment(rec);
    if late {
        store.approve_later(index, now.saturating_add(cards::LATE_APPROVAL_SECONDS));
    }
    store.payment(index).clone()
}

/// The approval number of an approved charge: eight random digits at most.
fn random_apply_num() -> u32 {
    u32::try_from(crate::state::store::random_u64() % 100_000_000).unwrap_or_default()
}

/// Approves the declined payments whose late approval is due by `now` (each `paid` at its due
/// time, its decline kept in `failed_at`/`fail_reason`) and sends their `paid` webhooks.
pub(super) fn run_late_approvals(core: &Core, now: i64) {
    let approved: Vec<PaymentRec> = {
        let mut store = lock(&core.store);
        let due = store.take_due_approvals(now);
        due.into_iter()
            .map(|(at, index)| {
                let rec = store.payment_mut(index);
                rec.status = PaymentStatus::Paid;
                rec.paid_at = at;
                rec.apply_num = Some(random_apply_num());
                rec.clone()
            })
            .collect()
    };
    for rec in &approved {
        paid_webhook(core, rec);
    }
}

fn paid_webhook(core: &Core, rec: &PaymentRec) {
    if rec.status == PaymentStatus::Paid {
        notify(core, rec, "paid");
    }
}

/// Queues the webhook of `rec` with `status`.
pub(super) fn notify(core: &Core, rec: &PaymentRec, status: &str) {
    core.notify(
        rec.notice_url.as_deref(),
        WebhookBody {
            imp_uid: rec.imp_uid(),
            merchant_uid: rec.merchant_uid.to_string(),
            status: status.to_owned(),
            cancellation_id: None,
        },
    );
}

pub(super) fn check_merchant_uid(store: &Store, merchant_uid: &str) -> Result<(), ApiError> {
    if let Some(message) = store.merchant_uid_taken(merchant_uid) {
        return Err(ApiError::business(message));
    }
    if store.schedule_pending(merchant_uid) {
        return Err(ApiError::business(DUPLICATE_SCHEDULED));
    }
    Ok(())
}

/// A charge's hold on its `merchant_uid`, from the request's arrival until it has been handled
/// (dropped then). See [`Core::reserve_charge`].
pub struct Reservation {
    core: Arc<Core>,
    merchant_uid: String,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        lock(&self.core.store).release(&self.merchant_uid);
    }
}

impl Core {
    /// Called by the HTTP layer when a charge (an operation of kind
    /// [`OperationKind::Charge`]: `onetime`, `again`, a schedule's `retry`) arrives with a valid
    /// `token`, before any fault delays it: reserves its `merchant_uid`. While it is in flight,
    /// another charge with the same `merchant_uid` is refused (HTTP 200, `code: 1`), as is one
    /// after it was approved, so a client that timed out and re-charges with the same
    /// `merchant_uid` cannot charge twice. Anything else, or a request the handler will refuse
    /// anyway (bad token, no `merchant_uid`), reserves nothing: `Ok(None)`.
    pub fn reserve_charge(
        self: &Arc<Self>,
        operation: &OperationSpec,
        token: Option<&str>,
        merchant_uid: Option<&str>,
    ) -> Result<Option<Reservation>, ApiError> {
        let (Some(token), Some(merchant_uid)) = (token, merchant_uid) else {
            return Ok(None);
        };
        if operation.kind != OperationKind::Charge || merchant_uid.trim().is_empty() {
            return Ok(None);
        }
        let now = self.clock.now();
        let mut store = lock(&self.store);
        if !store.token_valid(token, now) {
            return Ok(None);
        }
        // A schedule's `retry` of a schedule that cannot be retried (not run yet, or paid) is
        // refused by its handler with HTTP 400, as the Swagger declares, not as a duplicate.
        if operation.operation_id == RetryScheduleRequest::OPERATION.operation_id
            && let Some(index) = store.schedule_index(merchant_uid)
            && !store.schedule(index).retryable()
        {
            return Ok(None);
        }
        store.reserve(merchant_uid).map_err(ApiError::business)?;
        Ok(Some(Reservation {
            core: Arc::clone(self),
            merchant_uid: merchant_uid.to_owned(),
        }))
    }
}

/// The `customer_uid` a `onetime` issues a billing key under, if any.
fn customer_uid_of(r: &ChargeCardRequest) -> Option<String> {
    non_empty(&r.customer_uid)
}

impl Operation for ChargeCardRequest {
    fn answer(self, core: &Core, call: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let channel = core
            .config
            .channels
            .select(r.pg.as_deref(), None)
            .ok_or_else(|| ApiError::business(NO_CHANNEL))?;
        let currency = non_empty(&r.currency).unwrap_or_else(|| "KRW".into());
        check_amount("amount", r.amount, &currency, r.tax_free)?;
        if channel.rules == PgRules::Paymentwall {
            if r.cvc.as_ref().is_none_or(|c| c.expose().is_empty()) {
                return Err(ApiError::bad_request(
                    "missing required parameter `cvc`: PAYMENTWALL requires it",
                ));
            }
            // `browser_ip` is not required: i'mport uses the caller's IP when it is absent (Swagger,
            // `browser_ip`: "입력하지 않은 경우 API를 호출한 클라이언트 IP로 설정됩니다").
            // Issuing a billing key: its e-mail is this one, so `buyer_email` is required.
            let key = customer_uid_of(&r).map(|_| r.buyer_email.as_deref());
            check_paymentwall_buyer(key, r.buyer_email.as_deref(), r.buyer_name.as_deref())
                .map_err(ApiError::bad_request)?;
        }
        let now = core.clock.now();
        check_card(
            r.card_number.expose(),
            r.expiry.expose(),
            r.cvc.as_ref().map(|c| c.expose()),
            now,
        )?;
        let customer_uid = customer_uid_of(&r);
        let buyer = buyer_of([
            &r.buyer_name,
            &r.buyer_email,
            &r.buyer_tel,
            &r.buyer_addr,
            &r.buyer_postcode,
        ]);
        let rec = {
            let mut store = lock(&core.store);
            check_merchant_uid(&store, &r.merchant_uid)?;
            super::prepare::check_prepared(&store, &r.merchant_uid, r.amount, &currency)?;
            let rec = record_charge(
                &mut store,
                Charge {
                    merchant_uid: r.merchant_uid.clone(),
                    amount: r.amount,
                    currency,
                    name: r.name.clone(),
                    buyer: buyer.clone(),
                    custom_data: r.custom_data.clone(),
                    notice_url: r.notice_url.clone(),
                    card_quota: r.card_quota.unwrap_or(0),
                    channel,
                    card_number: r.card_number.expose().to_owned(),
                    expiry: r.expiry.expose().to_owned(),
                    customer_uid: customer_uid.clone(),
                    usage: customer_uid
                        .as_ref()
                        .map(|_| PaymentCustomerUidUsage::Issue),
                    prior_approved: customer_uid.as_ref().map(|_| 0),
                    user_agent: call.user_agent.map(str::to_owned),
                    refused: None,
                },
                now,
            );
            if let (Some(uid), PaymentStatus::Paid) = (&customer_uid, &rec.status) {
                let (card_name, card_code) = cards::brand_of(r.card_number.expose());
                let inserted = store.customers.get(uid).map(|c| c.inserted).unwrap_or(now);
                store.customers.insert(
                    uid.clone(),
                    CustomerRec {
                        customer_uid: uid.clone(),
                        channel,
                        card_number_full: r.card_number.expose().to_owned(),
                        expiry: r.expiry.expose().to_owned(),
                        card_name,
                        card_code,
                        card_number: cards::mask(r.card_number.expose()),
                        customer_id: None,
                        buyer,
                        inserted,
                        updated: now,
                        approved_charges: 1,
                        group: None,
                    },
                );
            }
            rec
        };
        paid_webhook(core, &rec);
        Ok(Answer::ok(rec.to_payment()))
    }
}

impl Operation for ChargeBillingKeyRequest {
    fn answer(self, core: &Core, call: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let currency = non_empty(&r.currency).unwrap_or_else(|| "KRW".into());
        check_amount("amount", r.amount, &currency, r.tax_free)?;
        let now = core.clock.now();
        let rec = {
            let mut store = lock(&core.store);
            let customer = store
                .customers
                .get(&r.customer_uid)
                .cloned()
                .ok_or_else(|| ApiError::business(UNKNOWN_BUYER))?;
            if let Some(key) = non_empty(&r.channel_key)
                && key != customer.channel.channel_key
            {
                return Err(ApiError::business(NO_CHANNEL));
            }
            if customer.channel.rules == PgRules::Paymentwall {
                // No `browser_ip` check: i'mport falls back to the caller's IP (see `onetime`).
                check_paymentwall_buyer(
                    Some(customer.buyer.email.as_deref()),
                    r.buyer_email.as_deref(),
                    r.buyer_name.as_deref(),
                )
                .map_err(ApiError::bad_request)?;
            }
            check_merchant_uid(&store, &r.merchant_uid)?;
            super::prepare::check_prepared(&store, &r.merchant_uid, r.amount, &currency)?;
            let rec = record_charge(
                &mut store,
                Charge {
                    merchant_uid: r.merchant_uid.clone(),
                    amount: r.amount,
                    currency,
                    name: Some(r.name.clone()),
                    buyer: buyer_of([
                        &r.buyer_name,
                        &r.buyer_email,
                        &r.buyer_tel,
                        &r.buyer_addr,
                        &r.buyer_postcode,
                    ]),
                    custom_data: r.custom_data.clone(),
                    notice_url: r.notice_url.clone(),
                    card_quota: r.card_quota.unwrap_or(0),
                    channel: customer.channel,
                    card_number: customer.card_number_full.clone(),
                    expiry: customer.expiry.clone(),
                    customer_uid: Some(r.customer_uid.clone()),
                    usage: Some(PaymentCustomerUidUsage::Payment),
                    prior_approved: Some(customer.approved_charges),
                    user_agent: call.user_agent.map(str::to_owned),
                    refused: None,
                },
                now,
            );
            if rec.status == PaymentStatus::Paid
                && let Some(c) = store.customers.get_mut(&r.customer_uid)
            {
                c.approved_charges = c.approved_charges.saturating_add(1);
            }
            rec
        };
        paid_webhook(core, &rec);
        Ok(Answer::ok(rec.to_payment()))
    }
}
