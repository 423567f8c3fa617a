//! The sandbox's rules, exercised through the real `iamport::Client` over HTTP.

use std::time::Duration;

use iamport::types::{
    CancelPaymentRequest, ChargeBillingKeyRequest, ChargeCardRequest, DeleteBillingKeyRequest,
    FindAllPaymentsRequest, GetBillingKeyRequest, GetPaymentRequest, GetScheduleRequest,
    IssueBillingKeyRequest, ListBillingKeyPaymentsRequest, ListBillingKeysRequest,
    ListSchedulesRequest, ReschedulePaymentRequest, RetryScheduleRequest, Schedule,
    SchedulePaymentsRequest, UnschedulePaymentsRequest, UpdateScheduleRequest,
};
use iamport::{Amount, Client, Error, Reconciled, Timestamp, types};
use iamport_sandbox::{Fault, FaultRule, Sandbox, TEST_API_KEY, TEST_API_SECRET, cards};

fn client(sandbox: &Sandbox) -> Client {
    client_with_timeout(sandbox, Duration::from_secs(20))
}

/// A client on the sandbox's test credentials that gives up on a call after `timeout`.
fn client_with_timeout(sandbox: &Sandbox, timeout: Duration) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .timeout(timeout)
        .build()
        .expect("client")
}

fn amount(s: &str) -> Amount {
    s.parse().expect("amount")
}

fn onetime(merchant_uid: &str, card: &str) -> ChargeCardRequest {
    ChargeCardRequest {
        birth: Some("900101".into()),
        pwd_2digit: Some("12".into()),
        name: Some("Plan".into()),
        ..ChargeCardRequest::new(merchant_uid, amount("10000"), card, "2039-12")
    }
}

fn paymentwall_onetime(merchant_uid: &str, customer_uid: &str, card: &str) -> ChargeCardRequest {
    ChargeCardRequest {
        pg: Some("paymentwall".into()),
        customer_uid: Some(customer_uid.into()),
        currency: Some("USD".into()),
        amount: amount("9.99"),
        cvc: Some("123".into()),
        browser_ip: Some("203.0.113.7".into()),
        buyer_name: Some("Jane Doe".into()),
        buyer_email: Some("jane@example.com".into()),
        ..onetime(merchant_uid, card)
    }
}

fn again(customer_uid: &str, merchant_uid: &str) -> ChargeBillingKeyRequest {
    ChargeBillingKeyRequest::new(
        customer_uid,
        merchant_uid,
        amount("10000"),
        "Plan, next month",
    )
}

fn api_code(err: &Error) -> (Option<u16>, Option<i64>, String) {
    (
        err.status(),
        err.code(),
        err.message().unwrap_or_default().to_owned(),
    )
}

fn schedule_item(merchant_uid: &str, at: i64) -> Schedule {
    Schedule::new(
        merchant_uid,
        Timestamp(at),
        "KRW",
        amount("10000"),
        "Monthly",
    )
}

mod charges;
mod outcomes;
mod paymentwall;
mod prepared;
mod schedules;
mod vbanks;
