//! The sandbox's rules, exercised through the real `iamport::Client` over HTTP.

use std::time::Duration;

use iamport::types::{
    AgainRequest, CancelPaymentRequest, CustomerDeleteRequest, CustomerPaymentsRequest,
    CustomerSaveRequest, CustomerViewMultipleRequest, CustomerViewRequest,
    FindSchedulesByRangeRequest, GetAllPaymentsByMerchantUidRequest, GetPaymentByImpUidRequest,
    GetScheduleByMidRequest, OnetimeRequest, RescheduleByMidRequest, RetryScheduleByMidRequest,
    Schedule, ScheduleRequest, UnscheduleRequest, UpdateScheduleByMidRequest,
};
use iamport::{Amount, Api, Client, Error, Reconciled, Timestamp, types};
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

fn onetime(merchant_uid: &str, card: &str) -> OnetimeRequest {
    OnetimeRequest {
        merchant_uid: merchant_uid.into(),
        amount: amount("10000"),
        card_number: card.into(),
        expiry: "2039-12".into(),
        birth: Some("900101".into()),
        pwd_2digit: Some("12".into()),
        name: Some("Plan".into()),
        ..Default::default()
    }
}

fn paymentwall_onetime(merchant_uid: &str, customer_uid: &str, card: &str) -> OnetimeRequest {
    OnetimeRequest {
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

fn again(customer_uid: &str, merchant_uid: &str) -> AgainRequest {
    AgainRequest {
        customer_uid: customer_uid.into(),
        merchant_uid: merchant_uid.into(),
        amount: amount("10000"),
        name: "Plan, next month".into(),
        ..Default::default()
    }
}

fn api_code(err: &Error) -> (Option<u16>, Option<i64>, String) {
    (
        err.status(),
        err.code(),
        err.message().unwrap_or_default().to_owned(),
    )
}

fn schedule_item(merchant_uid: &str, at: i64) -> Schedule {
    Schedule {
        merchant_uid: merchant_uid.into(),
        schedule_at: Timestamp(at),
        currency: "KRW".into(),
        amount: amount("10000"),
        name: "Monthly".into(),
        ..Default::default()
    }
}

mod charges;
mod outcomes;
mod paymentwall;
mod prepared;
mod schedules;
mod vbanks;
