//! Payment lists beyond one `merchant_uid`: by `imp_uid` and `merchant_uid` lists
//! (`GET /payments`), by status (`GET /payments/status/{payment_status}`), and a payment's
//! balance (`GET /payments/{imp_uid}/balance`).

use iamport::Amount;
use iamport::runtime::Timestamp;
use iamport::types::{
    GetPaymentBalanceRequest, ListPaymentsByStatusRequest, ListPaymentsRequest, PaymentBalance,
    PaymentBalanceHistories, PaymentBalanceSummary, PaymentSorting, PaymentStatus,
};

use super::error::ApiError;
use super::merchant::{Call, Core};
use super::payments::sort_payments;
use super::rules::{NO_PAYMENT, paged};
use super::table::{Answer, Operation, Outcome};
use crate::state::store::PaymentRec;
use crate::support::lock;

/// The most ids `GET /payments` takes (Swagger: "최대 100개").
pub const MAX_LISTED_IDS: usize = 100;
/// The longest window of `GET /payments/status/{payment_status}` and its default (90 days).
pub const STATUS_WINDOW_SECONDS: i64 = 90 * 86_400;

impl Operation for ListPaymentsRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let imp_uids = self.imp_uid.unwrap_or_default();
        let merchant_uids = self.merchant_uid.unwrap_or_default();
        let asked = imp_uids.len() + merchant_uids.len();
        if asked == 0 {
            return Err(ApiError::bad_request(
                "missing required parameter: `imp_uid[]` or `merchant_uid[]`",
            ));
        }
        if asked > MAX_LISTED_IDS {
            return Err(ApiError::bad_request(format!(
                "at most {MAX_LISTED_IDS} `imp_uid[]` and `merchant_uid[]` together"
            )));
        }
        let store = lock(&core.store);
        let mut found = Vec::new();
        for imp_uid in &imp_uids {
            found.extend(
                store
                    .payment_by_imp_uid(imp_uid)
                    .map(PaymentRec::to_payment),
            );
        }
        for merchant_uid in &merchant_uids {
            // The newest payment of each merchant_uid.
            let newest = store.payment_indices_by_merchant_uid(merchant_uid);
            found.extend(newest.first().map(|&i| store.payment(i).to_payment()));
        }
        match found.len() {
            0 => Err(ApiError::not_found(NO_PAYMENT)),
            n if n < asked => Ok(Answer {
                status: 207,
                response: found,
            }),
            _ => Ok(Answer::ok(found)),
        }
    }
}

/// The time a payment is searched by, for a status: when it started (`ready`, and `all`), was
/// paid, cancelled or failed (Swagger, `from`: "결제건의 최종 status에 따라 다른 검색기준이 적용됩니다").
fn searched_time(p: &PaymentRec) -> i64 {
    match p.status {
        PaymentStatus::Paid => p.paid_at,
        PaymentStatus::Cancelled => p.cancelled_at,
        PaymentStatus::Failed => p.failed_at,
        _ => p.started_at,
    }
}

impl Operation for ListPaymentsByStatusRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let wanted = self.payment_status.as_str();
        let status = match wanted {
            "all" => None,
            other => Some(other.parse::<PaymentStatus>().map_err(|_| {
                ApiError::bad_request(
                    "`payment_status` must be one of all, ready, paid, cancelled, failed",
                )
            })?),
        };
        let now = core.clock.now();
        let to = self.to.map_or(now, Timestamp::unix_seconds);
        let from = self.from.map_or(
            to.saturating_sub(STATUS_WINDOW_SECONDS),
            Timestamp::unix_seconds,
        );
        if from > to || to.saturating_sub(from) > STATUS_WINDOW_SECONDS {
            return Err(ApiError::bad_request(
                "`from` and `to` must be in order and at most 90 days apart",
            ));
        }
        let sorting = self
            .sorting
            .as_ref()
            .and_then(|s| s.as_str().parse::<PaymentSorting>().ok());
        let store = lock(&core.store);
        let mut list: Vec<&PaymentRec> = store
            .payments()
            .filter(|p| status.as_ref().is_none_or(|s| *s == p.status))
            .filter(|p| (from..=to).contains(&searched_time(p)))
            .collect();
        sort_payments(&mut list, sorting.as_ref());
        let payments = list.into_iter().map(PaymentRec::to_payment).collect();
        Ok(Answer::ok(paged(payments, self.page, self.limit)?.into()))
    }
}

impl Operation for GetPaymentBalanceRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let store = lock(&core.store);
        let rec = store
            .payment_by_imp_uid(&self.imp_uid)
            .ok_or_else(|| ApiError::not_found(NO_PAYMENT))?;
        // The whole amount is the primary means of payment (a card): no cash receipt, second
        // means or discount. One history entry per change: the payment, then each cancellation.
        let balance = |amount: Amount| PaymentBalance {
            tax_free: Some(Amount::ZERO),
            supply: Some(amount),
            vat: Some(Amount::ZERO),
            service: Some(Amount::ZERO),
        };
        let entry = |amount: Amount, at: i64| PaymentBalanceHistories {
            cash_receipt: None,
            primary: Some(balance(amount)),
            secondary: None,
            discount: None,
            created: Some(Timestamp::from_unix_seconds(at)),
        };
        let mut histories = Vec::new();
        if rec.paid_at > 0 {
            histories.push(entry(rec.amount, rec.paid_at));
        }
        let mut left = rec.amount;
        for c in &rec.cancel_history {
            left = left.checked_sub(c.amount).unwrap_or(Amount::ZERO);
            histories.push(entry(left, c.cancelled_at));
        }
        let amount = if rec.paid_at > 0 {
            rec.remaining()
        } else {
            Amount::ZERO
        };
        Ok(Answer::ok(PaymentBalanceSummary {
            amount: Some(amount),
            cash_receipt: None,
            primary: Some(balance(amount)),
            secondary: None,
            discount: None,
            histories: Some(histories),
        }))
    }
}
