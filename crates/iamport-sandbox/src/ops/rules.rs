//! Rules and helpers shared by the operations: i'mport's messages, amount and card checks, the
//! PAYMENTWALL name rule, paging.

use iamport::Amount;
use iamport::types::{PagedPayments, PagedSchedules, Payment, ScheduleResult};
use serde_json::{Map, Value};

use super::error::ApiError;
use crate::state::cards::{self, CardBehavior};
use crate::state::clock::expiry_passed;
use crate::state::store::{Buyer, text};
use crate::support::excerpt;

/// `again`/schedule on an unknown `customer_uid` (i'mport's wording).
pub const UNKNOWN_BUYER: &str = "등록되지 않은 구매자입니다.";
/// `schedule` for an unknown customer without card data (i'mport's wording).
pub const NO_CUSTOMER_FOR_SCHEDULE: &str = "등록된 고객정보가 없습니다.";
/// `unschedule` that revokes nothing (i'mport's wording).
pub const NOTHING_TO_UNSCHEDULE: &str = "취소할 예약결제 기록이 존재하지 않습니다.";
/// `cancel` of an unknown payment (i'mport's wording).
pub const NOTHING_TO_CANCEL: &str = "취소할 결제건이 존재하지 않습니다.";
/// Look-up of an unknown payment (i'mport's wording).
pub const NO_PAYMENT: &str = "존재하지 않는 결제정보입니다.";
/// PAYMENTWALL refuses to issue a billing key without a payment.
pub const PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT: &str = "PAYMENTWALL은 결제 없이 빌링키를 발급할 수 없습니다. (PAYMENTWALL cannot issue a billing key without a payment: call POST /subscribe/payments/onetime with customer_uid instead)";
/// The longest look-up window of `GET /subscribe/payments/schedule` (3 months).
pub(super) const MAX_RANGE_SECONDS: i64 = 92 * 86_400;

pub(super) fn no_customer_message(customer_uid: &str) -> String {
    format!(
        "요청하신 customer_uid({})로 등록된 정보를 찾을 수 없습니다.",
        excerpt(customer_uid, 80)
    )
}

/// An unknown billing key where the SPEC declares a 404 and no evidence says otherwise
/// (`customer_payments`, schedule `retry`).
pub(super) fn no_customer(customer_uid: &str) -> ApiError {
    ApiError::not_found_refusal(no_customer_message(customer_uid))
}

/// An unknown billing key on `GET`/`DELETE /subscribe/customers/{customer_uid}`: HTTP 200 with
/// `code: 1`, as the real server answers (the official Python SDK's `tests/test_customer_get.py`
/// expects a `ResponseError`, which it raises only for HTTP 200; see `docs/decisions.md`).
pub(super) fn unknown_billing_key(customer_uid: &str) -> ApiError {
    ApiError::business(no_customer_message(customer_uid))
}

pub(super) fn no_schedule(merchant_uid: &str) -> ApiError {
    ApiError::not_found_refusal(format!(
        "요청하신 merchant_uid({})로 등록된 예약결제 정보를 찾을 수 없습니다.",
        excerpt(merchant_uid, 80)
    ))
}

pub(super) fn require(input: &Map<String, Value>, names: &[&str]) -> Result<(), ApiError> {
    for name in names {
        match input.get(*name) {
            None | Some(Value::Null) => {
                return Err(ApiError::bad_request(format!(
                    "missing required parameter `{name}`"
                )));
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                return Err(ApiError::bad_request(format!(
                    "missing required parameter `{name}`"
                )));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A unix time in a query: negative values are refused (400 naming the field), so that no
/// arithmetic on two of them can overflow.
pub(super) fn not_negative(field: &str, seconds: i64) -> Result<i64, ApiError> {
    if seconds < 0 {
        return Err(ApiError::bad_request(format!(
            "`{field}` must be a unix time in seconds, 0 or more"
        )));
    }
    Ok(seconds)
}

/// Buyer fields as stored: name, e-mail, tel, address, postcode.
pub(super) fn buyer_of([name, email, tel, addr, postcode]: [&Option<String>; 5]) -> Buyer {
    Buyer {
        name: text(name),
        email: text(email),
        tel: text(tel),
        addr: text(addr),
        postcode: text(postcode),
    }
}

pub(super) fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Amount rules: positive, no fraction in KRW, `tax_free` not above it.
pub(super) fn check_amount(
    field: &str,
    amount: Amount,
    currency: &str,
    tax_free: Option<Amount>,
) -> Result<(), ApiError> {
    if amount <= Amount::ZERO {
        return Err(ApiError::bad_request(format!(
            "`{field}` must be greater than 0"
        )));
    }
    if currency.eq_ignore_ascii_case("KRW") && !amount.as_decimal().fract().is_zero() {
        return Err(ApiError::bad_request(format!(
            "`{field}` must be a whole number of KRW"
        )));
    }
    if let Some(tf) = tax_free
        && (tf.is_negative() || tf > amount)
    {
        return Err(ApiError::bad_request(
            "`tax_free` must be between 0 and `amount`",
        ));
    }
    Ok(())
}

/// PAYMENTWALL without `buyer_email` on a charge on a billing key.
pub(super) const PAYMENTWALL_NO_EMAIL: &str =
    "missing required parameter `buyer_email`: PAYMENTWALL requires it";
/// PAYMENTWALL with a billing key that was issued without an e-mail.
pub(super) const PAYMENTWALL_KEY_WITHOUT_EMAIL: &str = "PAYMENTWALL requires the billing key to have been issued with `buyer_email`; issue it again with one";
/// PAYMENTWALL with a `buyer_email` other than the billing key's.
pub(super) const PAYMENTWALL_OTHER_EMAIL: &str =
    "PAYMENTWALL requires `buyer_email` to equal the e-mail given when the billing key was issued";
/// PAYMENTWALL with a one-word buyer name.
pub(super) const PAYMENTWALL_NAME: &str =
    "PAYMENTWALL requires `buyer_name` as \"First Last\" (at least two words separated by spaces)";

/// The buyer rules PAYMENTWALL applies to every charge, checked in one place for `onetime`,
/// `again`, a schedule run by the clock and a schedule's `retry`: a given `buyer_name` has at
/// least two words ("Mary Ann Smith" is one buyer). On a billing key (`key` is `Some`), the
/// charge's `buyer_email` is required and equals the e-mail given when the key was issued
/// (`key` = `Some(None)`: a key issued without one, which PAYMENTWALL cannot charge).
pub(super) fn check_paymentwall_buyer(
    key: Option<Option<&str>>,
    email: Option<&str>,
    name: Option<&str>,
) -> Result<(), &'static str> {
    if let Some(key_email) = key {
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        let Some(email) = email else {
            return Err(PAYMENTWALL_NO_EMAIL);
        };
        let Some(key_email) = key_email else {
            return Err(PAYMENTWALL_KEY_WITHOUT_EMAIL);
        };
        if key_email.trim() != email {
            return Err(PAYMENTWALL_OTHER_EMAIL);
        }
    }
    if let Some(name) = name
        && name.split_whitespace().count() < 2
    {
        return Err(PAYMENTWALL_NAME);
    }
    Ok(())
}

/// Refusals of card data before anything is charged (`code: -1`).
pub(super) fn check_card(
    number: &str,
    expiry: &str,
    cvc: Option<&str>,
    now: i64,
) -> Result<(), ApiError> {
    if !cards::well_formed(number) {
        return Err(ApiError::card_refused(cards::INVALID_CARD_NUMBER));
    }
    if let Some(cvc) = cvc.filter(|c| !c.is_empty())
        && !cards::cvc_fits(number, cvc)
    {
        return Err(ApiError::card_refused(cards::INVALID_CVC));
    }
    if let CardBehavior::Refuse(message) = cards::behavior_of(number) {
        return Err(ApiError::card_refused(message));
    }
    if expiry_passed(expiry, now) {
        return Err(ApiError::card_refused(cards::EXPIRY_IN_PAST));
    }
    Ok(())
}

/// One page of a list, as i'mport pages them: `{total, previous, next, list}` (`previous` and
/// `next` are 0 when there is none).
pub(super) struct Page<T> {
    total: i64,
    previous: i64,
    next: i64,
    list: Vec<T>,
}

/// Page `page` (from 1, default 1) of `items`, `limit` per page (1 to 1000, default 20).
pub(super) fn paged<T>(
    items: Vec<T>,
    page: Option<i64>,
    limit: Option<i64>,
) -> Result<Page<T>, ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(20);
    if page < 1 {
        return Err(ApiError::bad_request("`page` starts at 1"));
    }
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request("`limit` must be between 1 and 1000"));
    }
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let start = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let list = items
        .into_iter()
        .skip(start)
        .take(usize::try_from(limit).unwrap_or(20))
        .collect();
    let previous = if page > 1 { page - 1 } else { 0 };
    let next = if page.saturating_mul(limit) < total {
        page.saturating_add(1)
    } else {
        0
    };
    Ok(Page {
        total,
        previous,
        next,
        list,
    })
}

impl From<Page<Payment>> for PagedPayments {
    fn from(page: Page<Payment>) -> Self {
        PagedPayments {
            total: Some(page.total),
            previous: Some(page.previous),
            next: Some(page.next),
            list: page.list,
        }
    }
}

impl From<Page<ScheduleResult>> for PagedSchedules {
    fn from(page: Page<ScheduleResult>) -> Self {
        PagedSchedules {
            total: Some(page.total),
            previous: Some(page.previous),
            next: Some(page.next),
            list: page.list,
        }
    }
}
