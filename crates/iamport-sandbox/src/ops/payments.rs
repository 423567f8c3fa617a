//! Payments: look-ups by `imp_uid` and `merchant_uid`, lists, cancellations (full and partial)
//! and PAYMENTWALL delivery registration.

use iamport::Amount;
use iamport::types::{
    CancelPaymentRequest, FindAllPaymentsByStatusRequest, FindAllPaymentsRequest,
    FindPaymentByStatusRequest, FindPaymentRequest, GetPaymentRequest, PagedPayments, Payment,
    PaymentSorting, PaymentStatus, PaymentwallDeliveryDetail, PaymentwallDeliveryType,
    RegisterPaymentwallDeliveryRequest, ScheduleResultPaymentStatus,
};

use super::error::ApiError;
use super::merchant::{Call, Core};
use super::rules::{NO_PAYMENT, NOTHING_TO_CANCEL, non_empty, paged};
use super::table::{Answer, Operation, Outcome};
use crate::state::channels::PgRules;
use crate::state::store::{CancelRec, PaymentRec, Store, random_upper, text};
use crate::state::webhook::WebhookBody;
use crate::support::lock;

impl Operation for GetPaymentRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let store = lock(&core.store);
        let rec = store
            .payment_by_imp_uid(&r.imp_uid)
            .ok_or_else(|| ApiError::not_found(NO_PAYMENT))?;
        Ok(Answer::ok(rec.to_payment()))
    }
}

/// The payments with `merchant_uid` (and `status`, when given), newest first.
fn payments_of<'s>(
    store: &'s Store,
    merchant_uid: &str,
    status: Option<&PaymentStatus>,
) -> Vec<&'s PaymentRec> {
    store
        .payment_indices_by_merchant_uid(merchant_uid)
        .into_iter()
        .map(|i| store.payment(i))
        .filter(|p| status.is_none_or(|s| *s == p.status))
        .collect()
}

/// Sorts as i'mport does: by start, payment or update time, `-` first meaning newest first;
/// `-started` by default.
pub(super) fn sort_payments(list: &mut [&PaymentRec], sorting: Option<&PaymentSorting>) {
    use PaymentSorting::{PaidAsc, PaidDesc, StartedAsc, StartedDesc, UpdatedAsc, UpdatedDesc};
    let sorting = sorting.unwrap_or(&StartedDesc);
    let key = |p: &PaymentRec| match sorting {
        PaidDesc | PaidAsc => (p.paid_at, p.seq),
        UpdatedDesc | UpdatedAsc => (p.updated_at, p.seq),
        StartedDesc | StartedAsc => (p.started_at, p.seq),
    };
    if matches!(sorting, StartedDesc | PaidDesc | UpdatedDesc) {
        list.sort_by_key(|p| std::cmp::Reverse(key(p)));
    } else {
        list.sort_by_key(|p| key(p));
    }
}

/// The first payment with `merchant_uid` (and `status`) in the order asked for.
fn find_payment(
    core: &Core,
    merchant_uid: &str,
    status: Option<&PaymentStatus>,
    sorting: Option<&PaymentSorting>,
) -> Result<Payment, ApiError> {
    let store = lock(&core.store);
    let mut list = payments_of(&store, merchant_uid, status);
    sort_payments(&mut list, sorting);
    let rec = list
        .first()
        .ok_or_else(|| ApiError::not_found(NO_PAYMENT))?;
    Ok(rec.to_payment())
}

/// A page of the payments with `merchant_uid` (and `status`); 404 when there is none.
fn find_all_payments(
    core: &Core,
    merchant_uid: &str,
    status: Option<&PaymentStatus>,
    page: Option<i64>,
    limit: Option<i64>,
    sorting: Option<&PaymentSorting>,
) -> Result<PagedPayments, ApiError> {
    let store = lock(&core.store);
    let mut list = payments_of(&store, merchant_uid, status);
    if list.is_empty() {
        return Err(ApiError::not_found(NO_PAYMENT));
    }
    sort_payments(&mut list, sorting);
    let payments = list.into_iter().map(PaymentRec::to_payment).collect();
    Ok(paged(payments, page, limit)?.into())
}

impl Operation for CancelPaymentRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let imp_uid = non_empty(&r.imp_uid);
        let merchant_uid = non_empty(&r.merchant_uid);
        if imp_uid.is_none() && merchant_uid.is_none() {
            return Err(ApiError::bad_request(
                "missing required parameter: `imp_uid` or `merchant_uid`",
            ));
        }
        if r.amount.is_some_and(|a| a.is_negative()) {
            return Err(ApiError::bad_request("`amount` must not be negative"));
        }
        let now = core.clock.now();
        let (rec, cancellation_id) = {
            let mut store = lock(&core.store);
            let index = match (&imp_uid, &merchant_uid) {
                (Some(imp), _) => store.payment_index_by_imp_uid(imp),
                (None, Some(mid)) => {
                    // The newest payment with that merchant_uid that can be cancelled, else the newest.
                    let candidates = store.payment_indices_by_merchant_uid(mid);
                    candidates
                        .iter()
                        .copied()
                        .find(|&i| store.payment(i).status == PaymentStatus::Paid)
                        .or(candidates.first().copied())
                }
                (None, None) => None,
            };
            let index = index.ok_or_else(|| ApiError::business(NOTHING_TO_CANCEL))?;
            let p = store.payment_mut(index);
            match p.status {
                PaymentStatus::Paid => {}
                PaymentStatus::Cancelled => {
                    return Err(ApiError::business(
                        "이미 전액환불된 주문입니다. (already fully cancelled)",
                    ));
                }
                _ => {
                    return Err(ApiError::business(format!(
                        "결제완료 상태가 아닌 결제건은 취소할 수 없습니다. (the payment is {})",
                        p.status.as_str()
                    )));
                }
            }
            let remaining = p.remaining();
            if let Some(checksum) = r.checksum
                && checksum != remaining
            {
                return Err(ApiError::business(format!(
                    "checksum이 취소가능잔액과 일치하지 않습니다. (checksum {checksum} does not match the cancellable amount {remaining})"
                )));
            }
            let amount = match r.amount {
                Some(a) if a > Amount::ZERO => a,
                _ => remaining,
            };
            if amount > remaining {
                return Err(ApiError::business(format!(
                    "취소요청금액이 취소가능잔액보다 큽니다. (amount {amount} exceeds the cancellable amount {remaining})"
                )));
            }
            let new_cancelled = p
                .cancel_amount
                .checked_add(amount)
                .ok_or_else(|| ApiError::bad_request("`amount` is out of range"))?;
            let cancellation_id = random_upper(20);
            p.cancel_amount = new_cancelled;
            p.cancel_history.push(CancelRec {
                pg_tid: p.pg_tid.clone(),
                amount,
                cancelled_at: now,
                reason: r.reason.as_deref().unwrap_or_default().into(),
                cancellation_id: cancellation_id.as_str().into(),
            });
            p.cancelled_at = now;
            p.updated_at = now;
            p.cancel_reason = text(&r.reason);
            if p.remaining() == Amount::ZERO {
                p.status = PaymentStatus::Cancelled;
            }
            let rec = p.clone();
            // A scheduled payment's schedule shows the cancellation.
            let imp_uid = rec.imp_uid();
            if rec.status == PaymentStatus::Cancelled
                && let Some(index) = store.schedule_index(&rec.merchant_uid)
                && store.schedule(index).imp_uid.as_deref() == Some(imp_uid.as_str())
            {
                store.edit_schedule(index, |s| {
                    s.payment_status = Some(ScheduleResultPaymentStatus::Cancelled);
                });
            }
            (rec, cancellation_id)
        };
        if r.enable_webhook == Some(true) {
            core.notify(
                rec.notice_url.as_deref(),
                WebhookBody {
                    imp_uid: rec.imp_uid(),
                    merchant_uid: rec.merchant_uid.to_string(),
                    status: "cancelled".into(),
                    cancellation_id: Some(cancellation_id),
                },
            );
        }
        Ok(Answer::ok(rec.to_payment()))
    }
}

impl Operation for RegisterPaymentwallDeliveryRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let store = lock(&core.store);
        let p = store
            .payment_by_imp_uid(&r.imp_uid)
            .ok_or_else(|| ApiError::not_found(NO_PAYMENT))?;
        if *p.merchant_uid != *r.merchant_uid {
            return Err(ApiError::bad_request(
                "`merchant_uid` does not belong to `imp_uid`",
            ));
        }
        if p.channel.rules != PgRules::Paymentwall {
            return Err(ApiError::business(
                "the payment was not made on PAYMENTWALL",
            ));
        }
        // PAYMENTWALL refuses a physical delivery without its carrier and shipping address
        // ("physical 주문인 경우 필수 파라미터" in i'mport's Swagger), and i'mport passes the
        // refusal on under `code: 0`; a registration is `success: 1` (see decisions.md).
        let missing = missing_physical_fields(&r);
        if !missing.is_empty() {
            return Ok(Answer::ok(PaymentwallDeliveryDetail {
                success: None,
                error_code: Some(DELIVERY_MISSING_FIELDS_CODE),
                error: Some(format!(
                    "Missing parameters for a physical delivery: {}",
                    missing.join(", ")
                )),
                notices: Some(missing.iter().map(|f| format!("{f} is required")).collect()),
            }));
        }
        Ok(Answer::ok(PaymentwallDeliveryDetail {
            success: Some(1),
            error_code: None,
            error: None,
            notices: None,
        }))
    }
}

/// The sandbox's `error_code` for a physical delivery missing required fields (PAYMENTWALL's
/// own codes are not public).
const DELIVERY_MISSING_FIELDS_CODE: i64 = 2;

/// The fields a `physical` delivery needs that `r` leaves out or empty.
fn missing_physical_fields(r: &RegisterPaymentwallDeliveryRequest) -> Vec<&'static str> {
    if r.r#type != PaymentwallDeliveryType::Physical {
        return Vec::new();
    }
    [
        ("carrier_tracking_id", &r.carrier_tracking_id),
        ("carrier_type", &r.carrier_type),
        ("shipping_address_country", &r.shipping_address_country),
        ("shipping_address_city", &r.shipping_address_city),
        ("shipping_address_zip", &r.shipping_address_zip),
        ("shipping_address_state", &r.shipping_address_state),
        ("shipping_address_street", &r.shipping_address_street),
        ("shipping_address_phone", &r.shipping_address_phone),
        ("shipping_address_firstname", &r.shipping_address_firstname),
        ("shipping_address_lastname", &r.shipping_address_lastname),
    ]
    .into_iter()
    .filter(|(_, value)| value.as_deref().is_none_or(|v| v.trim().is_empty()))
    .map(|(name, _)| name)
    .collect()
}

impl Operation for FindPaymentRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let payment = find_payment(core, &self.merchant_uid, None, self.sorting.as_ref())?;
        Ok(Answer::ok(payment))
    }
}

impl Operation for FindPaymentByStatusRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let status = Some(&self.payment_status);
        let payment = find_payment(core, &self.merchant_uid, status, self.sorting.as_ref())?;
        Ok(Answer::ok(payment))
    }
}

impl Operation for FindAllPaymentsRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let (page, limit, sorting) = (self.page, self.limit, self.sorting.as_ref());
        let found = find_all_payments(core, &self.merchant_uid, None, page, limit, sorting)?;
        Ok(Answer::ok(found))
    }
}

impl Operation for FindAllPaymentsByStatusRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let (page, limit, sorting) = (self.page, self.limit, self.sorting.as_ref());
        let status = Some(&self.payment_status);
        let found = find_all_payments(core, &self.merchant_uid, status, page, limit, sorting)?;
        Ok(Answer::ok(found))
    }
}
