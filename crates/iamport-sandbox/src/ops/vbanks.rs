//! Virtual accounts (`/vbanks`): issue one (a payment `ready` with its account), change its
//! amount or deadline, revoke it (`cancelled`), look up an account holder; and the deposit, made
//! by a test through `Sandbox::deposit_vbank` or `POST /__sandbox/vbanks/deposit`, at once or
//! when the clock reaches a given time: the payment becomes `paid` and a `paid` webhook is
//! queued, as i'mport notifies a deposit.

use iamport::types::{
    GetVbankHolderRequest, IssueVbankRequest, Payment, RevokeVbankRequest, UpdateVbankRequest,
    VbankHolder,
};
use iamport::{Amount, types::PaymentStatus};

use super::charges::{check_merchant_uid, notify};
use super::codes::BANKS;
use super::error::ApiError;
use super::merchant::{Call, Core};
use super::rules::{NO_PAYMENT, buyer_of, non_empty};
use super::table::{Answer, Operation, Outcome};
use crate::state::channels::NO_CHANNEL;
use crate::state::store::{PaymentRec, Store, VbankRec, random_upper, text};
use crate::support::{excerpt, lock};

/// The account holder the sandbox reports for every account (`GET /vbanks/holder`).
pub const SANDBOX_HOLDER: &str = "홍길동";

fn bank_name(code: &str) -> Result<&'static str, ApiError> {
    BANKS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "invalid parameter `vbank_code`: `{}` is not a bank standard code (GET /banks lists them)",
                excerpt(code, 20)
            ))
        })
}

impl Operation for IssueVbankRequest {
    fn answer(self, core: &Core, call: &Call<'_>) -> Outcome<Self> {
        let r = self;
        let channel = core
            .config
            .channels
            .select(None, Some(&r.channel_key))
            .ok_or_else(|| ApiError::business(NO_CHANNEL))?;
        if r.amount.is_negative() || r.amount == Amount::ZERO {
            return Err(ApiError::bad_request(
                "invalid parameter `amount`: must be positive",
            ));
        }
        let name = bank_name(&r.vbank_code)?;
        let now = core.clock.now();
        let due = r.vbank_due.unix_seconds();
        if due <= now {
            return Err(ApiError::bad_request(
                "invalid parameter `vbank_due`: the deadline has passed",
            ));
        }
        let mut store = lock(&core.store);
        check_merchant_uid(&store, &r.merchant_uid)?;
        let mut rec = PaymentRec::new(
            &r.merchant_uid,
            r.amount,
            "KRW",
            channel,
            ("", "", String::new()),
            now,
        );
        rec.pg_tid = format!("sbx_{}", random_upper(20)).into_boxed_str();
        rec.name = text(&r.name);
        rec.buyer = buyer_of([
            &r.buyer_name,
            &r.buyer_email,
            &r.buyer_tel,
            &r.buyer_addr,
            &r.buyer_postcode,
        ]);
        rec.custom_data = text(&r.custom_data);
        rec.notice_url = r
            .notice_url
            .as_ref()
            .and_then(|u| u.first())
            .map(|u| Box::from(u.as_str()));
        rec.user_agent = call.user_agent.map(|a| store.user_agent(a));
        let num = non_empty(&r.vbank_num).unwrap_or_else(|| {
            format!("{}", crate::state::store::random_u64() % 10_000_000_000_000)
        });
        rec.vbank = Some(Box::new(VbankRec {
            code: r.vbank_code.as_str().into(),
            name: name.into(),
            num: num.into_boxed_str(),
            holder: non_empty(&r.vbank_holder)
                .unwrap_or_else(|| "sandbox merchant".to_owned())
                .into_boxed_str(),
            due,
            issued_at: now,
            deposit_at: None,
        }));
        let index = store.push_payment(rec);
        let rec = store.payment(index).clone();
        drop(store);
        notify(core, &rec, "ready");
        Ok(Answer::ok(rec.to_payment()))
    }
}

/// The index of the virtual-account payment `imp_uid` still awaiting its deposit: 404 for an
/// unknown `imp_uid`, 400 for a payment that is not a virtual account or not `ready` (Swagger,
/// `modifyVbank`/`revokeVbank` 400 and 404).
fn ready_vbank(store: &Store, imp_uid: &str) -> Result<usize, ApiError> {
    let index = store
        .payment_index_by_imp_uid(imp_uid)
        .ok_or_else(|| ApiError::not_found(NO_PAYMENT))?;
    let p = store.payment(index);
    if p.vbank.is_none() {
        return Err(ApiError::bad_request(
            "가상계좌 결제건이 아닙니다. (not a virtual account payment)",
        ));
    }
    if p.status != PaymentStatus::Ready {
        return Err(ApiError::bad_request(format!(
            "입금대기 상태(ready)의 가상계좌가 아닙니다. (the virtual account is {})",
            p.status.as_str()
        )));
    }
    Ok(index)
}

impl Operation for UpdateVbankRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let now = core.clock.now();
        let mut store = lock(&core.store);
        let index = ready_vbank(&store, &self.imp_uid)?;
        if let Some(amount) = self.amount {
            if amount <= 0 {
                return Err(ApiError::bad_request(
                    "invalid parameter `amount`: must be positive",
                ));
            }
            store.payment_mut(index).amount = Amount::from(amount);
        }
        if let Some(due) = self.vbank_due {
            if due.unix_seconds() <= now {
                return Err(ApiError::bad_request(
                    "invalid parameter `vbank_due`: the deadline has passed",
                ));
            }
            if let Some(v) = store.payment_mut(index).vbank.as_mut() {
                v.due = due.unix_seconds();
            }
        }
        store.payment_mut(index).updated_at = now;
        Ok(Answer::ok(store.payment(index).to_payment()))
    }
}

impl Operation for RevokeVbankRequest {
    fn answer(self, core: &Core, _: &Call<'_>) -> Outcome<Self> {
        let now = core.clock.now();
        let mut store = lock(&core.store);
        let index = ready_vbank(&store, &self.imp_uid)?;
        let p = store.payment_mut(index);
        p.status = PaymentStatus::Cancelled;
        p.cancelled_at = now;
        p.updated_at = now;
        p.cancel_reason = Some("가상계좌 발급취소 (virtual account revoked)".into());
        if let Some(v) = p.vbank.as_mut() {
            v.deposit_at = None;
        }
        let rec = p.clone();
        drop(store);
        notify(core, &rec, "cancelled");
        Ok(Answer::ok(rec.to_payment()))
    }
}

impl Operation for GetVbankHolderRequest {
    fn answer(self, _: &Core, _: &Call<'_>) -> Outcome<Self> {
        bank_name(&self.bank_code).map_err(|_| {
            ApiError::bad_request(
                "invalid parameter `bank_code`: not a bank standard code (GET /banks lists them)",
            )
        })?;
        if self.bank_num.is_empty()
            || !self
                .bank_num
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'-')
        {
            return Err(ApiError::bad_request(
                "invalid parameter `bank_num`: digits (and dashes) only",
            ));
        }
        Ok(Answer::ok(VbankHolder {
            bank_holder: SANDBOX_HOLDER.to_owned(),
        }))
    }
}

/// Makes the deposit of `index` now: `paid`, and the `paid` webhook.
fn deposit(core: &Core, store: &mut Store, index: usize, now: i64) -> PaymentRec {
    let p = store.payment_mut(index);
    p.status = PaymentStatus::Paid;
    p.paid_at = now;
    p.updated_at = now;
    if let Some(v) = p.vbank.as_mut() {
        v.deposit_at = None;
    }
    let rec = p.clone();
    notify(core, &rec, "paid");
    rec
}

impl Core {
    /// The buyer deposits the amount of the virtual account `imp_uid`: at once (`at` absent or
    /// not in the future), or when the sandbox clock reaches `at`. A deposit past the deadline,
    /// on an unknown payment or on one not `ready` is refused.
    pub fn deposit_vbank(&self, imp_uid: &str, at: Option<i64>) -> Result<Payment, ApiError> {
        let now = self.clock.now();
        let mut store = lock(&self.store);
        let index = ready_vbank(&store, imp_uid)?;
        let due = store.payment(index).vbank.as_ref().map_or(0, |v| v.due);
        let when = at.unwrap_or(now).max(now);
        if when > due {
            return Err(ApiError::bad_request(
                "입금기한이 지난 가상계좌입니다. (the deposit would come after the virtual account's deadline)",
            ));
        }
        if when > now {
            if let Some(v) = store.payment_mut(index).vbank.as_mut() {
                v.deposit_at = Some(when);
            }
            store.plan_deposit(index, when);
            return Ok(store.payment(index).to_payment());
        }
        Ok(deposit(self, &mut store, index, now).to_payment())
    }

    /// Makes the deposits planned up to now (called when the clock moves).
    pub fn run_due_deposits(&self) {
        let now = self.clock.now();
        let mut store = lock(&self.store);
        for index in store.take_due_deposits(now) {
            let p = store.payment(index);
            let planned = p.vbank.as_ref().and_then(|v| v.deposit_at);
            if p.status == PaymentStatus::Ready && planned.is_some_and(|t| t <= now) {
                deposit(self, &mut store, index, now);
            }
        }
    }
}
