//! One handler per operation of the spec, decoding into the generated `iamport::types::*Request`
//! and answering with the generated response types.

use std::sync::Arc;

use iamport::Amount;
use iamport::runtime::OperationSpec;
use iamport::types;
use iamport::types::{
    PaymentCustomerUidUsage, PaymentStatus, ScheduleResultPaymentStatus, ScheduleStatus,
};
use serde_json::{Map, Value, json};

use crate::app::{
    Answer, ApiError, App, Incoming, Reply, Route, excerpt, lock, reply, token_of, typed,
};
use crate::cards::{self, CardBehavior};
use crate::channels::{Channel, NO_CHANNEL, PgRules};
use crate::clock::expiry_passed;
use crate::decode;
use crate::store::{
    Buyer, CancelRec, CustomerRec, DUPLICATE_SCHEDULED, PaymentRec, ScheduleRec, Store,
    random_upper, text,
};
use crate::webhook::WebhookBody;

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
const MAX_RANGE_SECONDS: i64 = 92 * 86_400;

fn no_customer_message(customer_uid: &str) -> String {
    format!(
        "요청하신 customer_uid({})로 등록된 정보를 찾을 수 없습니다.",
        excerpt(customer_uid, 80)
    )
}

/// An unknown billing key where the SPEC declares a 404 and no evidence says otherwise
/// (`customer_payments`, schedule `retry`).
fn no_customer(customer_uid: &str) -> ApiError {
    ApiError {
        status: 404,
        code: 1,
        message: no_customer_message(customer_uid),
    }
}

/// An unknown billing key on `GET`/`DELETE /subscribe/customers/{customer_uid}`: HTTP 200 with
/// `code: 1`, as the real server answers (the official Python SDK's `tests/test_customer_get.py`
/// expects a `ResponseError`, which it raises only for HTTP 200; see `docs/decisions.md`).
fn unknown_billing_key(customer_uid: &str) -> ApiError {
    ApiError::business(no_customer_message(customer_uid))
}

fn no_schedule(merchant_uid: &str) -> ApiError {
    ApiError {
        status: 404,
        code: 1,
        message: format!(
            "요청하신 merchant_uid({})로 등록된 예약결제 정보를 찾을 수 없습니다.",
            excerpt(merchant_uid, 80)
        ),
    }
}

/// Routes an operation to its handler by `operationId`.
pub fn dispatch(
    app: &App,
    op: &'static OperationSpec,
    input: Map<String, Value>,
    req: &Incoming,
) -> Answer {
    match op.operation_id {
        "getToken" => get_token(app, input),
        "onetime" => onetime(app, input, req),
        "again" => again(app, input, req),
        "schedule" => schedule(app, input),
        "unschedule" => unschedule(app, input),
        "findSchedulesByRange" => find_schedules_by_range(app, input),
        "getScheduleByMid" => get_schedule(app, input),
        "updateScheduleByMid" => update_schedule(app, input),
        "rescheduleByMid" => reschedule(app, input),
        "retryScheduleByMid" => retry_schedule(app, input),
        "findSchedulesByCustomer" => {
            let r: types::FindSchedulesByCustomerRequest = parse(&input)?;
            r.validate()?;
            let status = r.schedule_status.as_ref().map(|s| s.as_str().to_owned());
            schedules_by_customer(
                app,
                &input,
                &r.customer_uid,
                r.from.0,
                r.to.0,
                r.page,
                status,
            )
        }
        "customerSchedules" => {
            let r: types::CustomerSchedulesRequest = parse(&input)?;
            r.validate()?;
            let status = r.schedule_status.as_ref().map(|s| s.as_str().to_owned());
            schedules_by_customer(
                app,
                &input,
                &r.customer_uid,
                r.from.0,
                r.to.0,
                r.page,
                status,
            )
        }
        "customerViewMultiple" => customer_view_multiple(app, input),
        "customerView" => customer_view(app, input),
        "customerSave" => customer_save(app, input),
        "customerDelete" => customer_delete(app, input),
        "customerPayments" => customer_payments(app, input),
        "getPaymentByImpUid" => get_payment(app, input),
        "getPaymentByMerchantUid" => {
            let r: types::GetPaymentByMerchantUidRequest = parse(&input)?;
            r.validate()?;
            find_payment(
                app,
                &r.merchant_uid,
                None,
                r.sorting.as_ref().map(|s| s.as_str().to_owned()),
            )
        }
        "getPaymentByMerchantUidAndStatus" => {
            let r: types::GetPaymentByMerchantUidAndStatusRequest = parse(&input)?;
            r.validate()?;
            let status = r.payment_status.as_str().to_owned();
            find_payment(
                app,
                &r.merchant_uid,
                Some(status),
                r.sorting.as_ref().map(|s| s.as_str().to_owned()),
            )
        }
        "getAllPaymentsByMerchantUid" => {
            let r: types::GetAllPaymentsByMerchantUidRequest = parse(&input)?;
            r.validate()?;
            let sorting = r.sorting.as_ref().map(|s| s.as_str().to_owned());
            find_all_payments(app, &r.merchant_uid, None, r.page, r.limit, sorting)
        }
        "getAllPaymentsByMerchantUidAndStatus" => {
            let r: types::GetAllPaymentsByMerchantUidAndStatusRequest = parse(&input)?;
            r.validate()?;
            let sorting = r.sorting.as_ref().map(|s| s.as_str().to_owned());
            let status = r.payment_status.as_str().to_owned();
            find_all_payments(app, &r.merchant_uid, Some(status), r.page, r.limit, sorting)
        }
        "cancelPayment" => cancel(app, input),
        "paymentwallDelivery" => paymentwall_delivery(app, input),
        "getPgSettingList" => pg_settings(app),
        other => Err(ApiError {
            status: 501,
            code: -1,
            message: format!("operation `{other}` is not emulated by the sandbox"),
        }),
    }
}

fn parse<T: serde::de::DeserializeOwned>(input: &Map<String, Value>) -> Result<T, ApiError> {
    Ok(decode::decode(Value::Object(input.clone()))?)
}

fn require(input: &Map<String, Value>, names: &[&str]) -> Result<(), ApiError> {
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
fn not_negative(field: &str, seconds: i64) -> Result<i64, ApiError> {
    if seconds < 0 {
        return Err(ApiError::bad_request(format!(
            "`{field}` must be a unix time in seconds, 0 or more"
        )));
    }
    Ok(seconds)
}

/// Buyer fields as stored: name, e-mail, tel, address, postcode.
fn buyer_of([name, email, tel, addr, postcode]: [&Option<String>; 5]) -> Buyer {
    Buyer {
        name: text(name),
        email: text(email),
        tel: text(tel),
        addr: text(addr),
        postcode: text(postcode),
    }
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Amount rules: positive, no fraction in KRW, `tax_free` not above it.
fn check_amount(
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

fn check_paymentwall_name(buyer_name: &Option<String>) -> Result<(), ApiError> {
    if let Some(name) = buyer_name {
        let parts: Vec<&str> = name.split(' ').collect();
        if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
            return Err(ApiError::bad_request(
                "PAYMENTWALL requires `buyer_name` as \"First Last\" (two names separated by one space)",
            ));
        }
    }
    Ok(())
}

/// `validate()` of a request carrying card data. An ill-formed `card_number` or `cvc` is card
/// data the PG refuses: HTTP 200 with `code: -1`, as i'mport answers (reference §2), not a 400.
fn validate_card_request(checked: Result<(), iamport::ValidationError>) -> Result<(), ApiError> {
    match checked {
        Err(err) if err.field() == "card_number" => {
            Err(ApiError::card_refused(cards::INVALID_CARD_NUMBER))
        }
        Err(err) if err.field() == "cvc" => Err(ApiError::card_refused(cards::INVALID_CVC)),
        other => Ok(other?),
    }
}

/// Refusals of card data before anything is charged (`code: -1`).
fn check_card(number: &str, expiry: &str, cvc: Option<&str>, now: i64) -> Result<(), ApiError> {
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

// ---------------------------------------------------------------------------------------------
// Tokens

fn get_token(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::GetTokenRequest = parse(&input)?;
    r.validate()?;
    let known = app
        .config
        .credentials
        .iter()
        .any(|(k, s)| *k == r.imp_key && s.as_str() == r.imp_secret.expose());
    if !known {
        return Err(ApiError::unauthorized(
            "imp_key, imp_secret 인증에 실패했습니다. (unknown imp_key/imp_secret pair)",
        ));
    }
    let now = app.clock.now();
    let (token, expired_at) = lock(&app.store).issue_token(&r.imp_key, now);
    Ok((
        200,
        typed::<types::AccessToken>(
            json!({ "access_token": token, "now": now, "expired_at": expired_at }),
        )?,
    ))
}

// ---------------------------------------------------------------------------------------------
// Charges

struct Charge {
    merchant_uid: String,
    amount: Amount,
    currency: String,
    name: Option<String>,
    buyer: Buyer,
    custom_data: Option<String>,
    notice_url: Option<String>,
    card_quota: i64,
    channel: Channel,
    card_number: String,
    expiry: String,
    customer_uid: Option<String>,
    usage: Option<PaymentCustomerUidUsage>,
    /// Approved charges on the billing key before this one (`None` when no key is involved).
    prior_approved: Option<u32>,
    user_agent: Option<String>,
}

/// The outcome of charging: `Ok` = approved, `Err(fail_reason)` = declined.
fn decide(c: &Charge, now: i64) -> Result<(), &'static str> {
    if expiry_passed(&c.expiry, now) {
        return Err(cards::EXPIRED_CARD);
    }
    match cards::behavior_of(&c.card_number) {
        CardBehavior::Approve => Ok(()),
        CardBehavior::Decline(reason) | CardBehavior::Refuse(reason) => Err(reason),
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
fn record_charge(store: &mut Store, c: Charge, now: i64) -> PaymentRec {
    let outcome = decide(&c, now);
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
    rec.apply_num =
        paid.then(|| u32::try_from(crate::store::random_u64() % 100_000_000).unwrap_or_default());
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
    store.payment(index).clone()
}

fn paid_webhook(app: &App, rec: &PaymentRec) {
    if rec.status == PaymentStatus::Paid {
        app.notify(
            rec.notice_url.as_deref(),
            WebhookBody {
                imp_uid: rec.imp_uid(),
                merchant_uid: rec.merchant_uid.to_string(),
                status: "paid".into(),
                cancellation_id: None,
            },
        );
    }
}

fn check_merchant_uid(store: &Store, merchant_uid: &str) -> Result<(), ApiError> {
    if let Some(message) = store.merchant_uid_taken(merchant_uid) {
        return Err(ApiError::business(message));
    }
    if store.schedule_pending(merchant_uid) {
        return Err(ApiError::business(DUPLICATE_SCHEDULED));
    }
    Ok(())
}

/// A charge's hold on its `merchant_uid`, from the request's arrival until it has been handled
/// (dropped then). See [`App::reserve_charge`].
pub struct Reservation {
    app: Arc<App>,
    merchant_uid: String,
}

impl Drop for Reservation {
    fn drop(&mut self) {
        lock(&self.app.store).release(&self.merchant_uid);
    }
}

impl App {
    /// Called by the HTTP layer when a request arrives, before any fault delays it. A charge
    /// (`onetime`, `again`, a schedule's `retry`) with a valid token reserves its
    /// `merchant_uid`: while it is in flight,
    /// another charge with the same `merchant_uid` is refused (HTTP 200, `code: 1`), as is one
    /// after it was approved, so a client that timed out and re-charges with the same
    /// `merchant_uid` cannot charge twice. Anything else, or a request the handler will refuse
    /// anyway (bad token, unreadable body), reserves nothing: `Ok(None)`.
    pub fn reserve_charge(
        self: &Arc<Self>,
        route: &Route,
        req: &Incoming,
    ) -> Result<Option<Reservation>, Reply> {
        let Route::Operation(op, params) = route else {
            return Ok(None);
        };
        let Some(token) = token_of(req) else {
            return Ok(None);
        };
        let merchant_uid = match op.operation_id {
            "onetime" | "again" => {
                let Ok(body) = decode::parse_body(req.header("content-type"), &req.body) else {
                    return Ok(None);
                };
                match body.get("merchant_uid") {
                    Some(Value::String(m)) => m.clone(),
                    _ => {
                        let Ok(query) = decode::parse_query(req.query.as_deref()) else {
                            return Ok(None);
                        };
                        match query.get("merchant_uid") {
                            Some(Value::String(m)) => m.clone(),
                            _ => return Ok(None),
                        }
                    }
                }
            }
            "retryScheduleByMid" => match params.iter().find(|(k, _)| k == "merchant_uid") {
                Some((_, m)) => m.clone(),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        if merchant_uid.trim().is_empty() {
            return Ok(None);
        }
        let now = self.clock.now();
        let mut store = lock(&self.store);
        if !store.token_valid(&token, now) {
            return Ok(None);
        }
        match store.reserve(&merchant_uid) {
            Ok(()) => Ok(Some(Reservation {
                app: Arc::clone(self),
                merchant_uid,
            })),
            Err(message) => Err(Reply {
                merchant_uid: Some(merchant_uid),
                ..reply(Err(ApiError::business(message)))
            }),
        }
    }
}

fn onetime(app: &App, input: Map<String, Value>, req: &Incoming) -> Answer {
    let r: types::OnetimeRequest = parse(&input)?;
    validate_card_request(r.validate())?;
    let channel = app
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
        check_paymentwall_name(&r.buyer_name)?;
    }
    let now = app.clock.now();
    check_card(
        r.card_number.expose(),
        r.expiry.expose(),
        r.cvc.as_ref().map(|c| c.expose()),
        now,
    )?;
    let customer_uid = non_empty(&r.customer_uid);
    let buyer = buyer_of([
        &r.buyer_name,
        &r.buyer_email,
        &r.buyer_tel,
        &r.buyer_addr,
        &r.buyer_postcode,
    ]);
    let rec = {
        let mut store = lock(&app.store);
        check_merchant_uid(&store, &r.merchant_uid)?;
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
                user_agent: req.header("user-agent").map(str::to_owned),
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
                },
            );
        }
        rec
    };
    paid_webhook(app, &rec);
    Ok((200, typed::<types::Payment>(rec.to_json())?))
}

fn again(app: &App, input: Map<String, Value>, req: &Incoming) -> Answer {
    let r: types::AgainRequest = parse(&input)?;
    r.validate()?;
    let currency = non_empty(&r.currency).unwrap_or_else(|| "KRW".into());
    check_amount("amount", r.amount, &currency, r.tax_free)?;
    let now = app.clock.now();
    let rec = {
        let mut store = lock(&app.store);
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
            let Some(email) = non_empty(&r.buyer_email) else {
                return Err(ApiError::bad_request(
                    "missing required parameter `buyer_email`: PAYMENTWALL requires it",
                ));
            };
            // No `browser_ip` check: i'mport falls back to the caller's IP (see `onetime`).
            if customer.buyer.email.as_deref() != Some(email.as_str()) {
                return Err(ApiError::bad_request(
                    "PAYMENTWALL requires `buyer_email` to equal the e-mail given when the billing key was issued",
                ));
            }
            check_paymentwall_name(&r.buyer_name)?;
        }
        check_merchant_uid(&store, &r.merchant_uid)?;
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
                user_agent: req.header("user-agent").map(str::to_owned),
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
    paid_webhook(app, &rec);
    Ok((200, typed::<types::Payment>(rec.to_json())?))
}

// ---------------------------------------------------------------------------------------------
// Billing keys

struct CardInput<'a> {
    number: &'a str,
    expiry: &'a str,
    cvc: Option<&'a str>,
}

/// Issues (or replaces) a billing key without a payment. The caller holds the store lock.
fn issue_key(
    store: &mut Store,
    channel: Channel,
    customer_uid: &str,
    card: CardInput<'_>,
    buyer: Buyer,
    customer_id: Option<String>,
    now: i64,
) -> Result<CustomerRec, ApiError> {
    if channel.rules == PgRules::Paymentwall {
        return Err(ApiError::business(PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT));
    }
    check_card(card.number, card.expiry, card.cvc, now)?;
    let (card_name, card_code) = cards::brand_of(card.number);
    let inserted = store
        .customers
        .get(customer_uid)
        .map(|c| c.inserted)
        .unwrap_or(now);
    let rec = CustomerRec {
        customer_uid: customer_uid.to_owned(),
        channel,
        card_number_full: card.number.to_owned(),
        expiry: card.expiry.to_owned(),
        card_name,
        card_code,
        card_number: cards::mask(card.number),
        customer_id,
        buyer,
        inserted,
        updated: now,
        approved_charges: 0,
    };
    store.customers.insert(customer_uid.to_owned(), rec.clone());
    Ok(rec)
}

fn customer_save(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::CustomerSaveRequest = parse(&input)?;
    validate_card_request(r.validate())?;
    // `channel_key` is optional (required upstream only since 2026-05 and sent by no SDK): the
    // channel chosen by `pg`, else the default, stands in for it.
    let channel = app
        .config
        .channels
        .select(r.pg.as_deref(), r.channel_key.as_deref())
        .ok_or_else(|| ApiError::business(NO_CHANNEL))?;
    if non_empty(&r.channel_group_id).is_some() {
        return Err(ApiError::business(
            "smart routing (channel_group_id) is not emulated by the sandbox",
        ));
    }
    let now = app.clock.now();
    let rec = {
        let mut store = lock(&app.store);
        issue_key(
            &mut store,
            channel,
            &r.customer_uid,
            CardInput {
                number: r.card_number.expose(),
                expiry: r.expiry.expose(),
                cvc: r.cvc.as_ref().map(|c| c.expose()),
            },
            buyer_of([
                &r.customer_name,
                &r.customer_email,
                &r.customer_tel,
                &r.customer_addr,
                &r.customer_postcode,
            ]),
            r.customer_id.clone(),
            now,
        )?
    };
    Ok((200, typed::<types::BillingKey>(rec.to_json())?))
}

fn customer_view(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::CustomerViewRequest = parse(&input)?;
    r.validate()?;
    let store = lock(&app.store);
    let rec = store
        .customers
        .get(&r.customer_uid)
        .ok_or_else(|| unknown_billing_key(&r.customer_uid))?;
    Ok((200, typed::<types::BillingKey>(rec.to_json())?))
}

fn customer_delete(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::CustomerDeleteRequest = parse(&input)?;
    r.validate()?;
    let rec = lock(&app.store)
        .customers
        .remove(&r.customer_uid)
        .ok_or_else(|| unknown_billing_key(&r.customer_uid))?;
    Ok((200, typed::<types::BillingKey>(rec.to_json())?))
}

fn customer_view_multiple(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::CustomerViewMultipleRequest = parse(&input)?;
    r.validate()?;
    if r.customer_uid.is_empty() {
        return Err(ApiError::bad_request(
            "missing required parameter `customer_uid[]`",
        ));
    }
    let store = lock(&app.store);
    let found: Vec<Value> = r
        .customer_uid
        .iter()
        .filter_map(|uid| store.customers.get(uid))
        .map(CustomerRec::to_json)
        .collect();
    if found.is_empty() {
        return Err(ApiError {
            status: 404,
            code: 1,
            message: "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.".into(),
        });
    }
    let status = if found.len() == r.customer_uid.len() {
        200
    } else {
        207
    };
    Ok((status, typed::<Vec<types::Customer>>(Value::Array(found))?))
}

fn customer_payments(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::CustomerPaymentsRequest = parse(&input)?;
    r.validate()?;
    let store = lock(&app.store);
    let mut list: Vec<&PaymentRec> = store
        .payment_indices_by_customer(&r.customer_uid)
        .into_iter()
        .map(|i| store.payment(i))
        .collect();
    if list.is_empty() && !store.customers.contains_key(&r.customer_uid) {
        return Err(no_customer(&r.customer_uid));
    }
    list.sort_by_key(|p| std::cmp::Reverse((p.started_at, p.seq)));
    let values: Vec<Value> = list.into_iter().map(PaymentRec::to_json).collect();
    let page = paged(values, r.page, None)?;
    Ok((200, typed::<types::PagedPayments>(page)?))
}

// ---------------------------------------------------------------------------------------------
// Schedules

fn schedule(app: &App, mut input: Map<String, Value>) -> Answer {
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
    let r: types::ScheduleRequest = parse(&input)?;
    validate_card_request(r.validate())?;
    if r.schedules.is_empty() {
        return Err(ApiError::bad_request(
            "`schedules` must contain at least one schedule",
        ));
    }
    let now = app.clock.now();
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
    let mut store = lock(&app.store);
    let customer = match store.customers.get(&r.customer_uid).cloned() {
        Some(c) => c,
        None => {
            let (Some(number), Some(expiry)) = (&r.card_number, &r.expiry) else {
                return Err(ApiError::business(NO_CUSTOMER_FOR_SCHEDULE));
            };
            let channel = app
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
        }
    };
    for s in &r.schedules {
        check_merchant_uid(&store, &s.merchant_uid)?;
        if store.in_flight(&s.merchant_uid) {
            return Err(ApiError::business(crate::store::DUPLICATE_IN_FLIGHT));
        }
    }
    let mut out = Vec::new();
    for s in &r.schedules {
        let seq = store.next_seq();
        let or = |a: &Option<String>, b: &crate::store::Text| {
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
        out.push(rec.to_json());
        // A revoked or failed schedule with the same merchant_uid is replaced.
        store.insert_schedule(rec);
    }
    drop(store);
    Ok((200, typed::<Vec<types::ScheduleResult>>(Value::Array(out))?))
}

fn unschedule(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::UnscheduleRequest = parse(&input)?;
    r.validate()?;
    let customer_uid = non_empty(&r.customer_uid);
    let merchant_uids: Option<Vec<String>> = r.merchant_uid.clone().filter(|m| !m.is_empty());
    if customer_uid.is_none() && merchant_uids.is_none() {
        return Err(ApiError::bad_request(
            "missing required parameter: `customer_uid` or `merchant_uid`",
        ));
    }
    let now = app.clock.now();
    let mut store = lock(&app.store);
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
        let matches = s.is_pending() && customer_uid.as_ref().is_none_or(|c| *c == s.customer_uid);
        if matches {
            out.push(store.edit_schedule(index, |s| {
                s.schedule_status = ScheduleStatus::Revoked;
                s.revoked_at = now;
                s.to_json()
            }));
        }
    }
    if out.is_empty() {
        return Err(ApiError::business(NOTHING_TO_UNSCHEDULE));
    }
    drop(store);
    Ok((200, typed::<Vec<types::ScheduleResult>>(Value::Array(out))?))
}

fn sort_schedules(list: &mut [&ScheduleRec], sorting: Option<&str>) {
    if sorting == Some("scheduled") {
        list.sort_by_key(|s| (s.schedule_at, s.seq));
    } else {
        list.sort_by_key(|s| std::cmp::Reverse((s.schedule_at, s.seq)));
    }
}

fn find_schedules_by_range(app: &App, input: Map<String, Value>) -> Answer {
    require(&input, &["schedule_from", "schedule_to"])?;
    let r: types::FindSchedulesByRangeRequest = parse(&input)?;
    r.validate()?;
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
    let status = r.schedule_status.as_ref().map(|s| s.as_str().to_owned());
    let store = lock(&app.store);
    let mut list: Vec<&ScheduleRec> = store
        .schedule_indices_between(from, to)
        .into_iter()
        .map(|i| store.schedule(i))
        .filter(|s| {
            status
                .as_deref()
                .is_none_or(|st| st == s.schedule_status.as_str())
        })
        .collect();
    sort_schedules(&mut list, r.sorting.as_deref());
    let values = list.into_iter().map(ScheduleRec::to_json).collect();
    Ok((
        200,
        typed::<types::PagedSchedules>(paged(values, r.page, r.limit)?)?,
    ))
}

fn schedules_by_customer(
    app: &App,
    input: &Map<String, Value>,
    customer_uid: &str,
    from: i64,
    to: i64,
    page: Option<i64>,
    status: Option<String>,
) -> Answer {
    require(input, &["from", "to"])?;
    let from = not_negative("from", from)?;
    let to = not_negative("to", to)?;
    if to <= from {
        return Err(ApiError::bad_request("`to` must be after `from`"));
    }
    let store = lock(&app.store);
    let mut list: Vec<&ScheduleRec> = store
        .schedule_indices_of_customer(customer_uid)
        .into_iter()
        .map(|i| store.schedule(i))
        .filter(|s| s.schedule_at >= from && s.schedule_at < to)
        .filter(|s| {
            status
                .as_deref()
                .is_none_or(|st| st == s.schedule_status.as_str())
        })
        .collect();
    sort_schedules(&mut list, None);
    let values = list.into_iter().map(ScheduleRec::to_json).collect();
    Ok((
        200,
        typed::<types::PagedSchedules>(paged(values, page, None)?)?,
    ))
}

fn get_schedule(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::GetScheduleByMidRequest = parse(&input)?;
    r.validate()?;
    let store = lock(&app.store);
    let index = store
        .schedule_index(&r.merchant_uid)
        .ok_or_else(|| no_schedule(&r.merchant_uid))?;
    Ok((
        200,
        typed::<types::ScheduleResult>(store.schedule(index).to_json())?,
    ))
}

fn update_schedule(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::UpdateScheduleByMidRequest = parse(&input)?;
    r.validate()?;
    let now = app.clock.now();
    let mut store = lock(&app.store);
    let index = store
        .schedule_index(&r.merchant_uid)
        .ok_or_else(|| no_schedule(&r.merchant_uid))?;
    let s = store.schedule(index);
    if !s.is_pending() {
        return Err(ApiError::bad_request(format!(
            "the schedule is {}: only a pending schedule can be changed (use reschedule for failed or revoked ones)",
            s.schedule_status.as_str()
        )));
    }
    if r.schedule_at.0 <= now {
        return Err(ApiError::bad_request(
            "`schedule_at` must be in the future (unix seconds)",
        ));
    }
    let json = store.edit_schedule(index, |s| {
        s.schedule_at = r.schedule_at.0;
        s.to_json()
    });
    Ok((200, typed::<types::ScheduleResult>(json)?))
}

fn reschedule(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::RescheduleByMidRequest = parse(&input)?;
    r.validate()?;
    let now = app.clock.now();
    let mut store = lock(&app.store);
    let index = store
        .schedule_index(&r.merchant_uid)
        .ok_or_else(|| no_schedule(&r.merchant_uid))?;
    let s = store.schedule(index);
    if !(s.has_failed() || s.schedule_status == ScheduleStatus::Revoked) {
        return Err(ApiError::bad_request(
            "only a failed or revoked schedule can be rescheduled",
        ));
    }
    if r.schedule_at.0 <= now {
        return Err(ApiError::bad_request(
            "`schedule_at` must be in the future (unix seconds)",
        ));
    }
    let json = store.edit_schedule(index, |s| {
        s.schedule_at = r.schedule_at.0;
        s.schedule_status = ScheduleStatus::Scheduled;
        s.executed_at = 0;
        s.revoked_at = 0;
        s.payment_status = None;
        s.fail_reason = None;
        s.imp_uid = None;
        s.to_json()
    });
    Ok((200, typed::<types::ScheduleResult>(json)?))
}

fn retry_schedule(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::RetryScheduleByMidRequest = parse(&input)?;
    r.validate()?;
    let now = app.clock.now();
    let (payment, webhook) = {
        let mut store = lock(&app.store);
        let index = store
            .schedule_index(&r.merchant_uid)
            .ok_or_else(|| no_schedule(&r.merchant_uid))?;
        let s = store.schedule(index);
        if !(s.has_failed() || s.schedule_status == ScheduleStatus::Revoked) {
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
        app.notify(url.as_deref(), body);
    }
    let payment = payment.ok_or_else(|| ApiError::business(crate::store::DUPLICATE_PAID))?;
    Ok((200, typed::<types::Payment>(payment.to_json())?))
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

/// Executes every pending schedule whose time has come; returns what happened.
pub fn run_due_schedules(app: &App) -> Vec<Value> {
    let now = app.clock.now();
    let mut webhooks = Vec::new();
    let mut report = Vec::new();
    {
        let mut store = lock(&app.store);
        for index in store.due_schedule_indices(now) {
            let (_, webhook) = execute_schedule(&mut store, index, now);
            let s = store.schedule(index);
            report.push(json!({
                "merchant_uid": s.merchant_uid,
                "imp_uid": s.imp_uid,
                "payment_status": s.payment_status.as_ref().map(|p| p.as_str()),
                "fail_reason": s.fail_reason,
            }));
            webhooks.extend(webhook);
        }
    }
    for (url, body) in webhooks {
        app.notify(url.as_deref(), body);
    }
    report
}

// ---------------------------------------------------------------------------------------------
// Payments

fn get_payment(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::GetPaymentByImpUidRequest = parse(&input)?;
    r.validate()?;
    let store = lock(&app.store);
    let rec = store
        .payment_by_imp_uid(&r.imp_uid)
        .ok_or_else(|| ApiError::not_found(NO_PAYMENT))?;
    Ok((200, typed::<types::Payment>(rec.to_json())?))
}

/// The payments with `merchant_uid` (and `status`, when given), newest first.
fn payments_of<'s>(
    store: &'s Store,
    merchant_uid: &str,
    status: Option<&str>,
) -> Vec<&'s PaymentRec> {
    store
        .payment_indices_by_merchant_uid(merchant_uid)
        .into_iter()
        .map(|i| store.payment(i))
        .filter(|p| status.is_none_or(|s| s == p.status.as_str()))
        .collect()
}

fn sort_payments(list: &mut [&PaymentRec], sorting: Option<&str>) {
    let key = |p: &PaymentRec, field: &str| match field {
        "paid" => (p.paid_at, p.seq),
        "updated" => (p.updated_at, p.seq),
        _ => (p.started_at, p.seq),
    };
    let sorting = sorting.unwrap_or("-started");
    let (desc, field) = match sorting.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, sorting),
    };
    if desc {
        list.sort_by_key(|p| std::cmp::Reverse(key(p, field)));
    } else {
        list.sort_by_key(|p| key(p, field));
    }
}

fn find_payment(
    app: &App,
    merchant_uid: &str,
    status: Option<String>,
    sorting: Option<String>,
) -> Answer {
    let store = lock(&app.store);
    let mut list = payments_of(&store, merchant_uid, status.as_deref());
    sort_payments(&mut list, sorting.as_deref());
    let rec = list
        .first()
        .ok_or_else(|| ApiError::not_found(NO_PAYMENT))?;
    Ok((200, typed::<types::Payment>(rec.to_json())?))
}

fn find_all_payments(
    app: &App,
    merchant_uid: &str,
    status: Option<String>,
    page: Option<i64>,
    limit: Option<i64>,
    sorting: Option<String>,
) -> Answer {
    let store = lock(&app.store);
    let mut list = payments_of(&store, merchant_uid, status.as_deref());
    if list.is_empty() {
        return Err(ApiError::not_found(NO_PAYMENT));
    }
    sort_payments(&mut list, sorting.as_deref());
    let values = list.into_iter().map(PaymentRec::to_json).collect();
    Ok((
        200,
        typed::<types::PagedPayments>(paged(values, page, limit)?)?,
    ))
}

fn cancel(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::CancelPaymentRequest = parse(&input)?;
    r.validate()?;
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
    let now = app.clock.now();
    let (rec, cancellation_id) = {
        let mut store = lock(&app.store);
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
        app.notify(
            rec.notice_url.as_deref(),
            WebhookBody {
                imp_uid: rec.imp_uid(),
                merchant_uid: rec.merchant_uid.to_string(),
                status: "cancelled".into(),
                cancellation_id: Some(cancellation_id),
            },
        );
    }
    Ok((200, typed::<types::Payment>(rec.to_json())?))
}

/// `GET /users/pg`: the merchant's channels (API key-in PG settings), the default first.
fn pg_settings(app: &App) -> Answer {
    let list: Vec<Value> = app
        .config
        .channels
        .0
        .iter()
        .map(|c| {
            json!({
                "pg_provider": c.pg_provider,
                "pg_id": c.pg_id,
                "sandbox": false,
                "type": "api_payment",
                "channel_name": c.channel_name(),
                "channel_key": c.channel_key,
            })
        })
        .collect();
    Ok((200, typed::<Vec<types::PgSetting>>(Value::Array(list))?))
}

fn paymentwall_delivery(app: &App, input: Map<String, Value>) -> Answer {
    let r: types::PaymentwallDeliveryRequest = parse(&input)?;
    r.validate()?;
    let store = lock(&app.store);
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
    Ok((
        200,
        typed::<types::PaymentwallDeliveryDetail>(
            json!({ "error": Value::Null, "error_code": Value::Null, "notices": [] }),
        )?,
    ))
}

/// The paged wrapper `{total, previous, next, list}`.
fn paged(values: Vec<Value>, page: Option<i64>, limit: Option<i64>) -> Result<Value, ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(20);
    if page < 1 {
        return Err(ApiError::bad_request("`page` starts at 1"));
    }
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request("`limit` must be between 1 and 1000"));
    }
    let total = i64::try_from(values.len()).unwrap_or(i64::MAX);
    let start = usize::try_from((page - 1).saturating_mul(limit)).unwrap_or(usize::MAX);
    let list: Vec<Value> = values
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
    Ok(json!({ "total": total, "previous": previous, "next": next, "list": list }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::KEYIN;
    use crate::store::DUPLICATE_PAID;

    /// A typical `again` charge, as the client sends it.
    fn charge(i: usize) -> Charge {
        Charge {
            merchant_uid: format!("order-2026-11-{i:08}"),
            amount: Amount::from(9_900),
            currency: "KRW".into(),
            name: Some("Monthly plan".into()),
            buyer: buyer_of([
                &Some("Hong Gildong".into()),
                &Some("hong@example.com".into()),
                &Some("010-1234-5678".into()),
                &None,
                &None,
            ]),
            custom_data: None,
            notice_url: None,
            card_quota: 0,
            channel: KEYIN,
            card_number: "4242-4242-4242-4242".into(),
            expiry: "2039-12".into(),
            customer_uid: Some(format!("customer-{}", i % 1000)),
            usage: Some(PaymentCustomerUidUsage::Payment),
            prior_approved: Some(1),
            user_agent: Some("iamport-rust/0.1.0 (ureq)".into()),
        }
    }

    fn schedule(i: usize, at: i64) -> ScheduleRec {
        ScheduleRec {
            seq: i as u64,
            customer_uid: format!("customer-{}", i % 1000),
            customer_id: None,
            merchant_uid: format!("sched-{i}"),
            schedule_at: at,
            executed_at: 0,
            revoked_at: 0,
            amount: Amount::from(9_900),
            currency: "KRW".into(),
            name: "Monthly plan".into(),
            buyer: Buyer::default(),
            custom_data: None,
            notice_url: None,
            card_quota: 0,
            schedule_status: ScheduleStatus::Scheduled,
            payment_status: None,
            fail_reason: None,
            imp_uid: None,
            channel: KEYIN,
            promotion_id: None,
        }
    }

    const NOW: i64 = 1_800_000_000;

    fn filled(payments: usize, schedules: usize) -> Store {
        let mut store = Store::new();
        for i in 0..payments {
            record_charge(&mut store, charge(i), NOW);
        }
        for i in 0..schedules {
            store.insert_schedule(schedule(i, NOW + 3600 + i as i64));
        }
        store
    }

    /// The records touched by one round of look-ups and duplicate checks.
    fn examined_by_checks(store: &mut Store, n: usize, schedules: usize) -> u64 {
        let before = store.records_examined();
        let known = format!("order-2026-11-{:08}", n / 2);
        assert_eq!(store.merchant_uid_taken(&known), Some(DUPLICATE_PAID));
        assert_eq!(store.merchant_uid_taken("order-new"), None);
        let index = store.payment_indices_by_merchant_uid(&known)[0];
        let imp_uid = store.payment(index).imp_uid();
        assert_eq!(
            store.payment_by_imp_uid(&imp_uid).map(|p| &*p.merchant_uid),
            Some(known.as_str())
        );
        assert!(store.payment_by_imp_uid("imp_000000000001").is_none());
        assert!(store.reserve(&known).is_err());
        assert!(store.reserve("order-new").is_ok());
        store.release("order-new");
        let mid = format!("sched-{}", schedules / 2);
        assert!(store.schedule_pending(&mid));
        assert!(!store.schedule_pending("sched-none"));
        assert!(store.due_schedule_indices(NOW).is_empty());
        assert_eq!(
            store.schedule_indices_between(NOW + 3600, NOW + 3602).len(),
            2
        );
        store.records_examined() - before
    }

    /// Issue 11: the cost of a look-up or duplicate check does not grow with the store.
    #[test]
    fn lookups_and_duplicate_checks_touch_o1_records() {
        let mut small = filled(10, 10);
        let mut large = filled(100_000, 10_000);
        let few = examined_by_checks(&mut small, 10, 10);
        let many = examined_by_checks(&mut large, 100_000, 10_000);
        assert_eq!(
            few, many,
            "the same records are touched with 10 or 100k payments"
        );
        assert!(many <= 12, "{many} records touched");
        // The per-customer list is proportional to that customer's payments only.
        let before = large.records_examined();
        assert_eq!(large.payment_indices_by_customer("customer-7").len(), 100);
        assert_eq!(large.records_examined() - before, 100);
    }

    fn rss_kib() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    const RSS_CHILD: &str = "IAMPORT_SANDBOX_RSS_CHILD";

    /// Run alone in a child process by [`rss_per_stored_payment_is_under_1_5_kib`].
    #[test]
    #[ignore = "run by rss_per_stored_payment_is_under_1_5_kib in a process of its own"]
    fn rss_child() {
        if std::env::var_os(RSS_CHILD).is_none() {
            return;
        }
        let mut store = Store::new();
        record_charge(&mut store, charge(usize::MAX), NOW);
        let before = rss_kib().expect("VmRSS");
        for i in 0..100_000 {
            record_charge(&mut store, charge(i), NOW);
        }
        let after = rss_kib().expect("VmRSS");
        println!(
            "rss_per_payment_bytes={} size_of_record={}",
            (after.saturating_sub(before) * 1024) / 100_000,
            std::mem::size_of::<PaymentRec>()
        );
        drop(store);
    }

    /// Issue 11: RSS per stored payment (record and index entries) under 1.5 KiB, measured in a
    /// process of its own over 100k typical `again` payments.
    #[test]
    #[cfg(target_os = "linux")]
    fn rss_per_stored_payment_is_under_1_5_kib() {
        let exe = std::env::current_exe().expect("test binary");
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "ops::tests::rss_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(RSS_CHILD, "1")
            .output()
            .expect("child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let per_payment: u64 = stdout
            .split_whitespace()
            .find_map(|w| w.strip_prefix("rss_per_payment_bytes="))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no measurement in: {stdout}"));
        println!("{stdout}");
        assert!(per_payment > 100, "implausible: {per_payment} bytes");
        assert!(
            per_payment < 1536,
            "{per_payment} bytes of RSS per stored payment"
        );
    }
}
