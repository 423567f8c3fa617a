//! Prepared amounts (`/payments/prepare`): register, change and look up the amount a payment of
//! a `merchant_uid` must have; a charge of a prepared `merchant_uid` with another amount (or
//! another currency, when one was prepared) is refused, as i'mport refuses it.

use iamport::Amount;
use iamport::types::{
    GetPaymentPrepareRequest, PaymentPrepare, PreparePaymentRequest, UpdatePaymentPrepareRequest,
};

use super::error::ApiError;
use super::merchant::{Call, Core};
use super::rules::non_empty;
use super::table::{Answer, Operation, Outcome};
use crate::state::store::{PreparedRec, Store};
use crate::support::{excerpt, lock};

/// `POST /payments/prepare` for a `merchant_uid` already prepared.
pub const ALREADY_PREPARED: &str = "이미 사전등록된 merchant_uid입니다. (already prepared: change its amount with PUT /payments/prepare)";

fn not_prepared(merchant_uid: &str) -> ApiError {
    ApiError::not_found(format!(
        "요청된 merchant_uid({})로 등록된 결제사전정보를 찾을 수 없습니다.",
        excerpt(merchant_uid, 80)
    ))
}

fn view(merchant_uid: &str, rec: &PreparedRec) -> PaymentPrepare {
    PaymentPrepare {
        merchant_uid: merchant_uid.to_owned(),
        amount: Some(rec.amount),
        currency: rec.currency.clone(),
    }
}

fn check_amount(amount: Amount) -> Result<(), ApiError> {
    if amount.is_negative() {
        return Err(ApiError::bad_request(
            "invalid parameter `amount`: must not be negative",
        ));
    }
    Ok(())
}

impl Operation for PreparePaymentRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        check_amount(self.amount)?;
        let mut store = lock(&core.store);
        if store.prepared.contains_key(&self.merchant_uid) {
            return Err(ApiError::business(ALREADY_PREPARED));
        }
        let rec = PreparedRec {
            amount: self.amount,
            currency: non_empty(&self.currency),
        };
        let answer = view(&self.merchant_uid, &rec);
        store.prepared.insert(self.merchant_uid, rec);
        Ok(Answer::ok(answer))
    }
}

impl Operation for UpdatePaymentPrepareRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        check_amount(self.amount)?;
        let mut store = lock(&core.store);
        let rec = store
            .prepared
            .get_mut(&self.merchant_uid)
            .ok_or_else(|| not_prepared(&self.merchant_uid))?;
        rec.amount = self.amount;
        if let Some(currency) = non_empty(&self.currency) {
            rec.currency = Some(currency);
        }
        Ok(Answer::ok(view(&self.merchant_uid, rec)))
    }
}

impl Operation for GetPaymentPrepareRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let store = lock(&core.store);
        let rec = store
            .prepared
            .get(&self.merchant_uid)
            .ok_or_else(|| not_prepared(&self.merchant_uid))?;
        Ok(Answer::ok(view(&self.merchant_uid, rec)))
    }
}

/// Refuses a charge of `amount` in `currency` for a `merchant_uid` prepared with another
/// amount or currency (HTTP 200, `code: 1`, nothing charged).
pub(super) fn check_prepared(
    store: &Store,
    merchant_uid: &str,
    amount: Amount,
    currency: &str,
) -> Result<(), ApiError> {
    let Some(rec) = store.prepared.get(merchant_uid) else {
        return Ok(());
    };
    if rec.amount != amount {
        return Err(ApiError::business(format!(
            "사전등록된 결제금액({})과 요청된 결제금액({amount})이 다릅니다. (the amount differs from the one prepared for this merchant_uid)",
            rec.amount
        )));
    }
    if let Some(prepared) = &rec.currency
        && !prepared.eq_ignore_ascii_case(currency)
    {
        return Err(ApiError::business(format!(
            "사전등록된 결제통화({})와 요청된 결제통화({})가 다릅니다. (the currency differs from the one prepared for this merchant_uid)",
            excerpt(prepared, 8),
            excerpt(currency, 8)
        )));
    }
    Ok(())
}
